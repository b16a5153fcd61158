"""The case topics as data (cases.models.Topic), read through a shared cache so that a list of cases
labels its topics without a query per row. The built-in topics (Case.Topic) are labelled from the
catalogues and stay valid when their rows are missing (a database emptied by a test, say); an
adviser's own topic is labelled with its bokmål or nynorsk name. The rows and the label of one topic
are read in cases.models (topic_rows, topic_label), which Case.get_topic_display uses."""

from django.db import transaction

from core.shared_cache import cache_delete

from .models import TOPIC_CACHE_KEY, Case, topic_row_label, topic_rows


def topics_changed() -> None:
    """Forget the cached topics now and again when the transaction commits (the writer's own reads see
    the change at once; other processes after the commit)."""
    cache_delete(TOPIC_CACHE_KEY)
    transaction.on_commit(lambda: cache_delete(TOPIC_CACHE_KEY))


def topic_labels(*, fresh: bool = False) -> dict:
    """{code: name} for every topic, built-in ones included (fresh: from the database, not the cache)."""
    labels = {value: str(label) for value, label in Case.Topic.choices}
    labels.update({row["code"]: topic_row_label(row) for row in topic_rows(fresh=fresh)})
    return labels


def topic_choices(*, current: str | None = None, fresh: bool = False) -> list[tuple[str, str]]:
    """The topics offered for a case, in order: the active ones, and the case's current topic even if it
    is no longer offered (so editing a case never changes its topic by itself). fresh: read the
    database instead of the cache (for a write)."""
    rows = topic_rows(fresh=fresh)
    known = {row["code"] for row in rows}
    choices = [(row["code"], topic_row_label(row)) for row in rows if row["active"] or row["code"] == current]
    # A built-in topic without its row (never deactivated) is offered as before.
    choices += [(value, str(label)) for value, label in Case.Topic.choices if value not in known]
    return choices


def topic_offered(code: str, *, fresh: bool = False) -> bool:
    """Whether a case may be given the topic now (an active topic)."""
    return any(value == code for value, _label in topic_choices(fresh=fresh))
