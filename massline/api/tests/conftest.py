from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_keys(staff):
    """Raw keys by name: 'client' (submit only) and one per staff user used in the tests."""
    from massline.api.actions import create_api_key

    keys = {"client": create_api_key("test client")[1]}
    for username in ("dispatcher", "discipline", "staff-housing", "staff-a3", "supervisor"):
        keys[username] = create_api_key(f"key {username}", user=staff[username])[1]
    return keys


@pytest.fixture
def recent(make_request):
    """Submit a request received ``hours_ago`` hours ago (inside Open311's default 90-day window)."""

    def make(hours_ago: float = 1, **kwargs):
        return make_request(at=timezone.now() - timedelta(hours=hours_ago), **kwargs)

    return make


def assert_open311_error(response, status: int, words: str = ""):
    """The spec's error shape: a list of {code, description}, with a description a person can act on."""
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert isinstance(body, list) and body, body
    assert set(body[0]) == {"code", "description"}
    assert body[0]["code"] == status
    assert words.lower() in body[0]["description"].lower(), body[0]["description"]
    return body[0]["description"]


class SchemaChecker:
    """Checks an instance against the subset of JSON Schema the Open311 schemas use: required,
    properties with type / anyOf / enum / maxLength, and array items via $ref to a sibling file."""

    def __init__(self, folder):
        import json

        self.folder = folder
        self.load = lambda name: json.loads((folder / name).read_text(encoding="utf-8"))

    TYPES = {
        "string": str,
        "boolean": bool,
        "number": (int, float),
        "integer": int,
        "null": type(None),
        "array": list,
        "object": dict,
    }

    def check(self, instance, schema, where="$"):
        problems = []
        if "$ref" in schema:
            return self.check(instance, self.load(schema["$ref"]), where)
        if "anyOf" in schema:
            if all(self.check(instance, option, where) for option in schema["anyOf"]):
                problems.append(f"{where}: {instance!r} matches none of {schema['anyOf']}")
            return problems
        if "type" in schema:
            expected = self.TYPES[schema["type"]]
            if not isinstance(instance, expected) or (
                schema["type"] == "number" and isinstance(instance, bool)
            ):
                return [f"{where}: {instance!r} is not {schema['type']}"]
        if "enum" in schema and instance not in schema["enum"]:
            problems.append(f"{where}: {instance!r} not in {schema['enum']}")
        if "maxLength" in schema and len(instance) > schema["maxLength"]:
            problems.append(f"{where}: longer than {schema['maxLength']}")
        for key in schema.get("required", []):
            if key not in instance:
                problems.append(f"{where}: missing required {key!r}")
        for key, sub in schema.get("properties", {}).items():
            if isinstance(instance, dict) and key in instance:
                problems += self.check(instance[key], sub, f"{where}.{key}")
        if "items" in schema and isinstance(instance, list):
            for i, item in enumerate(instance):
                problems += self.check(item, schema["items"], f"{where}[{i}]")
        return problems


@pytest.fixture
def open311_schema():
    from massline.shared_data import shared_data

    return SchemaChecker(shared_data("open311", "request.json").parent)
