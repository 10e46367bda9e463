"""/api/docs works on a network without internet: Swagger UI comes from our own static files."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders


class _Refs(HTMLParser):
    """Every src/href of <script>, <link> and <img>, plus the JSON of #swagger-settings."""

    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.settings_json = ""
        self._in_settings = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "link", "img"}:
            self.refs += [attrs[a] for a in ("src", "href") if attrs.get(a)]
        self._in_settings = tag == "script" and attrs.get("id") == "swagger-settings"

    def handle_data(self, data):
        if self._in_settings:
            self.settings_json += data

    def handle_endtag(self, tag):
        self._in_settings = False


def _docs_page(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    parser = _Refs()
    parser.feed(response.content.decode())
    return response, parser


def test_docs_page_loads_no_remote_resource(client):
    response, page = _docs_page(client)
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert page.refs, "the docs page should load Swagger UI"
    remote = [ref for ref in page.refs if re.match(r"^(https?:)?//", ref)]
    assert remote == []
    assert all(ref.startswith(settings.STATIC_URL) for ref in page.refs), page.refs
    assert any(ref.endswith("swagger-ui-bundle.js") for ref in page.refs)
    assert any(ref.endswith("swagger-ui.css") for ref in page.refs)


def test_docs_static_files_exist(client):
    _, page = _docs_page(client)
    for ref in page.refs:
        found = finders.find(ref.removeprefix(settings.STATIC_URL))
        assert found, f"{ref} is not a static file"


def test_docs_point_swagger_at_the_local_schema(client):
    _, page = _docs_page(client)
    config = json.loads(page.settings_json)
    assert config["url"] == "/api/openapi.json"
    assert config["validatorUrl"] is None  # no badge fetched from validator.swagger.io
    schema = client.get(config["url"])
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "massline API"
