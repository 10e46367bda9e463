"""Open311 GeoReport v2 endpoints under /api/open311/v2/ (JSON and XML).

Plain Django views rather than django-ninja: the spec fixes the URL suffixes (.json/.xml), the
form-encoded POST, and its own error shape ``[{"code": 400, "description": "…"}]``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from functools import wraps

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from massline.intake.actions import IntakeError
from massline.pagecache.generations import REQUESTS
from massline.pagecache.pages import public_page
from massline.workflow import disclosure
from massline.workflow.models import Category

from . import georeport, xml
from .actions import ApiExtras, submit_via_api
from .auth import authenticate_key, check_rate, max_body_bytes, too_large
from .params import date_in_range, no_json_constant, unstorable_character

log = logging.getLogger(__name__)

MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
LIMITS = {  # field: max characters
    "description": georeport.MAX_DESCRIPTION,
    "address_string": 300,
    "first_name": 50,
    "last_name": 50,
    "phone": 40,
    "email": 254,
    "media_url": 1000,
    "device_id": 100,
    "account_id": 100,
    "title": 200,
}
_TRUE = {"1", "true", "yes", "on"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# --- rendering -----------------------------------------------------------------------------------------

_LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests_updates": "request_update",
}


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = xml.render(root, data, _LIST_ITEMS)
        response = HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    else:
        body = json.dumps(data, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    response["Access-Control-Allow-Origin"] = "*"  # public data, no credentials
    return response


def error(fmt: str, status: int, description: str, retry_after: int | None = None) -> HttpResponse:
    response = render(fmt, "errors", [{"code": status, "description": description}], status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def open311_view(view):
    """Format check, size limit, per-client rate limit, jurisdiction check and the error format."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, fmt: str, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            return response
        if too_large(request):
            return error(fmt, 413, f"the request is too large (the limit is {max_body_bytes()} bytes)")
        if request.method != "POST":  # a POST counts against its key instead (see _create)
            decision = check_rate(request, None)
            if not decision.allowed:
                return error(fmt, 429, "too many requests from this address; slow down", decision.retry_after)
        try:
            params = _params(request)
            _check_jurisdiction(params.get("jurisdiction_id", ""))
            return view(request, params, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        except RequestDataTooBig:
            return error(fmt, 413, "the request is too large")
        except SuspiciousOperation as exc:  # e.g. too many fields
            return error(fmt, 400, f"the request was refused: {exc}")
        except Exception:
            log.exception("Open311 %s %s failed", request.method, request.path)
            return error(fmt, 500, "the service failed to process this request; please tell the hotline")

    return csrf_exempt(wrapper)


def _json_argument(name: str, value) -> str:
    """A JSON argument as the form would have sent it: text, a number or a boolean, never a structure."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    what = "an object" if isinstance(value, dict) else "a list"
    raise Open311Error(400, f"{name[:60]} must be text or a number, not {what}")


def _params(request: HttpRequest) -> dict[str, str]:
    """GET arguments, and for POST the form (or a JSON object) on top of them."""
    params: dict[str, str] = {k: str(v) for k, v in request.GET.items()}
    if request.method == "POST":
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}", parse_constant=no_json_constant)
            except (ValueError, UnicodeDecodeError) as exc:
                raise Open311Error(400, f"the body is not valid JSON: {exc}") from exc
            if not isinstance(body, dict):
                raise Open311Error(400, "the JSON body must be an object of arguments")
            params.update({str(k): _json_argument(str(k), v) for k, v in body.items()})
        else:
            params.update({k: str(v) for k, v in request.POST.items()})
    for name, value in params.items():
        why = unstorable_character(name + value)
        if why:
            raise Open311Error(400, f"{name[:60]!r} contains {why}; send valid UTF-8 text")
    return {k: v.strip() for k, v in params.items()}


def _check_jurisdiction(value: str) -> None:
    if value and value != georeport.jurisdiction():
        raise Open311Error(
            404, f"jurisdiction_id {value!r} not found; this endpoint serves {georeport.jurisdiction()!r}"
        )


# --- discovery and services --------------------------------------------------------------------------


@open311_view
def discovery(request, params, *, fmt):
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})).rsplit("/", 1)[0]
    data = {
        "changeset": "2026-01-01T00:00:00+08:00",
        "contact": "",
        "key_service": "Ask the hotline's administrator for an API key (massline apikey create NAME).",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-01-01T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


@open311_view
@public_page()  # anonymous GETs from the page cache, after the rate limit (the API's policy)
def service_list(request, params, *, fmt):
    if request.method != "GET":
        raise Open311Error(405, "services are read with GET")
    return render(fmt, "services", georeport.services())


@open311_view
def service_definition(request, params, code, *, fmt):
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code {code!r} not found; GET services.{fmt} lists the codes")
    return render(fmt, "service_definition", georeport.service_definition(category))


# --- requests ------------------------------------------------------------------------------------------


@open311_view
@public_page(REQUESTS)  # POSTs and callers with a key pass through
def requests_collection(request, params, *, fmt):
    if request.method == "POST":
        return _create(request, params, fmt)
    if request.method != "GET":
        raise Open311Error(405, "use GET to read requests or POST to create one")
    records = [georeport.request_record(r) for r in _query(params)]
    return render(fmt, "service_requests", records)


@open311_view
@public_page(per_request="reference")
def request_detail(request, params, reference, *, fmt):
    req = georeport.public_pages().filter(reference=reference).first()
    if req is None:
        raise Open311Error(404, f"service_request_id {reference!r} not found")
    return render(fmt, "service_requests", [georeport.request_record(req)])


@open311_view
def token_lookup(request, params, token, *, fmt):
    reference = (
        disclosure.with_public_page().filter(tracking_token=token).values_list("reference", flat=True).first()
    )
    if reference is None:
        raise Open311Error(404, "token not found")
    return render(fmt, "service_requests", [{"service_request_id": reference, "token": token}])


def _split(value: str, limit: int = MAX_RESULTS) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()][:limit]


def parse_w3(value: str, name: str) -> datetime:
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    text = value.strip()
    if len(text) > 19 and text[19] == " ":
        text = text[:19] + "+" + text[20:]
    try:
        return date_in_range(datetime.fromisoformat(text), name)
    except ValueError as exc:
        if str(exc).startswith(name):  # in the calendar, but outside the years a hotline has
            raise Open311Error(400, str(exc)) from exc
        raise Open311Error(400, f"{name} must be a w3 date-time such as 2026-03-01T00:00:00+08:00") from exc


def _query(params: dict[str, str]):
    qs = georeport.public_requests()
    ids = _split(params.get("service_request_id", ""))
    if ids:  # "This overrides all other arguments." Asked for by id, a merged duplicate is found.
        pages = georeport.public_pages().filter(reference__in=ids)
        return list(pages.order_by("-received_at", "-id")[:MAX_RESULTS])
    codes = _split(params.get("service_code", ""))
    if codes:
        category_ids, unclassified = georeport.category_ids_for_codes(codes)
        if unclassified:
            from django.db.models import Q

            qs = qs.filter(Q(category_id__in=category_ids) | Q(category__isnull=True))
        else:
            qs = qs.filter(category_id__in=category_ids)
    statuses = set(_split(params.get("status", "")))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status must be open, closed, or both (comma separated)")
    if statuses == {"open"}:
        qs = qs.filter(state__in=georeport.OPEN_STATES)
    elif statuses == {"closed"}:
        qs = qs.filter(state__in=georeport.CLOSED_STATES)
    start, end = _window(params)
    qs = qs.filter(received_at__gte=start, received_at__lte=end)
    return list(qs.order_by("-received_at", "-id")[:MAX_RESULTS])


def _window(params: dict[str, str]) -> tuple[datetime, datetime]:
    """start_date and end_date: at most 90 days; one alone spans 90 days from it; neither, the last 90."""
    start = parse_w3(params["start_date"], "start_date") if params.get("start_date") else None
    end = parse_w3(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date is before start_date")
        if end - start > MAX_SPAN:
            raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    elif start:
        end = start + MAX_SPAN
    elif end:
        start = end - MAX_SPAN
    else:
        end = timezone.now()
        start = end - MAX_SPAN
    return start, end


# --- service request updates (mySociety's extension) ----------------------------------------------------


@open311_view
def service_request_updates(request, params, *, fmt):
    """GET servicerequestupdates: the changes to listed requests between start_date and end_date, oldest
    first, at most 1000 (ask again from the last updated_datetime for more). ``api_key`` is optional, as the
    extension allows: the updates are public, so a key is neither needed nor checked. An optional
    ``service_request_id`` (comma separated) narrows them to those requests."""
    if request.method != "GET":
        raise Open311Error(405, "updates are read with GET")
    start, end = _window(params)
    events = georeport.public_updates(start, end, _split(params.get("service_request_id", "")), MAX_RESULTS)
    return render(fmt, "service_requests_updates", georeport.update_records(events))


# --- POST requests -------------------------------------------------------------------------------------


def _limited(params: dict[str, str], name: str) -> str:
    value = params.get(name, "") or ""
    if len(value) > LIMITS[name]:
        raise Open311Error(400, f"{name} is too long ({len(value)} characters; the limit is {LIMITS[name]})")
    return value


def _float(params: dict[str, str], name: str, low: float, high: float) -> float | None:
    raw = params.get(name, "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError as exc:
        raise Open311Error(400, f"{name} must be a number in WGS84 degrees, not {raw[:40]!r}") from exc
    if not (low <= value <= high):  # also refuses nan
        raise Open311Error(400, f"{name} {value} is out of range ({low} to {high})")
    return value


def _contact_name(first: str, last: str) -> str:
    if any("\u3400" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"  # Chinese order: family name first, no space
    return " ".join(p for p in (first, last) if p)


def _sent_key(request, params) -> str:
    """The key as the spec sends it (``api_key``), or as the REST API does (X-API-Key, Bearer)."""
    bearer = request.headers.get("Authorization", "")
    bearer = bearer[7:].strip() if bearer[:7].lower() == "bearer " else ""
    return params.get("api_key") or request.headers.get("X-API-Key") or bearer


def _create(request, params, fmt):
    sent = _sent_key(request, params)
    key = authenticate_key(sent)
    decision = check_rate(request, key)  # per key; per address while the key is missing or wrong
    if not decision.allowed:
        return error(fmt, 429, "too many requests; slow down", decision.retry_after)
    if key is None:
        if sent:
            raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
        raise Open311Error(403, "api_key is required to create a service request")

    code = params.get("service_code", "")
    if not code:
        raise Open311Error(400, f"service_code was not provided; GET services.{fmt} lists the codes")
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise Open311Error(404, f"service_code {code[:60]!r} is not a known service; see services.{fmt}")

    lat = _float(params, "lat", -90, 90)
    lon = _float(params, "long", -180, 180)
    address = _limited(params, "address_string")
    if (lat is None) != (lon is None):
        raise Open311Error(400, "lat and long must be sent together")
    if lat is None and not address:
        if params.get("address_id"):
            raise Open311Error(400, "address_id is not supported here; send lat and long or address_string")
        raise Open311Error(400, "a location is required: lat and long, or address_string")

    description = _limited(params, "description")
    if not description.strip():
        raise Open311Error(400, "description is required: say what the problem is")
    email = _limited(params, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Open311Error(400, "email is not a valid e-mail address") from exc
    media_url = _limited(params, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as exc:
            raise Open311Error(400, "media_url must be an http or https URL") from exc

    attributes = {k[10:-1]: v for k, v in params.items() if k.startswith("attribute[") and k.endswith("]")}
    kind = attributes.get("kind") or "complaint"
    if kind not in georeport.OPEN311_KINDS:
        raise Open311Error(400, f"attribute[kind] must be one of {', '.join(georeport.OPEN311_KINDS)}")
    title = attributes.get("title", "")
    if len(title) > LIMITS["title"]:
        raise Open311Error(400, f"attribute[title] is too long (the limit is {LIMITS['title']} characters)")
    anonymous = attributes.get("anonymous", "").lower() in _TRUE
    first, last = _limited(params, "first_name"), _limited(params, "last_name")
    phone = _limited(params, "phone")

    extras = ApiExtras(
        protocol="open311",
        service_code=code,
        media_url=media_url,
        device_id=_limited(params, "device_id"),
        account_id=_limited(params, "account_id"),
        attributes={k: v[:200] for k, v in list(attributes.items())[:20]},
        idempotency_key=request.headers.get("Idempotency-Key", "").strip(),
    )
    try:
        req = submit_via_api(
            key,
            extras,
            category=category,
            text=description,
            title=title,
            kind=kind,
            address=address,
            lat=lat,
            lon=lon,
            contact_name="" if anonymous else _contact_name(first, last),
            contact_phone="" if anonymous else phone,
            contact_email="" if anonymous else email,
            anonymous=anonymous,
        )
    except IntakeError as exc:
        raise Open311Error(400, str(exc)) from exc
    data = [
        {
            "service_request_id": req.reference,
            "token": req.tracking_token,
            "service_notice": georeport.service_notice(req),
            "account_id": extras.account_id or None,
        }
    ]
    return render(fmt, "service_requests", data, status=201)
