"""The open API's OpenAPI 3.1 description (/oparl/openapi.json): a client generated from it reaches every
path it names (each answers 200 on the world's data, for every kind it lists), every address the API
serves is described in it, and every JSON answer matches the schema it promises."""

import json
import re
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.conf import settings
from django.urls import reverse

from .walk import walk

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"\{(\w+)\}")


def _document(client):
    response = client.get(reverse("oparl:openapi"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def _resolve(document, value):
    while isinstance(value, dict) and "$ref" in value:
        node = document
        for part in value["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        value = node
    return value


def _parameters(document, operation) -> dict:
    return {p["name"]: p for p in (_resolve(document, p) for p in operation.get("parameters", []))}


def _pattern(document, template, operation) -> re.Pattern:
    """The regular expression of a path template: integers for ids, the listed values for an enum."""
    parameters = _parameters(document, operation)

    def part(match):
        schema = parameters[match.group(1)]["schema"]
        if "enum" in schema:
            return "(" + "|".join(map(re.escape, schema["enum"])) + ")"
        return r"\d+"

    return re.compile("^" + PARAMETER.sub(part, re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$")


def test_the_description_is_openapi_3_1_with_every_reference_and_parameter_declared(client, db):
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": settings.SITE_URL + "/oparl/v1", "description": "This portal"}]
    text = json.dumps(document)
    for reference in re.findall(r'"\$ref": "([^"]+)"', text):
        assert _resolve(document, {"$ref": reference}) is not None, reference
    for template, item in document["paths"].items():
        operation = item["get"]
        assert set(item) == {"get"}, template  # read-only
        declared = {name for name, p in _parameters(document, operation).items() if p["in"] == "path"}
        assert declared == set(PARAMETER.findall(template)), template
        assert "200" in operation["responses"], template
    # Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect).
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_path_answers_200_and_every_address_served_is_described(client, world):
    document = _document(client)
    base = urlsplit(document["servers"][0]["url"]).path
    patterns = {template: _pattern(document, template, item["get"]) for template, item in document["paths"].items()}
    responses = walk(client)
    reached = {template: set() for template in patterns}
    undescribed = []
    for address, response in responses.items():
        path = urlsplit(address).path.removeprefix(base)
        matches = [(template, pattern.match(path)) for template, pattern in patterns.items() if pattern.match(path)]
        if not matches:
            undescribed.append(path)
            continue
        ((template, match),) = matches
        reached[template].add(match.groups())
        answer = document["paths"][template]["get"]["responses"]["200"]["content"]
        if response["Content-Type"].startswith("application/json"):
            schema = {**answer["application/json"]["schema"], "components": document["components"]}
            jsonschema.Draft202012Validator(schema).validate(response.json())
    assert not undescribed, undescribed
    # Every path was reached (walk() fails on any status but 200), and each kind of each path.
    for template, item in document["paths"].items():
        assert reached[template], f"{template} never reached"
        for name, parameter in _parameters(document, item["get"]).items():
            if "enum" in parameter["schema"]:
                seen = {groups[0] for groups in reached[template]}
                assert seen == set(parameter["schema"]["enum"]), f"{template}: {name} {seen}"
