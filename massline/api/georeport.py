"""Open311 GeoReport v2 records built from our models: services, service definitions, requests.

Public data only: misconduct reports (舉報) and requests rejected as invalid never appear, and no
contact detail is ever part of a record. Descriptions, addresses and replies go through the portal's
redaction (``massline.workflow.excerpt``: redacted first, then cut; addresses to street and building,
points to about 100 m), so the API shows exactly what the public pages show.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.core.workflow import OPEN, TERMINAL, State
from massline.workflow import disclosure
from massline.workflow.excerpt import public_address, public_excerpt, public_point, requester_names
from massline.workflow.models import KINDS, AuditEvent, Category, Reply, Request, Unit

MAX_DESCRIPTION = 4000  # the spec's limit for description, in and out
UNCLASSIFIED = "unclassified"  # service_code of requests a dispatcher has not classified yet
OPEN311_KINDS = [k for k, _label in KINDS if k not in disclosure.NEVER_PUBLIC_KINDS]

OPEN_STATES = sorted(s.value for s in OPEN)
CLOSED_STATES = sorted(s.value for s in TERMINAL)


def jurisdiction() -> str:
    return str(getattr(settings, "MASSLINE_OPEN311_JURISDICTION", "massline"))


def w3(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, as the spec requires (2026-03-02T10:00:00+08:00)."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def status_of(state: str) -> str:
    return "closed" if State(state) in TERMINAL else "open"


def public_text(text: str, req: Request | None = None, length: int = MAX_DESCRIPTION) -> str:
    """``text`` with personal data removed (the requester's own name and contacts too), then cut."""
    if not text:
        return ""
    return public_excerpt(text, length, requester_names(req) if req is not None else ())


def full_text_url(req: Request) -> str:
    """The request's public page, where the whole (redacted) text is."""
    from massline.notify.compose import site_url

    return site_url(reverse("portal:detail", args=[req.reference]))


def public_description(req: Request) -> str:
    """The redacted text in at most MAX_DESCRIPTION characters (the published schema's maxLength). A text
    that had to be cut ends with a link to the public page, where it is shown whole; redacted first, then
    cut, so that the cut never reveals part of a hidden number."""
    text = public_text(req.text, req)
    if len(text) < MAX_DESCRIPTION - 200 or not text.endswith("…"):
        return text  # not cut (a cut text fills the limit up to the last whole mask)
    link = "\n" + _("Full text: %(url)s") % {"url": full_text_url(req)}
    return public_text(req.text, req, MAX_DESCRIPTION - len(link)) + link


# --- services -------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _keywords(names: list[str]) -> str:
    """The path's names in Simplified and Traditional script, so that clients can match either."""
    from massline.core.text.normalize import to_simplified

    seen: list[str] = []
    for name in reversed(names):
        for variant in (name, to_simplified(name), _s2t().convert(name)):
            if variant and variant not in seen:
                seen.append(variant)
    return ", ".join(seen)


def services() -> list[dict]:
    """The service list: every node of the category catalogue (one query)."""
    rows = list(Category.objects.order_by("code").values_list("id", "code", "name", "parent_id"))
    by_id = {pk: (name, parent) for pk, _code, name, parent in rows}

    def path(pk: int) -> list[str]:
        names: list[str] = []
        seen: set[int] = set()
        node: int | None = pk
        while node is not None and node not in seen:
            seen.add(node)
            name, node = by_id[node]
            names.append(name)
        return names[::-1]

    result = []
    for pk, code, name, _parent in rows:
        names = path(pk)
        result.append(
            {
                "service_code": code,
                "service_name": name,
                "description": " / ".join(names),
                "metadata": True,
                "type": "realtime",
                "keywords": _keywords(names),
                "group": names[0],
            }
        )
    return result


def service_definition(category: Category) -> dict:
    """Optional attributes every service accepts (POST ``attribute[code]=value``)."""
    kinds = [{"key": k, "name": str(label)} for k, label in KINDS if k in OPEN311_KINDS]
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "kind",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("What kind of request this is; a complaint when not given."),
                "order": 1,
                "description": _("Kind of request"),
                "values": kinds,
            },
            {
                "variable": True,
                "code": "title",
                "datatype": "string",
                "required": False,
                "datatype_description": _(
                    "At most 200 characters; taken from the description when not given."
                ),
                "order": 2,
                "description": _("A short title"),
                "values": [],
            },
            {
                "variable": True,
                "code": "anonymous",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "true: the name, phone and e-mail sent with the request are not kept."
                ),
                "order": 3,
                "description": _("Submit anonymously"),
                "values": [{"key": "false", "name": _("No")}, {"key": "true", "name": _("Yes")}],
            },
        ],
    }


def category_ids_for_codes(codes: list[str]) -> tuple[set[int], bool]:
    """Category ids for ``codes`` including their sub-categories, and whether UNCLASSIFIED was asked."""
    rows = list(Category.objects.values_list("id", "code", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, _code, parent in rows:
        children.setdefault(parent, []).append(pk)
    wanted = {pk for pk, code, _parent in rows if code in codes}
    stack, found = list(wanted), set()
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found, UNCLASSIFIED in codes


# --- requests -------------------------------------------------------------------------------------------


def _records(qs: QuerySet[Request]) -> QuerySet[Request]:
    """Everything a record needs joined in (one query in all)."""
    latest_reply = (
        Reply.objects.filter(request=OuterRef("pk")).order_by("-created_at", "-id").values("text")[:1]
    )
    return qs.select_related("category", "unit", "merged_into", "api_submission").annotate(
        latest_reply=Subquery(latest_reply)
    )


def public_requests() -> QuerySet[Request]:
    """Requests an Open311 query lists (``workflow.disclosure.listed``: no reports, duplicates or
    rejected requests)."""
    return _records(disclosure.listed())


def public_pages() -> QuerySet[Request]:
    """Requests an Open311 lookup by id or token finds: listed ones, and merged duplicates (whose status
    notes name the lead)."""
    return _records(disclosure.with_public_page())


def _status_notes(req: Request) -> str | None:
    if req.state == State.MERGED.value and req.merged_into is not None:
        return _("Duplicate: merged into request %(reference)s, which is handled instead.") % {
            "reference": req.merged_into.reference
        }
    reply = getattr(req, "latest_reply", None)
    if reply:
        return public_text(reply, req)
    return str(req.get_state_display())


def _media_url(req: Request) -> str | None:
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    submission = getattr(req, "api_submission", None)
    return (submission.media_url or None) if submission is not None else None


def request_record(req: Request) -> dict:
    lat, lon = public_point(req.lat, req.lon)  # about 100 m: the street, not the doorstep
    return {
        "service_request_id": req.reference,
        "status": status_of(req.state),
        "status_notes": _status_notes(req),
        "service_name": req.category.name if req.category else _("Not classified yet"),
        "service_code": req.category.code if req.category else UNCLASSIFIED,
        "description": public_description(req),
        "agency_responsible": req.unit.name if req.unit else None,
        "service_notice": None,
        "requested_datetime": w3(req.received_at),
        "updated_datetime": w3(req.closed_at or req.updated_at),
        "expected_datetime": w3(req.reply_due) if req.state in OPEN_STATES else None,
        "address": public_address(req.address, requester_names(req)) or None,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": _media_url(req),
    }


def service_notice(req: Request) -> str:
    """What happens next, for the POST response."""
    if getattr(req, "routing_pending", False):  # a worker routes it in a moment (intake.deferred)
        return _("Received; it is being routed to the responsible unit.")
    if req.unit is not None and req.reply_due is not None:
        return _("Sent to %(unit)s; a reply is due by %(due)s.") % {
            "unit": req.unit.name,
            "due": timezone.localtime(req.reply_due).strftime("%Y-%m-%d %H:%M"),
        }
    return _("Received; a dispatcher will send it to the responsible unit.")


# --- service request updates (mySociety's servicerequestupdates extension) ----------------------------

# The extension's status words, as FixMyStreet's Open311 client maps them; ``external_status_code`` carries
# our own state. A reply (答復) is the unit's answer: "fixed" (the requester's follow-up may still reopen).
UPDATE_STATUS = {
    State.RECEIVED: "open",
    State.DISPATCHED: "open",
    State.TRANSFERRED: "open",
    State.RETURNED: "open",
    State.REOPENED: "open",
    State.SIGNED: "in_progress",
    State.INVESTIGATING: "in_progress",
    State.REPLIED: "fixed",
    State.CLOSED: "closed",
    State.MERGED: "duplicate",
    State.REJECTED: "no_further_action",
}
assert set(UPDATE_STATUS) == set(State)
# Not updates of a request: its submission (requests.json has it) and the moderators' own steps.
NOT_UPDATES = frozenset({"submit", "release", "keep_hidden"})
ANSWERS = frozenset({"reply", "answer_on_call"})  # events whose description is the unit's reply itself


def update_status(state: str) -> str:
    try:
        return UPDATE_STATUS[State(state)]
    except ValueError:
        return "open"


def public_updates(start: datetime, end: datetime, references: list[str] | None = None, limit: int = 1000):
    """The audit events of listed requests between ``start`` and ``end`` (oldest first), as updates."""
    requests = disclosure.listed()
    if references:
        requests = requests.filter(reference__in=references)
    return list(
        AuditEvent.objects.filter(request__in=requests.values("pk"), at__gte=start, at__lte=end)
        .exclude(action__in=NOT_UPDATES)
        .select_related("request", "request__unit")
        .order_by("at", "id")[:limit]
    )


def update_records(events: list[AuditEvent]) -> list[dict]:
    """The extension's records: the timeline's sentence, or the redacted reply for a reply (3 queries)."""
    from massline.core.text.script import for_reader
    from massline.portal.timeline import describe

    codes = {e.data.get("unit") for e in events if e.data and e.data.get("unit")}
    units = {c: for_reader(n) for c, n in Unit.objects.filter(code__in=codes).values_list("code", "name")}
    answered = [e.request_id for e in events if e.action in ANSWERS]
    replies = {
        (r.request_id, r.created_at): r.text
        for r in Reply.objects.filter(request_id__in=answered).only("request_id", "created_at", "text")
    }
    records = []
    for event in events:
        req = event.request
        reply = replies.get((event.request_id, event.at)) if event.action in ANSWERS else None
        fallback = for_reader(req.unit.name) if req.unit is not None else ""
        records.append(
            {
                "update_id": str(event.pk),
                "service_request_id": req.reference,
                "status": update_status(event.to_state),
                "updated_datetime": w3(event.at),
                "description": public_text(reply, req) if reply else describe(event, units, fallback),
                "media_url": None,
                "external_status_code": event.to_state,
            }
        )
    return records


# --- reading another server's updates (the open311out poller) ----------------------------------------


def read_updates(body: bytes, content_type: str = "") -> list[dict[str, str]]:
    """A ``servicerequestupdates`` answer (JSON, or FixMyStreet-style XML) as a list of plain records with
    text values. Raises ValueError on anything else."""
    text = body.decode("utf-8", "replace").lstrip()
    if "json" in content_type or text[:1] in "[{":
        import json

        data = json.loads(text)
        if isinstance(data, dict):  # some servers wrap the list
            data = data.get("service_request_updates") or data.get("service_requests_updates") or []
        if not isinstance(data, list):
            raise ValueError("the JSON answer is not a list of updates")
        items = [item for item in data if isinstance(item, dict)]
        return [{k: "" if v is None else str(v) for k, v in item.items()} for item in items]
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text)  # noqa: S314 - no entities are expanded by ElementTree
    return [{child.tag: (child.text or "").strip() for child in item} for item in root.iter("request_update")]
