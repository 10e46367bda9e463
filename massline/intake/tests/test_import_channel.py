"""Imported rows have their own channel, "import", read as "Imported" (导入 / 匯入); calls stay "hotline"."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from massline.hotline import actions as hotline
from massline.intake.fastimport import Options, import_csv
from massline.intake.models import ImportRun
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db


def test_an_imported_row_reads_imported_and_a_call_reads_hotline_on_the_staff_page(client, staff, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "留言编号,留言主题,留言时间,留言详情\n71,路灯,2021/3/2 20:15:00,梧桐路路灯不亮\n", "utf-8"
    )
    import_csv(path, Options(workers=0))
    imported = Request.objects.get(external_id="71")
    call = hotline.take_call(staff["dispatcher"], hotline.Call(text="居住证到期了怎么续签？"))
    assert (imported.channel, call.channel) == ("import", "hotline")
    client.force_login(staff["admin"])
    for language, imported_label, call_label in (("en", "Imported", "Hotline"), ("zh-hans", "导入", "热线")):
        pages = [
            client.get(
                reverse("workbench:detail", args=[r.reference]), HTTP_ACCEPT_LANGUAGE=language
            ).content.decode()
            for r in (imported, call)
        ]
        assert f"· {imported_label} ·" in pages[0] and f"· {call_label} ·" in pages[1]
        assert "Hotline import" not in pages[0] + pages[1]


def test_the_migration_moves_earlier_imports_and_their_runs_to_the_import_channel(make_request, staff):
    old_import = make_request("井盖丢了", channel="hotline", external_id="A-17")
    call = hotline.take_call(staff["dispatcher"], hotline.Call(text="社保卡丢了怎么补办？"))
    run = ImportRun.objects.create(source_hash="0" * 64, filename="old.csv", size=1, channel="hotline")
    migration = importlib.import_module("massline.intake.migrations.0004_import_channel")
    migration.to_import(apps, None)
    assert Request.objects.get(pk=old_import.pk).channel == "import"
    assert Request.objects.get(pk=call.pk).channel == "hotline"  # a call is not an import
    assert ImportRun.objects.get(pk=run.pk).channel == "import"  # the same file still finds its run
