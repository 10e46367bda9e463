"""`massline act`: the registry from the command line, with the same checks as the workbench."""

import pytest

from massline.cli import main
from massline.workflow.models import AuditEvent, Request

pytestmark = pytest.mark.django_db


def test_act_takes_a_request_through_the_loop(make_request, staff, capsys):
    req = make_request()
    assert main(["act", req.reference, "--list", "--as", "dispatcher"]) == 0
    assert "may: dispatch, merge, reject" in capsys.readouterr().out
    assert main(["act", req.reference, "dispatch", "--as", "dispatcher", "--unit", "housing"]) == 0
    assert "已派給市住房和城乡建设局" in capsys.readouterr().out  # the city's default language
    assert main(["act", req.reference, "sign", "--as", "staff-housing", "--expected-version", "2"]) == 0
    assert main(["act", req.reference, "reply", "--as", "staff-housing", "--text", "已修复。"]) == 0
    args = ["act", req.reference, "follow_up", "--as", "dispatcher", "--solved", "yes"]
    assert main([*args, "--satisfaction", "satisfied"]) == 0
    assert Request.objects.get(pk=req.pk).state == "closed"
    event = AuditEvent.objects.filter(request=req, action="reply").get()
    assert event.actor.username == "staff-housing"


def test_act_refuses_clearly_and_changes_nothing(make_request, staff, capsys):
    req = make_request()
    assert main(["act", req.reference, "follow_up", "--as", "dispatcher"]) == 1
    assert "say whether the problem is solved" in capsys.readouterr().err
    assert main(["act", req.reference, "accept", "--as", "dispatcher"]) == 1
    assert "step of the misconduct-report workflow" in capsys.readouterr().err
    assert main(["act", req.reference, "sign", "--as", "admin"]) == 1
    assert "cannot sign a request that is received" in capsys.readouterr().err
    assert main(["act", req.reference, "sign", "--as", "staff-housing"]) == 2  # not its unit's: unseen
    assert main(["act", req.reference, "dispatch", "--as", "dispatcher", "--unit", "nowhere"]) == 1
    assert "unknown unit code 'nowhere'" in capsys.readouterr().err
    assert (
        main(
            [
                "act",
                req.reference,
                "dispatch",
                "--as",
                "dispatcher",
                "--unit",
                "housing",
                "--expected-version",
                "9",
            ]
        )
        == 1
    )
    assert "changed by someone else" in capsys.readouterr().err
    assert main(["act", req.reference, "dispatch", "--as", "nobody"]) == 2
    report = make_request(text="某干部收受红包。", kind="report")
    assert main(["act", report.reference, "reject", "--as", "dispatcher", "--note", "x"]) == 2
    assert "no request" in capsys.readouterr().err  # a report's existence is not confirmed
    assert Request.objects.get(pk=req.pk).state == "received"
    assert Request.objects.get(pk=report.pk).state == "received"
