"""Every form the portal serves, found by itself: open every URL pattern as a role (the shared quality
world gives each pattern its objects, as in the permission matrix), and read every <form> of every
HTML page that role gets: its method, action, and fields (inputs, selects with their options,
textareas, checkboxes and radio buttons, file inputs, named submit buttons).

A new form is found without editing this module: it only needs a page that shows it (and, for a URL
pattern with arguments, URL_KWARGS in tests/<app>/quality.py, which the permission matrix demands).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from tests.security.test_permission_matrix import _urls_for
from tests.security.urlwalk import endpoints

SKIPPED_INPUTS = {"reset", "button", "image"}


@dataclass(frozen=True)
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, file, submit, hidden, number, date, time, ...
    value: str = ""  # what the page would send unchanged ("" when nothing is selected or checked)
    options: tuple = ()  # the values a select, a group of checkboxes or radio buttons or buttons offer
    multiple: bool = False


@dataclass(frozen=True)
class ServedForm:
    role: str
    page: str  # the URL the form was found on
    method: str  # "get" or "post"
    action: str  # path (and query) the form sends to
    url_name: str  # the URL name the action resolves to
    fields: tuple

    @property
    def group(self):
        """The part of the portal the form writes to: a URL namespace, or admin/<app label>."""
        if self.url_name.startswith("admin:"):
            model = self.url_name.removeprefix("admin:")
            return "admin/" + model.split("_", 1)[0]
        return self.url_name.split(":", 1)[0] if ":" in self.url_name else "accounts"

    @property
    def key(self):
        return (self.role, self.method, self.url_name, tuple(sorted(f.name for f in self.fields)))

    def __str__(self):
        names = ", ".join(f.name for f in self.fields)
        return f"{self.method.upper()} {self.action} ({self.url_name}) as {self.role} from {self.page}: {names}"


@dataclass
class _Draft:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> dict(kind, values, options, multiple)

    def add(self, name, kind, *, value=None, option=None, multiple=False):
        entry = self.fields.setdefault(name, {"kind": kind, "values": [], "options": [], "multiple": False})
        entry["multiple"] = entry["multiple"] or multiple
        if option is not None and option not in entry["options"]:
            entry["options"].append(option)
            entry["multiple"] = entry["multiple"] or (kind == "checkbox" and len(entry["options"]) > 1)
        if value is not None:
            entry["values"].append(value)


class FormParser(HTMLParser):
    """The forms of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._option, self._textarea = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self._form = _Draft(method=(a.get("method") or "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio", "submit"):
                value = a.get("value", "on")
                self._form.add(name, kind, option=value, value=value if "checked" in a else None)
            elif kind == "file":
                self._form.add(name, kind, multiple="multiple" in a)
            else:
                self._form.add(name, kind, value=a.get("value", ""))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._form.add(name, "submit", option=a.get("value", ""))
        elif tag == "select":
            self._select = name
            self._form.add(name, "select", multiple="multiple" in a)
        elif tag == "option" and self._select:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea":
            self._textarea = name
            self._form.add(name, "textarea", value="")

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None and self._form is not None:
            entry = self._form.fields[self._textarea]
            entry["values"][-1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._form is not None:
            value = self._option["value"]
            value = self._option["text"].strip() if value is None else value
            self._form.add(self._select, "select", option=value, value=value if self._option["selected"] else None)
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            values = self._form.fields[self._textarea]["values"]
            values[-1] = values[-1].removeprefix("\r\n").removeprefix("\n")  # as a browser reads it
            self._textarea = None
        elif tag == "form":
            self._form = None


def _fields(draft):
    result = []
    for name, entry in draft.fields.items():
        if "__prefix__" in name or name == "csrfmiddlewaretoken":
            continue  # the admin's templates for new inline rows; the token the test client does not need
        values = entry["values"]
        if entry["kind"] == "select" and not values and entry["options"] and not entry["multiple"]:
            values = [entry["options"][0]]  # a browser sends the first option
        result.append(
            FormField(
                name=name,
                kind=entry["kind"],
                value=values[0] if values else "",
                options=tuple(entry["options"]),
                multiple=entry["multiple"],
            )
        )
    return tuple(result)


def forms_on(page_url, html, role):
    parser = FormParser()
    parser.feed(html)
    found = []
    for draft in parser.forms:
        action = urljoin(page_url, draft.action or page_url)
        parts = urlsplit(action)
        if parts.netloc and parts.netloc != "testserver":
            continue  # a form that leaves the portal
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        url_name = match.view_name if match.url_name else f"<unnamed {match.route}>"
        found.append(ServedForm(role, page_url, draft.method, path, url_name, _fields(draft)))
    return found


def served_forms(world, role, *, admin_pages="add"):
    """Every distinct form `role` is served: one per (method, URL name of its action, field names).

    The administrator is asked only for the Django admin's add forms (the portal's own forms are the
    adviser's, whom administrators act as); the other roles for every page but the admin's."""
    urls, _unmapped = _urls_for(world, endpoints())
    client = Client(raise_request_exception=False)
    if world.user(role) is not None:
        client.force_login(world.user(role))
    seen, result = set(), []
    for endpoint, url in urls:
        is_admin = endpoint.name.startswith(("admin:", "<unnamed admin/"))
        if (role == "admin") != is_admin:
            continue
        if role == "admin" and not endpoint.name.endswith(f"_{admin_pages}"):
            continue
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_on(url, response.content.decode(), role):
            if form.key not in seen and (role == "admin") == form.url_name.startswith("admin:"):
                seen.add(form.key)
                result.append(form)
    return result
