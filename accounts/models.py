from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import single_line


class User(AbstractUser):
    """A person who logs in. The role decides the start page and the coarse rights; which region
    or council area a leader or staff member acts for comes from current appointments in the
    registry (regions.Appointment), so rights end when the appointment ends."""

    class Role(models.TextChoices):
        ADVISER = "adviser", _("County adviser (coordination unit)")
        COUNCIL_AREA_STAFF = "council_area_staff", _("Council-area staff")
        REGION_LEADER = "region_leader", _("Region council leader")
        ADMIN = "admin", _("Administrator")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        # The codes of settings.LANGUAGES (a model cannot read settings at import time).
        BOKMAL = "nb", _("Norwegian bokmål")
        NYNORSK = "nn", _("Norwegian nynorsk")
        ENGLISH = "en", _("English")

    # AbstractUser's own fields, with the portal's text rule: names and addresses go into e-mail headers.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[single_line])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[single_line])
    email = models.EmailField(_("email address"), blank=True, validators=[single_line])
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.OTHER)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[single_line])
    national_view = models.BooleanField(
        _("national view"),
        default=False,
        help_text=_(
            "Sees every county's regions in the working lists. Advisers and council-area staff otherwise see "
            "the regions of their own county (from their appointment in the registry); administrators always "
            "see every county."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        help_text=_("The language of the person's pages, e-mails and PDFs. Blank: the portal's default (bokmål)."),
    )

    # The identifier a single sign-on provider asserts (e.g. ID-porten's "pid", the national identity
    # number), for counties that match people on it rather than on e-mail. Only admins see it (Django
    # admin); it is never shown to other people, in lists or in exports.
    national_id = models.CharField(
        _("national identifier"),
        max_length=64,
        blank=True,
        validators=[single_line],
        help_text=_("The identifier single sign-on matches the person on, if the county uses one (e.g. ID-porten)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # One person per identifier: single sign-on must never have two people to choose from.
            models.UniqueConstraint(
                fields=["national_id"], condition=~models.Q(national_id=""), name="accounts_user_national_id_unique"
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username
