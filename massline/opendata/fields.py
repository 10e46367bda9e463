"""The columns of every open-data table, declared once.

The CSV headers, the Frictionless Table Schemas in ``datapackage.json``, the JSON Schema of
``requests.json`` and the field lists of the README are all generated from these declarations, so that
the files and their descriptions cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: How many decimals a map point keeps (about 100 m); see ``massline.core.text.redact.public_point``.
POINT_DECIMALS = 3


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, integer, number, datetime
    description: str
    required: bool = False
    unit: str = ""
    enum: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def table_schema(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "datetime":
            out["format"] = "any"  # ISO 8601 with the city's UTC offset, e.g. 2026-11-30T09:15:00+08:00
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        constraints.update(self.extra.get("constraints", {}))
        if constraints:
            out["constraints"] = constraints
        if self.unit:
            out["unit"] = self.unit
        return out

    def json_schema(self) -> dict:
        base: dict[str, Any]
        if self.type == "datetime":
            base = {"type": "string", "format": "date-time"}
        elif self.type in ("integer", "number"):
            base = {"type": self.type}
            if "minimum" in self.extra.get("constraints", {}):
                base["minimum"] = self.extra["constraints"]["minimum"]
            if "maximum" in self.extra.get("constraints", {}):
                base["maximum"] = self.extra["constraints"]["maximum"]
        else:
            base = {"type": "string"}
        if self.enum:
            base["enum"] = list(self.enum)
        description = self.description + (f" ({self.unit})" if self.unit else "")
        if self.required or self.type == "string":  # a missing text is "", as in the CSV
            return {"description": description, **base}
        return {"description": description, "anyOf": [base, {"type": "null"}]}


STATUS = ("open", "closed")

REQUESTS = [
    Field("reference", "string", "The request's public reference number (受理編號).", required=True),
    Field(
        "kind",
        "string",
        "complaint 投訴, help 求助, suggestion 建議, inquiry 諮詢 or praise 表揚 "
        "(misconduct reports 舉報 are never published).",
        required=True,
    ),
    Field(
        "state",
        "string",
        "The workflow state when the dump was written (received, dispatched, signed, replied, closed …).",
        required=True,
    ),
    Field("status", "string", "open or closed: the state, in two words.", required=True, enum=STATUS),
    Field("category_code", "string", "Code of the request's category (see categories.csv); empty if none."),
    Field("category", "string", "Name of the request's category, as the city writes it."),
    Field("unit_code", "string", "Code of the unit handling it (see units.csv); empty if none yet."),
    Field("unit", "string", "Name of the unit handling it."),
    Field("received_at", "datetime", "When the request came in.", required=True),
    Field("closed_at", "datetime", "When it was closed; empty while open."),
    Field(
        "address",
        "string",
        "The place, cut to its street and building number; flats and personal data removed.",
    ),
    Field(
        "lat",
        "number",
        f"Latitude, WGS 84, rounded to {POINT_DECIMALS} decimals (about 100 m); empty if not given.",
        unit="degree",
        extra={"constraints": {"minimum": -90, "maximum": 90}},
    ),
    Field(
        "lon",
        "number",
        f"Longitude, WGS 84, rounded to {POINT_DECIMALS} decimals (about 100 m); empty if not given.",
        unit="degree",
        extra={"constraints": {"minimum": -180, "maximum": 180}},
    ),
    Field("title", "string", "The title, redacted."),
    Field("text", "string", "The request as the person wrote it, redacted."),
    Field("reply", "string", "The latest reply of the unit, redacted (every reply: replies.csv)."),
    Field(
        "reply_count", "integer", "How many replies the request has.", extra={"constraints": {"minimum": 0}}
    ),
]

REPLIES = [
    Field("reference", "string", "The request replied to (requests.csv).", required=True),
    Field("number", "integer", "1 for the first reply, 2 for the next…", required=True),
    Field("replied_at", "datetime", "When the reply was written.", required=True),
    Field("unit_code", "string", "Code of the replying unit (units.csv)."),
    Field("unit", "string", "Name of the replying unit."),
    Field("text", "string", "The reply, redacted.", required=True),
]

TIMELINE = [
    Field("reference", "string", "The request (requests.csv).", required=True),
    Field("number", "integer", "1 for the first step, 2 for the next…", required=True),
    Field("at", "datetime", "When the step happened.", required=True),
    Field(
        "step",
        "string",
        "What happened: submit, dispatch, sign, return, transfer, reply, follow_up_solved, "
        "follow_up_unsolved, supervise, supervision_resolved, merge, imported, external_update …",
        required=True,
    ),
    Field("from_state", "string", "The state before the step; empty if the step did not change it."),
    Field("to_state", "string", "The state after the step; empty if the step did not change it."),
    Field("unit_code", "string", "The unit the step names (dispatched or transferred to), if any."),
]

CATEGORIES = [
    Field("code", "string", "The category's code.", required=True),
    Field("name", "string", "Its name.", required=True),
    Field("parent_code", "string", "The code of the category above it; empty at the top level."),
    Field("level", "integer", "1 at the top of the catalogue, 2 below it…", required=True),
    Field("default_unit_code", "string", "The unit requests of this category go to by default."),
]

UNITS = [
    Field("code", "string", "The unit's code.", required=True),
    Field("name", "string", "Its name.", required=True),
    Field("parent_code", "string", "The code of the unit above it; empty at the top."),
    Field("area", "string", "Place names the unit covers."),
]

#: table name → (its columns, its primary key, its foreign keys as (fields, table, fields))
TABLES: dict[str, tuple[list[Field], list[str], list[tuple[str, str, str]]]] = {
    "requests": (
        REQUESTS,
        ["reference"],
        [("category_code", "categories", "code"), ("unit_code", "units", "code")],
    ),
    "replies": (REPLIES, ["reference", "number"], [("reference", "requests", "reference")]),
    "timeline": (TIMELINE, ["reference", "number"], [("reference", "requests", "reference")]),
    "categories": (CATEGORIES, ["code"], [("default_unit_code", "units", "code")]),
    "units": (UNITS, ["code"], []),
}

DESCRIPTIONS = {
    "requests": "Every public request: one row each.",
    "replies": "Every reply of a unit to a public request: one row each.",
    "timeline": "The steps of every public request (received, dispatched, signed, replied, closed …), "
    "with their dates; no staff names and no notes.",
    "categories": "The classification catalogue (派單目錄).",
    "units": "The units (承辦單位) that handle requests.",
}


def names(table: str) -> list[str]:
    return [f.name for f in TABLES[table][0]]


def table_schema(table: str) -> dict:
    columns, key, foreign = TABLES[table]
    schema: dict[str, Any] = {
        "fields": [f.table_schema() for f in columns],
        "primaryKey": key,
        "missingValues": [""],
    }
    if foreign:
        schema["foreignKeys"] = [
            {"fields": f, "reference": {"resource": t, "fields": k}} for f, t, k in foreign
        ]
    return schema


def _object_schema(columns: list[Field]) -> dict:
    return {
        "type": "object",
        "properties": {f.name: f.json_schema() for f in columns},
        "required": [f.name for f in columns],
        "additionalProperties": False,
    }


def requests_json_schema(schema_id: str) -> dict:
    """The JSON Schema (draft 2020-12) of ``requests.json``: an array of requests, each with its replies
    and its timeline."""
    item = _object_schema(REQUESTS)
    nested_replies = [f for f in REPLIES if f.name != "reference"]
    nested_steps = [f for f in TIMELINE if f.name != "reference"]
    item["properties"]["replies"] = {
        "description": "Every reply, oldest first (the same rows as replies.csv).",
        "type": "array",
        "items": _object_schema(nested_replies),
    }
    item["properties"]["timeline"] = {
        "description": "Every step, oldest first (the same rows as timeline.csv).",
        "type": "array",
        "items": _object_schema(nested_steps),
    }
    item["required"] = [*item["required"], "timeline"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": "massline open data: public requests",
        "description": "Public requests of the 12345 hotline, redacted: no personal data, places rounded to "
        "about 100 m. Misconduct reports, merged duplicates, rejected requests and requests held for "
        "review are left out.",
        "type": "array",
        "items": item,
    }
