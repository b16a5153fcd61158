"""Safe Markdown, readable diffs between versions, and the plain text a version is compared by."""

import difflib
import re

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "ul", "ol", "li",
    "blockquote", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then cleaned by nh3 with a tag whitelist so scripts and styles are inert.
    Headings start at h4: the document's own headings are h1 to h3."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 3, 6)}>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above


def general_part_lines(part) -> list[str]:
    """The text of a general-part version as lines, the way the history page compares them."""
    lines = [part.title, ""]
    for section in part.sections.all():
        lines.append(f"## {section.heading}")
        lines.extend((section.body or "").splitlines())
        lines.append("")
    return lines


def special_part_lines(part) -> list[str]:
    """The text of a special-part version as lines, section by section."""
    lines = [part.title, "", f"## {_('Introduction')}"]
    lines.extend((part.introduction or "").splitlines())
    for heading, items in (
        (_("Strengths"), part.strengths.all()),
        (_("Challenges"), part.challenges.all()),
        (_("Priorities"), part.priorities.all()),
    ):
        lines.extend(["", f"## {heading}"])
        lines.extend(f"{number}. {item.text}" for number, item in enumerate(items, start=1))
    lines.extend(["", f"## {_('Knowledge base')}"])
    lines.extend(f"- {ref.title} {ref.url}".rstrip() for ref in part.knowledge_references.all())
    lines.extend(["", f"## {_('Strategic plans')}"])
    lines.extend(f"- {plan.title}" for plan in part.strategic_plans.all())
    lines.extend(["", f"## {_('Prioritised policy instruments')}"])
    lines.extend(
        f"{row.order}. {row.instrument.name}: {row.justification}".rstrip(": ")
        for row in part.instrument_priorities.all()
    )
    return lines


def _words(line):
    return re.findall(r"\s+|[^\s]+", line)


def _inline_diff(old: str, new: str) -> str:
    """One changed line with the removed words in <del> and the added words in <ins>."""
    a, b = _words(old), _words(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f'<del class="diff-del">{escape("".join(a[i1:i2]))}</del>')
        if j2 > j1:
            out.append(f'<ins class="diff-ins">{escape("".join(b[j1:j2]))}</ins>')
    return "".join(out)


def diff_rows(old_lines: list[str], new_lines: list[str]) -> list[dict]:
    """Line rows {"kind": equal|insert|delete|change, "html": SafeString}; every text is escaped."""
    rows = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend({"kind": "equal", "html": mark_safe(escape(line))} for line in old_lines[i1:i2])  # noqa: S308
        elif tag == "delete":
            rows.extend(_whole("delete", line) for line in old_lines[i1:i2])
        elif tag == "insert":
            rows.extend(_whole("insert", line) for line in new_lines[j1:j2])
        else:
            old, new = old_lines[i1:i2], new_lines[j1:j2]
            for k in range(max(len(old), len(new))):
                if k < len(old) and k < len(new):
                    rows.append({"kind": "change", "html": mark_safe(_inline_diff(old[k], new[k]))})  # noqa: S308
                elif k < len(old):
                    rows.append(_whole("delete", old[k]))
                else:
                    rows.append(_whole("insert", new[k]))
    return rows


def _whole(kind, line):
    tag, css = ("del", "diff-del") if kind == "delete" else ("ins", "diff-ins")
    return {"kind": kind, "html": mark_safe(f'<{tag} class="{css}">{escape(line)}</{tag}>')}  # noqa: S308
