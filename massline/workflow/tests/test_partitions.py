"""Audit events partitioned by month on PostgreSQL: the table is partitioned with a default partition,
rows of a month without a partition are kept (never refused) and move into it when it is created, and
Django still reads and writes them by id. On SQLite only the model-level checks run."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection

from massline.cli import main
from massline.workflow import partitions
from massline.workflow.models import AuditEvent

SH = ZoneInfo("Asia/Shanghai")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions exist on PostgreSQL")


def test_nothing_references_an_audit_event_by_foreign_key():
    # a partitioned table's key is (id, at): a foreign key to its id alone could not exist
    pointing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model is AuditEvent
    ]
    assert pointing == []


def test_month_partitions_are_named_and_bounded():
    part = partitions.month_partition(date(2026, 12, 17))
    assert part.name == "workflow_auditevent_y2026m12"
    assert (part.start, part.end) == (date(2026, 12, 1), date(2027, 1, 1))
    assert partitions.months_between(date(2026, 11, 5), date(2027, 2, 1))[-1] == date(2027, 2, 1)


@on_postgres
def test_the_audit_table_is_partitioned_with_a_default(db):
    names = dict(partitions.listing(connection))
    assert partitions.DEFAULT in names
    assert partitions.month_partition(date.today()).name in names
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [partitions.TABLE],
        )
        assert cur.fetchone()[0] == "PRIMARY KEY (id, at)"


def _partition_of(event_id: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT tableoid::regclass::text FROM {partitions.TABLE} WHERE id = %s", [event_id])
        return cur.fetchone()[0]


@on_postgres
def test_a_row_without_its_month_waits_in_the_default_then_moves(make_request):
    far = datetime(2031, 5, 20, 9, 0, tzinfo=SH)
    req = make_request(text="井盖丢失，行人容易跌倒。", at=far)
    event = AuditEvent.objects.get(request=req, action="submit")
    assert _partition_of(event.pk) == partitions.DEFAULT  # accepted, not refused
    created = partitions.ensure(connection, today=date(2031, 5, 1), months_ahead=1)
    assert created == ["workflow_auditevent_y2031m05", "workflow_auditevent_y2031m06"]
    assert _partition_of(event.pk) == "workflow_auditevent_y2031m05"
    moved = AuditEvent.objects.get(pk=event.pk)  # Django finds it by id alone
    assert (moved.at, moved.action, moved.request_id) == (event.at, "submit", req.pk)
    assert partitions.ensure(connection, today=date(2031, 5, 1), months_ahead=1) == []  # idempotent


@on_postgres
def test_a_month_boundary_follows_the_site_time_zone(make_request):
    partitions.ensure(connection, today=date(2031, 7, 1), months_ahead=1)
    # 00:30 on 1 August in Shanghai is still 31 July in UTC: it belongs to August here
    req = make_request(text="路灯不亮。", at=datetime(2031, 8, 1, 0, 30, tzinfo=SH))
    event = AuditEvent.objects.get(request=req, action="submit")
    assert _partition_of(event.pk) == "workflow_auditevent_y2031m08"


def test_the_command_ensures_and_lists(db, capsys):
    assert main(["partitions", "ensure", "--months", "2"]) == 0
    assert main(["partitions", "list"]) == 0
    out = capsys.readouterr().out
    if connection.vendor == "postgresql":
        assert partitions.DEFAULT in out
    else:
        assert "not partitioned" in out
    assert main(["partitions", "ensure", "--months", "-1"]) == 2


@on_postgres
def test_history_loaded_into_the_default_gets_its_months(make_request):
    old = make_request(text="去年的诉求。", at=datetime(2019, 2, 10, 9, 0, tzinfo=SH))
    event = AuditEvent.objects.get(request=old, action="submit")
    assert _partition_of(event.pk) == partitions.DEFAULT
    created = partitions.ensure(connection, today=date(2031, 9, 1), months_ahead=0)
    assert "workflow_auditevent_y2019m02" in created
    assert _partition_of(event.pk) == "workflow_auditevent_y2019m02"
