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


def run_operation(operation, mode, statuses: Counter) -> tuple[int, str | None]:
    """(examples run, the first failure's text or None) for one operation in one generation mode.

    Every check runs but ``positive_data_acceptance``: a call that fits the schema may still name a
    category or reference that does not exist, or a date outside 1900-2999, and is rightly refused with
    a 4xx that says so; a schema cannot say which codes exist."""
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
        response = case.call()
        statuses[response.status_code] += 1
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    try:
        check()
    except Unsatisfiable:  # nothing to make invalid (e.g. an operation without parameters)
        return seen[0], None
    except (Exception, BaseExceptionGroup) as exc:  # a check failed: report it with the others
        return seen[0], f"{operation.label} [{mode.value}]: {exc}"[:3000]
    return seen[0], None


def test_the_api_keeps_its_published_schema_under_fuzzing(staff_key, wsgi_app):
    import schemathesis
    from schemathesis import GenerationMode
    from schemathesis.config import SchemathesisConfig

    # The key as schemathesis' own auth, so that it also tries each call without it and with a wrong one.
    config = SchemathesisConfig.from_dict({"auth": {"openapi": {"HeaderKey": {"api_key": staff_key}}}})
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, config=config)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6, [op.label for op in operations]
    examples, failures, statuses = 0, [], Counter()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            ran, failure = run_operation(operation, mode, statuses)
            examples += ran
            if failure:
                failures.append(failure)
    print(f"schemathesis: {len(operations)} operations, {examples} examples, {len(failures)} failing")
    print(f"schemathesis: answers by status {dict(sorted(statuses.items()))}")
    assert not failures, "\n\n".join(failures)
    assert statuses[200] and statuses[201], "the key was used: some calls were served"
