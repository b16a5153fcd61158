import pytest
from django.core import mail

from meetings import services
from regions.models import Appointment

from .factories import NOW, appoint, oslo


@pytest.fixture
def councillor(region):
    return appoint(region, Appointment.Role.COUNTY_COUNCILLOR, "councillor", with_user=True)


@pytest.fixture
def rep(region):
    return appoint(region, Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE, "rep")


@pytest.fixture
def meeting(adviser, region, leader, councillor, rep):
    """A region council meeting on Tuesday 12 February 2030 at 09:00, cut-off 7 days before."""
    return services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=oslo(2030, 2, 12, 9),
        end=oslo(2030, 2, 12, 12),
        region=region,
        location="Rådhuset",
        now=NOW,
    )


@pytest.fixture(autouse=True)
def _clean_outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
