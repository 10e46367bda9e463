from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from massline.cli import main
from massline.followup.actions import record_follow_up
from massline.workflow import actions as wf

pytestmark = pytest.mark.django_db
MON = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_metrics_command_prints_the_ranking(make_request, actors, category, capsys):
    r = make_request()
    wf.do_dispatch(r, actors["dispatcher"], category=category, at=MON)
    wf.do_sign(r, actors["staff-housing"], at=MON + timedelta(hours=1))
    wf.do_reply(r, actors["staff-housing"], text="已修復", at=MON + timedelta(days=1))
    record_follow_up(
        r, wf.Actor.requester(), solved=True, satisfaction="satisfied", at=MON + timedelta(days=2)
    )
    assert main(["metrics", "--month", "2026-03", "--min-dispatched", "1"]) == 0
    out = capsys.readouterr().out
    assert "Unit ranking for 2026-03" in out and "at least 1 hand-overs to be ranked" in out
    assert "市住房和城乡建设局" in out and "100.0%" in out and "100.0" in out
    assert "Too few requests" not in out
    # by default (MASSLINE_RANKING_MIN_DISPATCHED = 10) one request is too few: the unit is listed apart
    assert main(["metrics", "--month", "2026-03"]) == 0
    table, apart = capsys.readouterr().out.split("Too few requests to rank (fewer than 10 hand-overs):")
    assert "市住房和城乡建设局" not in table and "市住房和城乡建设局" in apart


def test_metrics_command_explains_bad_input(db, capsys):
    assert main(["metrics", "--month", "March"]) == 2
    assert "--month must look like 2026-03" in capsys.readouterr().err
    assert main(["metrics", "--weights", "1,2"]) == 2
    assert "give three numbers" in capsys.readouterr().err
    assert main(["metrics", "--min-dispatched", "-1"]) == 2
    assert "--min-dispatched must be 0 or more" in capsys.readouterr().err
    assert main(["metrics"]) == 1
    assert "nothing to rank" in capsys.readouterr().err
