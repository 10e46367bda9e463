"""One source row → the values of one request, or the reason it is refused (line, column, message).

This is the CPU-heavy half of a bulk import (parsing, the same checks as ``submit_request``, and the
redacted public form stored at write time), so it runs in worker processes; it never touches the
database. The checks are intake's own: the same limits, kinds, years and map-position rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from massline.core.text.timestamps import parse_export_time
from massline.workflow.models import KINDS

from .actions import EARLIEST_YEAR, LATEST_YEAR, MAX_TEXT, MAX_TITLE, IntakeError, _clean
from .presets import ColumnPlan

_KINDS = {k for k, _ in KINDS}


@dataclass(frozen=True)
class Prepared:
    line: int
    external_id: str
    title: str
    text: str
    kind: str
    received_at: datetime
    closed_at: datetime | None
    state: str  # received, closed or rejected
    status: str  # the source's own status text
    address: str
    lat: float | None
    lon: float | None
    requester_key: str
    category_label: str
    public_text: str
    held: bool
    unknown_status: bool = False
    search_words: str = ""  # public_text cut into words for full-text search (core.text.searchwords)
    reply: str = ""  # the unit's answer in the source (intake.replies)
    replied_at: datetime | None = None
    public_forms: dict[str, str] | None = None  # the stored public columns (workflow.excerpt.public_forms)
    reply_public: str = ""  # the reply's stored public form (workflow.excerpt.reply_form)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


class _Refused(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _cell(cells: list[str], plan: ColumnPlan, key: str, sep: str = ": ") -> str:
    values = [cells[i].strip() for i in plan.positions.get(key, ()) if i < len(cells) and cells[i].strip()]
    return sep.join(values)


def _column(plan: ColumnPlan, key: str) -> str:
    return ", ".join(plan.names.get(key, ())) or key


def _time(value: str, plan: ColumnPlan, key: str) -> datetime | None:
    if not value:
        return None
    dt = None
    for fmt in plan.mapping.date_formats:
        try:
            dt = datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    if dt is None:
        try:
            dt = parse_export_time(value)
        except ValueError as exc:
            raise _Refused(_column(plan, key), str(exc)) from None
    if not EARLIEST_YEAR <= dt.year <= LATEST_YEAR:
        raise _Refused(_column(plan, key), f"the year {dt.year} is outside {EARLIEST_YEAR} to {LATEST_YEAR}")
    return timezone.make_aware(dt) if timezone.is_naive(dt) else dt


def _float(value: str, plan: ColumnPlan, key: str) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise _Refused(_column(plan, key), f"{value!r} is not a number") from None


def _prepare(line: int, cells: list[str], plan: ColumnPlan, now: datetime, redact: bool) -> Prepared:
    if len(cells) != plan.width:
        raise _Refused("-", f"{len(cells)} columns where the header has {plan.width}")
    try:
        text = _clean(_cell(cells, plan, "text"), MAX_TEXT, "the text")
        title = _clean(_cell(cells, plan, "title"), MAX_TITLE, "the title") or text[:40]
        address = _clean(_cell(cells, plan, "address", ", "), 300, "the address")
    except IntakeError as exc:
        raise _Refused(_column(plan, "text"), str(exc)) from None
    try:
        reply = _clean(_cell(cells, plan, "reply"), MAX_TEXT, "the reply")
    except IntakeError as exc:
        raise _Refused(_column(plan, "reply"), str(exc)) from None
    if not text:
        raise _Refused(_column(plan, "text"), "the text is empty")
    external_id = _cell(cells, plan, "id")
    if len(external_id) > 64:
        raise _Refused(_column(plan, "id"), f"the id is {len(external_id)} characters long; the limit is 64")
    kind = _cell(cells, plan, "kind").lower() or plan.mapping.kind
    if kind not in _KINDS:
        raise _Refused(
            _column(plan, "kind"), f"unknown kind {kind!r}; use one of {', '.join(sorted(_KINDS))}"
        )
    lat, lon = _float(_cell(cells, plan, "lat"), plan, "lat"), _float(_cell(cells, plan, "lon"), plan, "lon")
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        raise _Refused(_column(plan, "lat"), "the map position is invalid: give both, within range")
    received = _time(_cell(cells, plan, "time"), plan, "time") or now
    closed = _time(_cell(cells, plan, "closed"), plan, "closed")
    status = _cell(cells, plan, "status")
    state = plan.mapping.state_for(status) if status else None
    unknown_status = bool(status) and state is None
    if state is None:
        state = "closed" if closed or reply else "received"  # a replied message is finished
    # the reply's time: the close time (govmsg's 答复时间), else the receipt time
    replied_at = (closed if closed and closed >= received else received) if reply else None
    if state == "received":
        closed = None  # an open case keeps no close time, whatever the export says
    elif closed is None or closed < received:
        closed = received  # finished, but the export does not say when (or says before it began)
    public_text, held, words, forms, reply_public = "", False, "", None, ""
    if redact:
        from massline.workflow.excerpt import needs_hold, public_forms, reply_form

        forms = public_forms(title, text, address).fields()  # as Request.save does, in the worker processes
        public_text, words = forms.pop("public_text"), forms.pop("search_words")
        held = needs_hold(public_text)
        reply_public = reply_form(reply) if reply else ""
    return Prepared(
        line=line,
        external_id=external_id,
        title=title,
        text=text,
        kind=kind,
        received_at=received,
        closed_at=closed,
        state=state,
        status=status[:100],
        address=address,
        lat=lat,
        lon=lon,
        requester_key=_cell(cells, plan, "user")[:64],
        category_label=_cell(cells, plan, "category"),
        public_text=public_text,
        held=held,
        unknown_status=unknown_status,
        search_words=words,
        reply=reply,
        replied_at=replied_at,
        public_forms=forms,
        reply_public=reply_public,
    )


def prepare_rows(
    rows: list[tuple[int, list[str]]], plan: ColumnPlan, now: datetime, redact: bool = True
) -> list[Prepared | RowError]:
    out: list[Prepared | RowError] = []
    for line, cells in rows:
        try:
            out.append(_prepare(line, cells, plan, now, redact))
        except _Refused as exc:
            out.append(RowError(line, exc.column, exc.message))
    return out


# --- worker processes ------------------------------------------------------------------------------------

_worker_plan: ColumnPlan | None = None


def init_worker(plan: ColumnPlan) -> None:
    """Pool initializer: remember the plan, and die with the importer (a kill -9 must not leave
    orphans waiting for work)."""
    global _worker_plan
    _worker_plan = plan
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def prepare_in_worker(rows: list[tuple[int, list[str]]], now: datetime, redact: bool) -> list:
    assert _worker_plan is not None
    return prepare_rows(rows, _worker_plan, now, redact)
