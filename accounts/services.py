from django.db import transaction

from .models import User


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    """Remember the language the person chose for themselves ("" for the portal's default): their
    pages, e-mails and PDFs follow it from now on. Only the person's own setting: `actor` is them."""
    user = actor
    user.language = language
    user.clean_fields(exclude=[field.name for field in User._meta.concrete_fields if field.name != "language"])
    user.save(update_fields=["language"])
    return user
