"""Which column of an export is which field of a request: presets for the layouts the project meets, and
mapping files (TOML or JSON) for any other.

A mapping file::

    preset = "generic"                 # optional: start from a preset, then override
    encoding = "gb18030"               # optional: utf-8, utf-8-bom, gb18030, big5 (detected when absent)
    date_formats = ["%d.%m.%Y %H:%M"]  # optional: tried before the built-in spellings
    kind = "complaint"                 # optional: the kind of every row without a kind column

    [columns]                          # field = column, or a list of columns joined with ": "
    id = "case_no"
    text = ["subject", "body"]
    time = "opened"
    closed = "closed"                  # a close time: the row is imported as closed
    reply = "answer"                   # the unit's answer: imported as the request's reply
    status = "state"

    [states]                           # the source's status values (any case) → closed / received / rejected
    "fertig" = "closed"

Column names match without regard to case, spaces, hyphens or underscores ("Unique Key" = "unique_key").
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

FIELDS = (
    "id",
    "text",
    "title",
    "time",
    "closed",
    "status",
    "category",
    "kind",
    "address",
    "lat",
    "lon",
    "user",
    "reply",
)
# What a source status means here. Open work waits in the dispatcher queue; finished work is history.
DEFAULT_STATES = {
    "closed": "closed",
    "close": "closed",
    "resolved": "closed",
    "completed": "closed",
    "complete": "closed",
    "done": "closed",
    "已办结": "closed",
    "办结": "closed",
    "已辦結": "closed",
    "辦結": "closed",
    "已完成": "closed",
    "已答复": "closed",
    "已答復": "closed",
    "open": "received",
    "new": "received",
    "pending": "received",
    "assigned": "received",
    "started": "received",
    "in progress": "received",
    "received": "received",
    "email sent": "received",
    "待处理": "received",
    "待處理": "received",
    "处理中": "received",
    "處理中": "received",
    "rejected": "rejected",
    "cancelled": "rejected",
    "canceled": "rejected",
    "duplicate": "rejected",
    "不予受理": "rejected",
}
IMPORT_STATES = ("received", "closed", "rejected")


class MappingError(ValueError):
    """A mapping file or preset that cannot be used, with what to fix."""


@dataclass(frozen=True)
class Mapping:
    name: str
    columns: dict[str, tuple[str, ...]]
    date_formats: tuple[str, ...] = ()
    encoding: str | None = None
    states: dict[str, str] = field(default_factory=dict)
    kind: str = "complaint"

    def state_for(self, status: str) -> str | None:
        """The state a source status imports as; None for a status neither table knows."""
        key = status.strip().lower()
        return self.states.get(key) or DEFAULT_STATES.get(key)


def _generic() -> Mapping:
    from .importer import ALIASES

    cols = {k: v for k, v in ALIASES.items() if k in FIELDS}
    cols["closed"] = (
        "closed",
        "closed_date",
        "closed date",
        "close_date",
        "closedate",
        "答复时间",
        "答復時間",
    )
    cols["status"] = ("status", "state", "状态", "狀態")
    cols["reply"] = ("reply", "答复意见", "答復意見", "答复内容", "答復內容")
    return Mapping("generic", {k: tuple(v) for k, v in cols.items()})


PRESETS: dict[str, Mapping] = {
    # the 2020 Teddy Cup message-board files (../shared/data/govmsg); attachment 4's reply (答复意见) is
    # imported as the request's reply (intake.replies), and its time (答复时间) closes the row
    "govmsg": Mapping(
        "govmsg",
        {
            "id": ("留言编号",),
            "user": ("留言用户",),
            "title": ("留言主题",),
            "time": ("留言时间",),
            "text": ("留言详情",),
            "category": ("一级分类",),
            "closed": ("答复时间",),
            "reply": ("答复意见",),
        },
    ),
    # NYC Open Data 311 (erm2-nwe9), either the API's names (unique_key) or the export's (Unique Key)
    "nyc311": Mapping(
        "nyc311",
        {
            "id": ("unique_key",),
            "time": ("created_date",),
            "closed": ("closed_date",),
            "status": ("status",),
            "title": ("complaint_type",),
            "text": ("complaint_type", "descriptor"),
            "address": ("incident_address", "street_name", "city"),
            "lat": ("latitude",),
            "lon": ("longitude",),
        },
    ),
    # Baltimore 311 (Open Baltimore "311 Customer Service Requests")
    "baltimore311": Mapping(
        "baltimore311",
        {
            "id": ("ServiceRequestNum",),
            "time": ("CreatedDate",),
            "closed": ("CloseDate",),
            "status": ("SRStatus",),
            "title": ("SRType",),
            "text": ("SRType", "Outcome"),
            "address": ("Address",),
            "lat": ("Latitude",),
            "lon": ("Longitude",),
        },
    ),
}
# Fields whose listed columns are all read and joined; for the others the first present column wins.
JOINED = ("text", "address")


def norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.replace("\ufeff", "")).lower()


def preset(name: str) -> Mapping:
    if name == "generic":
        return _generic()
    try:
        return PRESETS[name]
    except KeyError:
        raise MappingError(f"unknown preset {name!r}; use one of generic, {', '.join(PRESETS)}") from None


def detect(header: list[str]) -> Mapping:
    """The preset whose identifying columns the header has; the generic aliases otherwise."""
    names = {norm(h) for h in header}
    if "留言详情" in names:
        return PRESETS["govmsg"]
    if "uniquekey" in names and ("complainttype" in names or "createddate" in names):
        return PRESETS["nyc311"]
    if "servicerequestnum" in names and "srtype" in names:
        return PRESETS["baltimore311"]
    return _generic()


def load_mapping(path: str | Path) -> Mapping:
    """A mapping from a .toml or .json file, checked: unknown fields and states are refused by name."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8")) if path.suffix.lower() == ".toml" else json.loads(raw)
    except FileNotFoundError:
        raise MappingError(f"{path}: no such mapping file") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(
            f"{path}: not a valid {path.suffix.lstrip('.') or 'mapping'} file ({exc})"
        ) from None
    if not isinstance(data, dict):
        raise MappingError(f"{path}: the mapping must be a table/object")
    base = preset(data["preset"]) if "preset" in data else Mapping("mapping", {})
    columns = dict(base.columns)
    for key, value in (data.get("columns") or {}).items():
        if key not in FIELDS:
            raise MappingError(f"{path}: unknown field {key!r} in [columns]; fields are {', '.join(FIELDS)}")
        names = (value,) if isinstance(value, str) else tuple(value)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise MappingError(f"{path}: [columns] {key} must name a column or a list of columns")
        columns[key] = names
    states = dict(base.states)
    for status, state in (data.get("states") or {}).items():
        if state not in IMPORT_STATES:
            raise MappingError(
                f"{path}: state {state!r} for {status!r}; use one of {', '.join(IMPORT_STATES)}"
            )
        states[str(status).strip().lower()] = state
    unknown = set(data) - {"preset", "columns", "states", "date_formats", "encoding", "kind"}
    if unknown:
        raise MappingError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    return replace(
        base,
        name=path.name,
        columns=columns,
        states=states,
        date_formats=tuple(data.get("date_formats") or base.date_formats),
        encoding=data.get("encoding") or base.encoding,
        kind=data.get("kind") or base.kind,
    )


@dataclass(frozen=True)
class ColumnPlan:
    """The mapping applied to one header: field → the positions of its columns."""

    mapping: Mapping
    positions: dict[str, tuple[int, ...]]
    names: dict[str, tuple[str, ...]]
    width: int

    def missing_text(self) -> bool:
        return not self.positions.get("text")


def plan(mapping: Mapping, header: list[str]) -> ColumnPlan:
    index: dict[str, int] = {}
    for i, h in enumerate(header):
        index.setdefault(norm(h), i)
    positions: dict[str, tuple[int, ...]] = {}
    names: dict[str, tuple[str, ...]] = {}
    for key, wanted in mapping.columns.items():
        found = [(index[norm(n)], header[index[norm(n)]]) for n in wanted if norm(n) in index]
        if not found:
            continue
        if key not in JOINED:
            found = found[:1]
        positions[key] = tuple(i for i, _ in found)
        names[key] = tuple(n for _, n in found)
    result = ColumnPlan(mapping, positions, names, len(header))
    if result.missing_text():
        raise MappingError(
            f"no text column: the {mapping.name} mapping looks for {', '.join(mapping.columns.get('text', ()))}"
            f", and the columns present are: {', '.join(header)}. Give a mapping with --mapping FILE"
        )
    return result
