"""A city's configuration as plain UTF-8 CSV files: ``massline city dump DIR`` and ``massline city load DIR``.

Seven files, each optional on load: units.csv, categories.csv (the attachment1 catalogue format with
three optional columns), routing.csv, deadline_rules.csv, calendar.csv, reply_templates.csv and
staff.csv (never passwords). Dumping, loading into an empty database and dumping again gives the same
bytes. Loading adds and updates rows (it never deletes: that is done in the console), goes through
``massline.console.actions`` so that every change is audited, and is all or nothing: any problem,
reported with its file, line and column, leaves the database as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from massline.accounts.models import StaffProfile
from massline.core.deadlines import URGENCIES
from massline.core.export import SafeWriter, unescape_cell
from massline.workflow.catalogue import category_code
from massline.workflow.models import CalendarDay, Category, DeadlineRule, ReplyTemplate, RoutingRule, Unit

from . import actions
from .actions import STAFF_ROLES, ConsoleActor, ConsoleError
from .models import ConfigEvent

LEVELS = ("一级分类", "二级分类", "三级分类")
LEVEL_ALIASES = {"一級分類": "一级分类", "二級分類": "二级分类", "三級分類": "三级分类"}
# file -> (columns in the order dumped, columns a file must have)
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "units.csv": (("code", "name", "parent", "area"), ("code", "name")),
    "categories.csv": ((*LEVELS, "default_unit", "urgency", "code"), (LEVELS[0],)),
    "deadline_rules.csv": (
        ("urgency", "kind", "sign_amount", "sign_unit", "reply_amount", "reply_unit"),
        ("urgency", "sign_amount", "sign_unit", "reply_amount", "reply_unit"),
    ),
    "calendar.csv": (("date", "type", "name"), ("date", "type")),
    "routing.csv": (("category", "keyword", "area", "unit", "priority"), ("unit",)),
    "reply_templates.csv": (("name", "unit", "text"), ("name", "text")),
    "staff.csv": (("username", "name", "roles", "unit", "active"), ("username",)),
}
DAY_TYPES = ("holiday", "workday")
YES, NO = ("yes", "y", "true", "1", ""), ("no", "n", "false", "0")


# -- dump ------------------------------------------------------------------------------------------


def _category_paths() -> dict[int, tuple[str, ...]]:
    nodes = {c.pk: c for c in Category.objects.only("pk", "name", "parent_id")}
    paths: dict[int, tuple[str, ...]] = {}

    def path(pk: int) -> tuple[str, ...]:
        if pk not in paths:
            node = nodes[pk]
            paths[pk] = (*(path(node.parent_id) if node.parent_id else ()), node.name)
        return paths[pk]

    for pk in nodes:
        path(pk)
    return paths


def _category_rows() -> list[list[str]]:
    """Depth first; siblings in the order they were created (for a loaded catalogue: the file's order)."""
    cats = list(Category.objects.select_related("default_unit").order_by("id"))
    paths = _category_paths()
    children: dict[int | None, list[Category]] = {}
    for c in cats:
        children.setdefault(c.parent_id, []).append(c)
    rows: list[list[str]] = []

    def walk(parent: int | None) -> None:
        for c in children.get(parent, []):
            names = paths[c.pk]
            code = "" if c.code == category_code(*names) else c.code
            unit = c.default_unit.code if c.default_unit else ""
            urgency = "" if c.urgency == "general" else c.urgency
            rows.append([*names, *[""] * (3 - len(names)), unit, urgency, code])
            walk(c.pk)

    walk(None)
    return rows


def _staff_users():
    return (
        User.objects.filter(Q(staff__isnull=False) | Q(groups__name__in=STAFF_ROLES))
        .distinct()
        .order_by("username")
    )


def city_rows() -> dict[str, list[list[str]]]:
    """Every file's rows (without the header), in the order they are written."""
    paths = _category_paths()
    routing = [
        [
            "/".join(paths[r.category_id]) if r.category_id else "",
            r.keyword,
            r.area,
            r.unit.code,
            str(r.priority),
        ]
        for r in RoutingRule.objects.select_related("unit")
    ]
    routing.sort(key=lambda r: (int(r[4]), r[0], r[1], r[2], r[3]))
    deadlines = sorted(
        DeadlineRule.objects.all(),
        key=lambda r: (URGENCIES.index(r.urgency) if r.urgency in URGENCIES else 99, r.kind),
    )
    templates = sorted(
        ReplyTemplate.objects.select_related("unit"), key=lambda t: (t.unit.code if t.unit else "", t.name)
    )
    profiles = {p.user_id: p for p in StaffProfile.objects.select_related("unit")}
    staff = []
    for user in _staff_users().prefetch_related("groups"):
        profile = profiles.get(user.pk)
        names = {g.name for g in user.groups.all()}
        staff.append(
            [
                user.username,
                profile.display_name if profile else "",
                ";".join(r for r in STAFF_ROLES if r in names),
                profile.unit.code if profile and profile.unit else "",
                "yes" if user.is_active else "no",
            ]
        )
    return {
        "units.csv": [
            [u.code, u.name, u.parent.code if u.parent else "", u.area]
            for u in Unit.objects.select_related("parent").order_by("path")
        ],
        "categories.csv": _category_rows(),
        "deadline_rules.csv": [
            [r.urgency, r.kind, str(r.sign_amount), r.sign_unit, str(r.reply_amount), r.reply_unit]
            for r in deadlines
        ],
        "calendar.csv": [
            [d.date.isoformat(), "workday" if d.is_workday else "holiday", d.name]
            for d in CalendarDay.objects.order_by("date")
        ],
        "routing.csv": routing,
        "reply_templates.csv": [[t.name, t.unit.code if t.unit else "", t.text] for t in templates],
        "staff.csv": staff,
    }


def dump_city(directory: str | Path) -> dict[str, int]:
    """Write the seven files into ``directory`` (created if missing); returns the rows per file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in city_rows().items():
        with open(directory / name, "w", encoding="utf-8", newline="") as fh:
            writer = SafeWriter(fh, lineterminator="\n")
            writer.writerow(FILES[name][0])
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts


# -- load ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str
    column_number: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.column:
            where += (
                f", column {self.column_number} ({self.column})"
                if self.column_number
                else f", column {self.column}"
            )
        return f"{where}: {self.message}"


class CityLoadError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Row:
    file: str
    line: int
    header: list[str]
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def problem(self, column: str | None, message: str) -> Problem:
        number = self.header.index(column) + 1 if column in self.header else None
        return Problem(self.file, self.line, column, message, number)


@dataclass
class LoadReport:
    rows: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    new_staff: list[str] = field(default_factory=list)


def _decode(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "save it as UTF-8"
        try:
            from massline.core.text.encoding import decode_bytes

            _text, guess = decode_bytes(data, source=name)
            hint = f"it looks like {guess}: save it as UTF-8 (e.g. iconv -f {guess} -t utf-8)"
        except ValueError:
            pass
        return None, Problem(name, line, None, f"not UTF-8 (byte 0x{data[exc.start]:02x}); {hint}")


def read_table(path: Path, problems: list[Problem]) -> tuple[list[str], list[Row]]:
    """The header and non-empty rows of one city file; format problems are appended to ``problems``."""
    name = path.name
    known, required = FILES[name]
    text, problem = _decode(name, path.read_bytes())
    if problem or text is None:
        problems.append(problem or Problem(name, None, None, "unreadable"))
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    try:
        header = [LEVEL_ALIASES.get(h.strip(), h.strip()) for h in next(reader, [])]
        if not any(header):
            problems.append(
                Problem(name, 1, None, f"empty file: the first line must name the columns {', '.join(known)}")
            )
            return [], []
        for i, col in enumerate(header, 1):
            if col not in known:
                problems.append(
                    Problem(name, 1, col, f"unknown column; the columns are {', '.join(known)}", i)
                )
        for col in required:
            if col not in header:
                problems.append(Problem(name, 1, col, "this column is missing"))
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(name, line, None, f"{len(cells)} cells, but the header has {len(header)} columns")
                )
                continue
            cells = [unescape_cell(c) for c in cells]  # dump_city wrote them formula-safe
            rows.append(Row(name, line, header, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, f"malformed CSV ({exc}); check the quotes"))
    return header, rows


class _Loader:
    """Applies the rows of each file through the console actions, collecting problems."""

    def __init__(self, actor: ConsoleActor):
        self.actor = actor
        self.problems: list[Problem] = []
        self.report = LoadReport()

    def attempt(self, row: Row, fields: dict[str, str], do: Callable[[], object]) -> object | None:
        """Run one action; a ConsoleError becomes a problem at the column of the field it names."""
        try:
            return do()
        except ConsoleError as exc:
            self.problems.append(row.problem(fields.get(exc.field or "", exc.field), str(exc)))
            return None

    def unit(self, row: Row, column: str, required: bool = False) -> Unit | None | bool:
        code = row.get(column)
        if not code:
            if required:
                self.problems.append(row.problem(column, "a unit code is needed"))
                return False
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            self.problems.append(row.problem(column, f"unknown unit code {code!r}"))
            return False
        return unit

    def once(self, rows: list[Row], key: Callable[[Row], object], column: str) -> list[Row]:
        seen: dict[object, int] = {}
        kept = []
        for row in rows:
            k = key(row)
            if k in seen:
                self.problems.append(row.problem(column, f"{k!r} appears twice (first on line {seen[k]})"))
            else:
                seen[k] = row.line
                kept.append(row)
        return kept

    def integer(self, row: Row, column: str, default: int | None = None) -> int | None:
        value = row.get(column)
        if not value and default is not None:
            return default
        try:
            return int(value)
        except ValueError:
            self.problems.append(row.problem(column, f"{value!r} is not a whole number"))
            return None

    # one method per file, in load order ---------------------------------------------------------

    def units(self, rows: list[Row]) -> None:
        rows = self.once(rows, lambda r: r.get("code"), "code")
        known = set(Unit.objects.values_list("code", flat=True))
        pending = rows
        while pending:
            waiting = []
            for row in pending:
                parent_code = row.get("parent")
                if parent_code and parent_code not in known:
                    waiting.append(row)
                    continue
                parent = Unit.objects.filter(code=parent_code).first() if parent_code else None
                if parent_code and parent is None:
                    continue  # the parent's own row failed, and says why
                fields = {"code": "code", "name": "name", "parent": "parent", "area": "area"}
                self.attempt(
                    row,
                    fields,
                    partial(
                        actions.save_unit,
                        self.actor,
                        row.get("code"),
                        name=row.get("name"),
                        parent=parent,
                        area=row.get("area"),
                    ),
                )
                known.add(row.get("code"))
            if len(waiting) == len(pending):
                for row in waiting:
                    self.problems.append(
                        row.problem(
                            "parent",
                            f"unknown parent code {row.get('parent')!r}: not in units.csv nor in the database "
                            "(or the parents form a loop)",
                        )
                    )
                break
            pending = waiting

    def categories(self, rows: list[Row]) -> None:
        by_path = {path: pk for pk, path in _category_paths().items()}
        nodes = {c.pk: c for c in Category.objects.all()}
        header = rows[0].header if rows else []
        for row in rows:
            names = [row.get(c) for c in LEVELS]
            while names and not names[-1]:
                names.pop()
            if not names or not all(names):
                gap = LEVELS[names.index("")] if names else LEVELS[0]
                self.problems.append(row.problem(gap, "a category name is missing on this level"))
                continue
            parent: Category | None = None
            for depth in range(1, len(names) + 1):
                path, own = tuple(names[:depth]), depth == len(names)
                existing = nodes.get(by_path.get(path, -1))
                if not own and existing is not None:
                    parent = existing
                    continue
                fields = {"name": LEVELS[depth - 1], "parent": LEVELS[depth - 1], "code": "code"}
                fields |= {"default_unit": "default_unit", "urgency": "urgency"}
                if own:
                    code = row.get("code") or (existing.code if existing else "")
                    unit = (
                        self.unit(row, "default_unit")
                        if "default_unit" in header
                        else (existing.default_unit if existing else None)
                    )
                    if unit is False:
                        break
                    urgency = (
                        (row.get("urgency") or "general")
                        if "urgency" in header
                        else (existing.urgency if existing else "general")
                    )
                else:
                    code, unit, urgency = "", None, "general"
                node = self.attempt(
                    row,
                    fields,
                    partial(
                        actions.save_category,
                        self.actor,
                        code,
                        name=path[-1],
                        parent=parent,
                        default_unit=unit,  # type: ignore[arg-type]
                        urgency=urgency,
                    ),
                )
                if not isinstance(node, Category):
                    break
                by_path[path], nodes[node.pk], parent = node.pk, node, node

    def deadline_rules(self, rows: list[Row]) -> None:
        rows = self.once(rows, lambda r: (r.get("urgency"), r.get("kind")), "kind")
        for row in rows:
            sign, reply = self.integer(row, "sign_amount"), self.integer(row, "reply_amount")
            if sign is None or reply is None:
                continue
            self.attempt(
                row,
                {f: f for f in FILES["deadline_rules.csv"][0]},
                partial(
                    actions.save_deadline_rule,
                    self.actor,
                    row.get("urgency"),
                    row.get("kind"),
                    sign_amount=sign,
                    sign_unit=row.get("sign_unit"),
                    reply_amount=reply,
                    reply_unit=row.get("reply_unit"),
                ),
            )
        for urgency in actions.missing_general_deadline_rules():
            self.problems.append(
                Problem(
                    "deadline_rules.csv",
                    None,
                    None,
                    f"no rule for urgency {urgency!r} with an empty kind: every urgency needs one",
                )
            )

    def calendar(self, rows: list[Row]) -> None:
        rows = self.once(rows, lambda r: r.get("date"), "date")
        for row in rows:
            try:
                day = date.fromisoformat(row.get("date"))
            except ValueError:
                self.problems.append(
                    row.problem("date", f"{row.get('date')!r} is not a date like 2026-10-01")
                )
                continue
            kind = row.get("type").lower()
            if kind not in DAY_TYPES:
                self.problems.append(row.problem("type", f"{kind!r}: write holiday or workday"))
                continue
            self.attempt(
                row,
                {"date": "date", "is_workday": "type", "name": "name"},
                partial(
                    actions.save_calendar_day,
                    self.actor,
                    day,
                    is_workday=kind == "workday",
                    name=row.get("name"),
                ),
            )

    def routing(self, rows: list[Row]) -> None:
        paths = {"/".join(p): pk for pk, p in _category_paths().items()}
        for row in rows:
            label = "/".join(part.strip() for part in row.get("category").split("/"))
            category = None
            if label:
                pk = paths.get(label)
                category = (
                    Category.objects.filter(pk=pk).first()
                    if pk
                    else Category.objects.filter(code=label).first()
                )
                if category is None:
                    self.problems.append(
                        row.problem(
                            "category",
                            f"unknown category {label!r} (a path like 城乡建设/安全生产, or a code)",
                        )
                    )
                    continue
            unit, priority = self.unit(row, "unit", required=True), self.integer(row, "priority", default=100)
            if unit is False or unit is None or priority is None:
                continue
            self.attempt(
                row,
                {f: f for f in FILES["routing.csv"][0]},
                partial(
                    actions.put_routing_rule,
                    self.actor,
                    category=category,
                    keyword=row.get("keyword"),
                    area=row.get("area"),
                    unit=unit,  # type: ignore[arg-type]
                    priority=priority,
                ),
            )

    def reply_templates(self, rows: list[Row]) -> None:
        rows = self.once(rows, lambda r: (r.get("unit"), r.get("name")), "name")
        for row in rows:
            unit = self.unit(row, "unit")
            if unit is False:
                continue
            self.attempt(
                row,
                {"name": "name", "text": "text", "unit": "unit"},
                partial(
                    actions.put_reply_template,
                    self.actor,
                    name=row.get("name"),
                    text=row.cells.get("text", ""),
                    unit=unit,  # type: ignore[arg-type]
                ),
            )

    def staff(self, rows: list[Row]) -> None:
        rows = self.once(rows, lambda r: r.get("username"), "username")
        existing = set(User.objects.values_list("username", flat=True))
        for row in rows:
            unit = self.unit(row, "unit")
            active = row.get("active").lower()
            if unit is False:
                continue
            if active not in YES + NO:
                self.problems.append(row.problem("active", f"{active!r}: write yes or no"))
                continue
            roles = [r.strip() for r in row.get("roles").split(";") if r.strip()]
            user = self.attempt(
                row,
                {
                    "username": "username",
                    "name": "name",
                    "roles": "roles",
                    "unit": "unit",
                    "active": "active",
                },
                partial(
                    actions.save_staff,
                    self.actor,
                    row.get("username"),
                    name=row.get("name"),
                    unit=unit,  # type: ignore[arg-type]
                    roles=roles,
                    active=active in YES,
                ),
            )
            if user is not None and row.get("username") not in existing:
                self.report.new_staff.append(row.get("username"))


LOAD_ORDER = (
    ("units.csv", "units"),
    ("categories.csv", "categories"),
    ("deadline_rules.csv", "deadline_rules"),
    ("calendar.csv", "calendar"),
    ("routing.csv", "routing"),
    ("reply_templates.csv", "reply_templates"),
    ("staff.csv", "staff"),
)


def load_city(directory: str | Path, actor: ConsoleActor | None = None) -> LoadReport:
    """Load whichever of the seven files ``directory`` holds, all or nothing.

    Raises :class:`CityLoadError` with every problem found (file, line, column, message).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise CityLoadError([Problem(str(directory), None, None, "no such directory")])
    present = [(name, method) for name, method in LOAD_ORDER if (directory / name).is_file()]
    if not present:
        raise CityLoadError(
            [Problem(str(directory), None, None, f"none of the city files is here ({', '.join(FILES)})")]
        )
    loader = _Loader(actor or ConsoleActor.command())
    tables = {name: read_table(directory / name, loader.problems)[1] for name, _m in present}
    if loader.problems:
        raise CityLoadError(loader.problems)
    with transaction.atomic():
        for name, method in present:
            before = ConfigEvent.objects.count()
            getattr(loader, method)(tables[name])
            loader.report.rows[name] = len(tables[name])
            loader.report.changes[name] = ConfigEvent.objects.count() - before
        if loader.problems:
            transaction.set_rollback(True)
    if loader.problems:
        raise CityLoadError(loader.problems)
    return loader.report
