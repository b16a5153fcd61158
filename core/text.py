from django.utils.text import slugify

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def norwegian_slugify(value: str) -> str:
    """slugify() that keeps Norwegian letters readable: "Indre Østfold" -> "indre-ostfold"."""
    return slugify(str(value).translate(_NORWEGIAN))
