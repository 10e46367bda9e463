"""Every workbench page and action × every role, through the Django test client.

The server decides: a refused POST changes nothing, whatever the page showed.
"""

from __future__ import annotations

import pytest

from massline.core.workflow import State
from massline.workflow.models import Request, Supervision

from .conftest import ROLES

pytestmark = pytest.mark.django_db

COLUMNS = list(ROLES)  # anonymous, dispatcher, owner, other_unit, supervisor, discipline, admin

# page → expected status per role, in COLUMNS order
PAGES = {
    "/staff/": (302, 302, 302, 302, 302, 302, 302),
    "/staff/queue/": (302, 200, 403, 403, 403, 403, 200),
    "/staff/queue/map/": (302, 200, 403, 403, 403, 403, 200),
    "/staff/unit/": (302, 403, 200, 200, 200, 403, 200),
    "/staff/reports/": (302, 404, 404, 404, 404, 200, 404),
    "/staff/r/{owned}/": (302, 200, 200, 403, 200, 403, 200),
    "/staff/r/{received}/": (302, 200, 403, 403, 200, 403, 200),
    "/staff/r/{report}/": (302, 404, 404, 404, 404, 200, 404),
    "/staff/supervision/": (302, 403, 403, 403, 200, 403, 200),
    "/staff/visits/": (302, 200, 200, 200, 200, 403, 200),
    "/staff/visits/new/": (302, 200, 200, 200, 200, 403, 200),
    "/staff/visits/{visit}/": (302, 200, 200, 403, 200, 403, 200),
    "/staff/dashboard/": (302, 200, 200, 200, 200, 403, 200),
}


def _url(template, world):
    return template.format(
        owned=world["owned"].reference,
        received=world["received"].reference,
        report=world["report"].reference,
        visit=world["visit"].pk,
    )


def test_every_page_answers_each_role_as_the_matrix_says(as_role, world):
    wrong = []
    for template, expected in PAGES.items():
        url = _url(template, world)
        for role, status in zip(COLUMNS, expected, strict=True):
            got = as_role(role).get(url).status_code
            if got != status:
                wrong.append(f"{template} as {role}: {got}, expected {status}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_log_in_and_each_role_lands_on_its_page(as_role, world):
    response = as_role("anonymous").get(_url("/staff/r/{owned}/", world))
    assert response["Location"].startswith("/staff/login/?next=/staff/r/")
    landing = {
        "dispatcher": "/staff/queue/",
        "owner": "/staff/unit/",
        "supervisor": "/staff/supervision/",
        "discipline": "/staff/reports/",
        "admin": "/staff/dashboard/",  # admins see the whole picture first
    }
    for role, where in landing.items():
        assert as_role(role).get("/staff/")["Location"] == where, role


def _post(client, req, action, **data):
    return client.post(f"/staff/r/{req.reference}/do/{action}/", {"version": req.version, **data})


# action → (how to make a fresh target, POST data, state after success, expected status per role)
ACTIONS = {
    "sign": ("dispatched", {}, State.SIGNED, (302, 403, 302, 403, 403, 403, 302)),
    "return": ("dispatched", {"note": "不属于本单位"}, State.RETURNED, (302, 403, 302, 403, 403, 403, 302)),
    "transfer": (
        "dispatched",
        {"unit": "econ", "note": "转经信"},
        State.TRANSFERRED,
        (302, 302, 302, 403, 403, 403, 302),
    ),
    "dispatch": ("received", {"unit": "housing"}, State.DISPATCHED, (302, 302, 403, 403, 403, 403, 302)),
    "reject": ("received", {"note": "重复来电"}, State.REJECTED, (302, 302, 403, 403, 403, 403, 302)),
    "merge": ("received", {"lead": "{lead}"}, State.MERGED, (302, 302, 403, 403, 403, 403, 302)),
}


def test_actions_are_refused_on_the_server_for_roles_without_the_power(as_role, world, make_request):
    wrong = []
    for action, (make, data, after, expected) in ACTIONS.items():
        wrong += _try_action(as_role, world, make_request, action, make, data, after, expected)
    assert not wrong, "\n".join(wrong)


def _try_action(as_role, world, make_request, action, make, data, after, expected):
    wrong = []
    for role, status in zip(COLUMNS, expected, strict=True):
        req = world["dispatched"]() if make == "dispatched" else make_request(text="路灯不亮,请修理。")
        payload = {k: v.format(lead=world["owned"].reference) for k, v in data.items()}
        got = _post(as_role(role), req, action, **payload).status_code
        state = Request.objects.get(pk=req.pk).state
        if got != status:
            wrong.append(f"{action} as {role}: {got}, expected {status}")
        if status == 302 and role != "anonymous" and state != after:
            wrong.append(f"{action} as {role}: state {state}, expected {after}")
        if status != 302 or role == "anonymous":
            if state != req.state:
                wrong.append(f"{action} as {role} was refused but changed the state to {state}")
    return wrong


def test_reports_bulk_sweep_resolve_and_tasks_are_refused_without_the_role(as_role, world):
    report = world["report"]
    for role in ("dispatcher", "supervisor", "admin"):
        assert _post(as_role(role), report, "reject", note="x").status_code == 404
    assert Request.objects.get(pk=report.pk).state == State.RECEIVED
    owned = world["owned"]
    assert as_role("owner").get(f"/staff/r/{owned.reference}/do/sign/").status_code == 405  # GET never acts
    received = world["received"]
    bulk = {"selected": [received.reference], "op": "dispatch", "unit": "housing"}
    for role in ("owner", "supervisor", "discipline"):
        assert as_role(role).post("/staff/queue/bulk/", bulk).status_code == 403
    assert Request.objects.get(pk=received.pk).state == State.RECEIVED

    sup = world["supervision"]
    for role in ("dispatcher", "owner", "discipline"):
        assert as_role(role).post("/staff/supervision/sweep/").status_code == 403
        assert as_role(role).post(f"/staff/supervision/{sup.pk}/resolve/", {"note": "ok"}).status_code == 403
        assert (
            as_role(role).post("/staff/dashboard/proactive/", {"title": "井盖", "text": "井盖"}).status_code
            == 403
        )
    assert Supervision.objects.get(pk=sup.pk).resolved_at is None

    assert (
        as_role("supervisor")
        .post(f"/staff/supervision/{sup.pk}/resolve/", {"note": "已电话督促"})
        .status_code
        == 302
    )
    assert Supervision.objects.get(pk=sup.pk).resolved_at is not None
    assert as_role("discipline").post("/staff/visits/new/", {}).status_code == 403
