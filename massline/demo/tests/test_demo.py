"""The demo city is built through the real actions and gives every page something real to show."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from massline.demo import loader
from massline.followup.metrics import unit_ranking
from massline.shared_data import shared_data
from massline.workflow.models import AuditEvent, Reply, Request, Supervision

pytestmark = pytest.mark.django_db
END = datetime(2026, 3, 31, 17, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_from_real_messages_covers_the_loop(staff):
    shared_data("govmsg", "attachment4_replies_2816.csv")
    stats = loader.run(requests=80, seed=7, end=END)
    assert stats["real_data"] is True and stats["requests"] == 80
    states = Counter(Request.objects.values_list("state", flat=True))
    assert {"closed", "replied", "signed"} <= set(states), states
    assert sum(states.values()) == 80
    # real messages and real replies, not placeholders
    ids = set(Request.objects.values_list("external_id", flat=True))
    assert all(i.split("-")[0] in {"a2", "a3", "a4"} for i in ids)
    assert Reply.objects.filter(text__contains="网友").exists()
    # the audit trail is complete: every request was submitted once
    assert AuditEvent.objects.filter(action="submit").count() == 80
    assert unit_ranking("2026-03"), "the ranking must have units to show"
    assert Supervision.objects.exists(), "some units are slow in the demo: supervisions must show"


def test_demo_is_deterministic_for_a_seed(staff):
    shared_data("govmsg", "attachment4_replies_2816.csv")
    loader.run(requests=12, seed=3, end=END)
    first = list(Request.objects.order_by("received_at").values_list("external_id", "state"))
    Reply.objects.all().delete()
    from massline.followup.models import FollowUp
    from massline.workflow.models import Supervision as S

    FollowUp.objects.all().delete()
    S.objects.all().delete()
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)  # test reset only: audit rows are append-only
    Request.objects.update(merged_into=None)
    Request.objects.all().delete()
    loader.run(requests=12, seed=3, end=END)
    second = list(Request.objects.order_by("received_at").values_list("external_id", "state"))
    assert first == second


def test_without_shared_data_the_bundled_set_is_used(staff, monkeypatch, tmp_path):
    monkeypatch.setenv("MASSLINE_SHARED_DATA", str(tmp_path))
    stats = loader.run(requests=20, seed=1, end=END)
    assert stats["real_data"] is False
    assert Request.objects.filter(external_id__startswith="bundled-").count() == stats["requests"] > 0


def test_demo_reports_are_the_misconduct_messages_worked_by_the_discipline_officer(staff):
    from massline.core.text.misconduct import looks_like_misconduct
    from massline.workflow.actions import overdue_q

    shared_data("govmsg", "attachment4_replies_2816.csv")
    stats = loader.run(requests=300, seed=5, end=END)
    reports = list(Request.objects.filter(kind="report"))
    assert len(reports) == stats["reports"] >= 8, stats
    # every report is an accusation the detector flags, and every flagged message is a report
    assert all(looks_like_misconduct(r.text, r.title) for r in reports)
    others = Request.objects.exclude(kind="report").only("text", "title")
    assert not [r.reference for r in others if looks_like_misconduct(r.text, r.title)]
    # the discipline officer worked them through their own steps: several states, their own actions
    states = Counter(r.state for r in reports)
    assert len(states) >= 3 and {"closed", "replied"} & set(states), states
    actions = set(AuditEvent.objects.filter(request__kind="report").values_list("action", flat=True))
    assert {"accept", "answer"} <= actions and not actions & {"dispatch", "sign", "reply"}, actions
    assert set(
        AuditEvent.objects.filter(request__kind="report", action="accept").values_list(
            "actor_label", flat=True
        )
    ) == {"discipline"}
    # the answers are there for the reporters, and some open reports are overdue for the sweep
    assert Reply.objects.filter(request__kind="report").count() == sum(
        1 for r in reports if r.replied_at is not None
    )
    late = Request.objects.filter(overdue_q(END), kind="report")
    assert late.exists() and Supervision.objects.filter(request__in=late, resolved_at__isnull=True).exists()
