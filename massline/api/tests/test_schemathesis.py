"""schemathesis against /api/openapi.json, through the WSGI app (no network), with a staff key.

Every operation of the published schema gets generated calls, valid ones and invalid ones (wrong types,
missing fields, values past the limits), and every answer is checked: no server error, a status code
and content type the schema declares for the operation, and a body that matches its declared schema.
The number of examples is bounded so that the suite stays fast; raise MASSLINE_FUZZ_EXAMPLES for a
longer run (e.g. 500 before a release).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

pytest.importorskip("schemathesis")

EXAMPLES = int(os.environ.get("MASSLINE_FUZZ_EXAMPLES", "20"))


@pytest.fixture
def staff_key(staff, make_request, category, actors, settings):
    """The admin's key, and a few requests for it to find (one dispatched, one in the dispatcher queue).
    No rate limit: the fuzzer calls far faster than a client may (test_abuse.py tests the limit)."""
    settings.MASSLINE_API_RATE_LIMIT = settings.MASSLINE_API_ANON_RATE_LIMIT = 0
    from massline.api.actions import create_api_key
    from massline.workflow import actions as wf

    dispatched = make_request(text="小区门口的路灯坏了两个月")
    wf.do_dispatch(dispatched, actors["dispatcher"], category=category)
    make_request(text="噪音扰民,晚上十点以后还在施工")
    return create_api_key("schemathesis", user=staff["admin"])[1]


@pytest.fixture
def known(staff_key, staff, category, settings):
    """Real objects for the operations that name one in their path: each is also called on them, so that
    the fuzzer gets past "not found" (votes on a real statement, resolving a real supervision …)."""
    from datetime import datetime
    from urllib.parse import urlsplit
    from zoneinfo import ZoneInfo

    from massline.console.actions import ConsoleActor
    from massline.consult import actions as consult
    from massline.subscriptions import actions as subscriptions
    from massline.webhooks.actions import create_subscription
    from massline.workflow import actions as wf
    from massline.workflow.models import Request

    settings.MASSLINE_PREMODERATE = False
    req = Request.objects.filter(state="dispatched").first()
    c = consult.create_consultation(
        staff["supervisor"],
        title="夜市",
        question="河濱路設夜市好不好？",
        seed_statements=["夜市讓街道更熱鬧。"],
    )
    consult.open_consultation(c, staff["supervisor"])
    sup = wf.raise_supervision(
        req, "sign_overdue", datetime(2026, 3, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    create_subscription(
        ConsoleActor.of(staff["admin"]), name="fuzz-hook", url="http://127.0.0.1:9/", events=["*"]
    )
    sub = subscriptions.ask_to_follow("fan@example.org", request=req)

    def token(url: str) -> str:
        return urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]

    return {
        "code": "a1",  # a unit
        "category_code": category.code,
        "consultation_id": c.pk,
        "supervision_id": sup.pk,
        "name": "fuzz-hook",
        "reference": req.reference,
        "action": "sign",
        "token": req.tracking_token,
        "confirm_token": token(subscriptions.confirm_url(sub)),
        "stop_token": token(subscriptions.stop_url(sub)),
        "statement": c.statements.first().pk,
    }


# Real bodies for the calls on known objects (the generated ones are mostly refused).
def known_body(operation, known) -> object:
    path, method = operation.path, operation.method.upper()
    if path == "/api/subscriptions":
        return {"email": "another.fan@example.org", "reference": known["reference"]}
    if path == "/api/webhooks" and method == "POST":
        return {"name": "fuzz-known", "url": "https://example.org/hook", "events": ["dispatch"]}
    if path.endswith("/votes"):
        return {"statement": known["statement"], "vote": "agree"}
    if path.endswith("/statements") and method == "POST":
        return {"text": "夜市應該九點半收攤，讓居民休息。", "confirm": True}
    if path.endswith("/resolve"):
        return {"note": "已督促簽收"}
    if path.endswith("/follow-up"):
        return {"solved": True, "satisfaction": "satisfied"}
    if path.endswith("/actions/{action}"):
        return {"expected_version": 0}
    return None


def path_values(operation, known) -> dict:
    """The known object for each of the operation's path parameters."""
    values = {}
    for parameter in operation.path_parameters:
        name = parameter.name
        if name == "code" and operation.path.startswith("/api/categories"):
            values[name] = known["category_code"]
        elif name == "token" and "/subscriptions/confirm/" in operation.path:
            values[name] = known["confirm_token"]
        elif name == "token" and operation.path.startswith("/api/subscriptions"):
            values[name] = known["stop_token"]
        else:
            values[name] = known[name]
    return values


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, keeping the test's database connection open between calls (as Django's
    test client does): the handler otherwise closes it when each request finishes."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_operation(operation, mode, statuses: Counter, on: dict | None = None) -> tuple[int, str | None]:
    """(examples run, the first failure's text or None) for one operation in one generation mode.

    Every check runs but ``positive_data_acceptance``: a call that fits the schema may still name a
    category or reference that does not exist, or a date outside 1900-2999, and is rightly refused with
    a 4xx that says so; a schema cannot say which codes exist. ``on``: path parameters that name a real
    object, put in place of the generated ones (positive data only: a negative case stays negative)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    seen = [0]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        seen[0] += 1
        if on:
            case.path_parameters = {**(case.path_parameters or {}), **on}
        response = case.call()
        statuses[response.status_code] += 1
        statuses[(operation.label, response.status_code // 100)] += 1
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    try:
        check()
    except Unsatisfiable:  # nothing to make invalid (e.g. an operation without parameters)
        return seen[0], None
    except (Exception, BaseExceptionGroup) as exc:  # a check failed: report it with the others
        return seen[0], f"{operation.label} [{mode.value}]: {exc}"[:3000]
    return seen[0], None


# The operations of the areas beyond requests (issue #12): each must be exercised and served at least once.
AREAS = {
    "GET /api/units",
    "GET /api/units/{code}",
    "GET /api/categories",
    "GET /api/categories/{code}",
    "GET /api/statistics",
    "GET /api/statistics/volumes",
    "GET /api/statistics/categories",
    "GET /api/statistics/ranking",
    "GET /api/statistics/first-contact",
    "GET /api/consultations",
    "GET /api/consultations/{consultation_id}",
    "GET /api/consultations/{consultation_id}/statements",
    "POST /api/consultations/{consultation_id}/statements",
    "POST /api/consultations/{consultation_id}/votes",
    "GET /api/consultations/{consultation_id}/map",
    "GET /api/supervisions",
    "GET /api/supervisions/{supervision_id}",
    "POST /api/supervisions/{supervision_id}/resolve",
    "POST /api/subscriptions",
    "POST /api/subscriptions/confirm/{token}",
    "DELETE /api/subscriptions/{token}",
    "GET /api/webhooks",
    "POST /api/webhooks",
    "GET /api/webhooks/{name}",
    "DELETE /api/webhooks/{name}",
    "GET /api/webhooks/{name}/deliveries",
}


def call_on_known(operation, known, statuses: Counter, headers: dict) -> str | None:
    """One call with real path parameters and a real body, checked like the generated ones."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    body = known_body(operation, known)
    kwargs = {"body": body, "media_type": "application/json"} if body is not None else {}
    case = operation.Case(path_parameters=path_values(operation, known), headers=headers, **kwargs)
    response = case.call()
    statuses[response.status_code] += 1
    statuses[(operation.label, response.status_code // 100)] += 1
    try:
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
    except (Exception, BaseExceptionGroup) as exc:
        return f"{operation.label} [known objects]: {exc}"[:3000]
    return None


def test_the_api_keeps_its_published_schema_under_fuzzing(staff_key, known, wsgi_app):
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.config import SchemathesisConfig

    # The key as schemathesis' own auth, so that it also tries each call without it and with a wrong one.
    config = SchemathesisConfig.from_dict({"auth": {"openapi": {"HeaderKey": {"api_key": staff_key}}}})
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert AREAS <= labels, sorted(AREAS - labels)
    examples, failures, statuses = 0, [], Counter()
    # Deleting runs last, so that the other operations find the objects they name.
    operations.sort(key=lambda op: op.method.upper() == "DELETE")
    for operation in operations:
        if operation.path_parameters or known_body(operation, known) is not None:
            failure = call_on_known(operation, known, statuses, {"X-API-Key": staff_key})
            examples += 1
            failures += [failure] if failure else []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            ran, failure = run_operation(operation, mode, statuses)
            examples += ran
            failures += [failure] if failure else []
        if operation.path_parameters:  # again on the real objects, with generated queries and bodies
            ran, failure = run_operation(
                operation, GenerationMode.POSITIVE, statuses, path_values(operation, known)
            )
            examples += ran
            failures += [failure] if failure else []
    print(f"schemathesis: {len(operations)} operations, {examples} examples, {len(failures)} failing")
    print(
        f"schemathesis: answers by status {dict(sorted((k, v) for k, v in statuses.items() if isinstance(k, int)))}"
    )
    assert not failures, "\n\n".join(failures)
    assert statuses[200] and statuses[201], "the key was used: some calls were served"
    unserved = sorted(label for label in AREAS if not statuses[(label, 2)])
    assert not unserved, f"never answered 2xx: {unserved}"
