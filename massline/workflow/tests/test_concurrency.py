"""Two people act on the same request at the same moment: exactly one wins, the other gets a conflict.

Real threads, real connections, real database (SQLite locally, PostgreSQL in CI).
"""

import threading

import pytest
from django.db import connection, connections

from massline.core.workflow import ConflictError, State
from massline.workflow import actions as wf
from massline.workflow.models import AuditEvent, Request


def _race(n, act):
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i):
        try:
            req = Request.objects.select_related("unit").get(pk=act.pk)  # each thread reads the same version
            barrier.wait(timeout=10)
            act.fn(i, req)
            results[i] = "ok"
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


class _Act:
    def __init__(self, pk, fn):
        self.pk, self.fn = pk, fn


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_one_wins_one_conflicts(make_request, actors, category, city):
    req = make_request()
    targets = [city["housing"], city["edu"]]

    def dispatch(i, r):
        wf.do_dispatch(r, actors["dispatcher"], unit=targets[i], category=category)

    results = _race(2, _Act(req.pk, dispatch))
    assert sorted(type(r).__name__ if r != "ok" else "ok" for r in results) == ["ConflictError", "ok"], (
        results
    )
    loser = next(r for r in results if r != "ok")
    assert isinstance(loser, ConflictError) and "reload" in str(loser)
    req.refresh_from_db()
    assert req.state == State.DISPATCHED and req.version == 2
    assert AuditEvent.objects.filter(request=req, action="dispatch").count() == 1
    winner_unit = AuditEvent.objects.get(request=req, action="dispatch").data["unit"]
    assert req.unit.code == winner_unit  # the row and the audit trail agree on who won


@pytest.mark.django_db(transaction=True)
def test_sign_and_return_at_once_leave_one_consistent_outcome(make_request, actors, category):
    req = make_request()
    wf.do_dispatch(req, actors["dispatcher"], category=category)
    staff = actors["staff-housing"]

    def act(i, r):
        if i == 0:
            wf.do_sign(r, staff)
        else:
            wf.do_return(r, staff, note="不屬本單位")

    results = _race(2, _Act(req.pk, act))
    assert results.count("ok") == 1 and sum(isinstance(r, ConflictError) for r in results) == 1, results
    req.refresh_from_db()
    last = AuditEvent.objects.filter(request=req).last()
    assert req.state == last.to_state and req.state in (State.SIGNED, State.RETURNED)
    assert connection.vendor in ("sqlite", "postgresql")
