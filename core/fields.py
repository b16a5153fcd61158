"""Model fields the whole project uses instead of Django's, where Django's default is about to change."""

from django.db import models


class URLField(models.URLField):
    """A URLField whose form field reads "example.no" as https://example.no: Django 6.0's default, and
    what a public servant pasting a link means. Without it Django 5.2 warns on every form (the admin's
    too) that the default will change. It deconstructs as Django's own field, so it needs no migration
    and a database never sees the difference."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
