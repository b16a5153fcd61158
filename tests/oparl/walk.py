"""Validate OParl objects against the vendored official schemas (oparl/schema/) and walk the API:
every URL any object or list page names is followed, and every object served is validated, embedded
objects included (the schemas' own `schema` keyword names the schema of an embedded object)."""

import json
from collections import deque
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
from django.conf import settings

SCHEMA_DIR = Path(settings.BASE_DIR) / "oparl" / "schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def validate(obj: dict) -> list[str]:
    """Validate an object and every object embedded in it; returns the names of the types checked."""
    kind = obj.get("type", "").removeprefix(TYPE_PREFIX)
    definition = schema(kind)  # an unknown type is a KeyError/FileNotFoundError: a failure
    jsonschema.validate(obj, definition)
    assert obj["id"].startswith(settings.SITE_URL + "/"), obj["id"]
    checked = [kind]
    for key, rule in definition["properties"].items():
        value = obj.get(key)
        if value is None:
            continue
        if rule.get("type") == "object" and "schema" in rule:
            checked += validate(value)
        elif rule.get("type") == "array" and rule.get("items", {}).get("type") == "object":
            for embedded in value:
                checked += validate(embedded)
    return checked


def links_in(value):
    """Every URL of the portal in a JSON value."""
    if isinstance(value, dict):
        for item in value.values():
            yield from links_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item)
    elif isinstance(value, str) and value.startswith(settings.SITE_URL + "/"):
        yield value


def walk(client, start="/oparl/v1/system"):
    """Follow every link from the start; returns {url: response}. Fails on any status but 200."""
    seen, queue, responses = set(), deque([settings.SITE_URL + start]), {}
    while queue:
        address = queue.popleft()
        if address in seen:
            continue
        seen.add(address)
        parts = urlsplit(address)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert response.status_code == 200, f"dead link {address}: {response.status_code}"
        assert response["Access-Control-Allow-Origin"] == "*", address
        responses[address] = response
        if not response["Content-Type"].startswith("application/json"):
            continue
        data = response.json()
        if "pagination" in data:
            assert set(data) == {"data", "pagination", "links"}, address
            for obj in data["data"]:
                validate(obj)
        else:
            validate(data)
        queue.extend(link for link in links_in(data) if link not in seen)
    return responses


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
