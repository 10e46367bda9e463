"""Open311 both ways, end to end: a second massline instance, on its own loopback port with its own SQLite
database, is the external system that a unit of this one works in (issue #12, "done when").

The second instance is set up only through its command line (``massline city load`` of this city's dump,
``massline apikey create``), served by gunicorn, and driven by ``massline act``. This instance (the test
database) configures an endpoint for a water company pointing at it, dispatches a request to that unit,
runs the send task, sees the request arrive over the second's Open311 API, has the second instance work and
close it, runs the poll, and sees the updates, and the reply they brought, on its own timeline and in the
endpoint's figures.

Bounded: every subprocess has a timeout, the server is waited for at most a minute, and the server's process
group is ended (and its directory removed) at the end, even on failure. Skipped with
MASSLINE_SKIP_SERVICE_TESTS=1 (like the other tests that start their own services).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from massline import conftest as shared_fixtures
from massline.testing_services import ServiceGroup, free_port, wait_for_port

# The demo city's fixtures (massline/conftest.py is not a conftest of tests/).
city, staff, actors, category = (
    shared_fixtures.city,
    shared_fixtures.staff,
    shared_fixtures.actors,
    shared_fixtures.category,
)
make_request = shared_fixtures.make_request

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        os.environ.get("MASSLINE_SKIP_SERVICE_TESTS") == "1", reason="MASSLINE_SKIP_SERVICE_TESTS=1"
    ),
]
TEXT = "人民路的自来水管爆了，马路上全是水，请尽快抢修。"
THEIR_REPLY = "已更换破裂水管，人民路恢复供水。"


class Second:
    """The receiving massline: its environment, its command line and its HTTP API."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.base = f"http://127.0.0.1:{port}/api/open311/v2"
        keep = {
            k: v for k, v in os.environ.items() if not k.startswith(("MASSLINE_", "DATABASE_URL", "PYTEST"))
        }
        self.env = {
            **keep,
            "DJANGO_SETTINGS_MODULE": "massline.settings.base",
            "DATABASE_URL": f"sqlite:///{root / 'second.sqlite3'}",
            "MASSLINE_VAR_DIR": str(root),
            "MASSLINE_DEBUG": "0",
            # Its CLI changes requests while its web workers answer the polls: with a shared cache (CI
            # exports REDIS_URL) each worker would trust its page-cache counters for a second.
            "MASSLINE_PAGE_CACHE_COUNTER_SECONDS": "0",
            "MASSLINE_SITE_URL": f"http://127.0.0.1:{port}",
            "MASSLINE_EMAIL_URL": f"file://{root / 'mail'}",
            "MASSLINE_SMS_URL": "console:",
            "CELERY_BROKER_URL": "",
            "REDIS_URL": "",
        }

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "massline.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"massline {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def get(self, path: str):
        with urllib.request.urlopen(f"{self.base}/{path}", timeout=20) as response:
            return json.loads(response.read())


@pytest.fixture
def second(tmp_path, city):
    """The second instance, serving; this city's configuration loaded into it through its CLI."""
    from massline.commands.serve import server_command
    from massline.console.citydata import dump_city

    dump_city(tmp_path / "city")
    with ServiceGroup(prefix="massline-open311-") as group:
        instance = Second(group.root, free_port())
        instance.cli("city", "load", str(tmp_path / "city"))  # migrates its database first
        server = group.spawn(
            server_command(f"127.0.0.1:{instance.port}", workers=1),
            env=instance.env,
            cwd=ROOT,
            log_name="gunicorn.log",
        )
        # The key is made while gunicorn boots (each is a Django start-up of a few seconds).
        instance.key = instance.cli("apikey", "create", "first-city").strip()
        try:
            wait_for_port(instance.port, 60, server)
        except (RuntimeError, TimeoutError):
            raise AssertionError((group.root / "gunicorn.log").read_text(errors="replace")[-3000:]) from None
        yield instance
    # leaving the block ends gunicorn's process group and removes its directory


def test_a_second_instance_receives_the_work_order_and_its_updates_come_back(
    second, city, category, actors, make_request, client, staff
):
    from massline.console.actions import ConsoleActor
    from massline.open311out import actions, metrics, polling, tasks
    from massline.open311out.models import Delivery
    from massline.workflow import registry
    from massline.workflow.actions import ActionInput
    from massline.workflow.models import Unit

    Unit.objects.create(code="water-co", name="自來水公司", parent=city["city"])
    actions.save_endpoint(
        ConsoleActor.command("test"),
        name="water",
        unit="water-co",
        base_url=second.base,
        api_key=second.key,
        jurisdiction_id="massline",
        service_codes={"*": category.code},
    )
    req = make_request(
        text=TEXT + "联系我：13912345678",
        contact_name="王小明",
        contact_phone="13912345678",
        address="人民路88号",
    )
    registry.perform("dispatch", req, actors["dispatcher"], ActionInput(unit="water-co"))

    # send: the work order reaches the second instance, and our unit has signed for it
    assert tasks.send_due() == 1
    delivery = Delivery.objects.get(request=req)
    assert delivery.state == "sent", delivery.last_error
    assert delivery.external_id and delivery.attempts == 1
    req.refresh_from_db()
    assert req.state == "signed"
    (theirs,) = second.get(f"requests/{delivery.external_id}.json")
    assert theirs["description"].startswith(TEXT) and theirs["service_code"] == category.code
    assert "13912345678" not in json.dumps(theirs, ensure_ascii=False)  # only redacted text is sent
    assert theirs["status"] == "open"

    # the second instance works it through its own command line, then closes it after its follow-up
    ref = delivery.external_id
    if "is received" in second.cli("act", ref, "--list", "--as", "admin"):
        second.cli("act", ref, "dispatch", "--as", "admin", "--unit", "housing")
    second.cli("act", ref, "sign", "--as", "admin")
    second.cli("act", ref, "reply", "--as", "admin", "--text", THEIR_REPLY)
    second.cli("act", ref, "follow_up", "--as", "admin", "--solved", "yes", "--satisfaction", "satisfied")
    statuses = [u["status"] for u in second.get(f"servicerequestupdates.json?service_request_id={ref}")]
    assert statuses[-3:] == ["in_progress", "fixed", "closed"]

    # poll: every update lands once on our timeline; "fixed" became our unit's reply, with their words
    (result,) = polling.poll_all()
    assert result.error == "" and result.new == len(statuses)
    req.refresh_from_db()
    assert req.state == "replied"
    assert req.replies.get().text == THEIR_REPLY
    events = list(req.events.filter(action="external_update"))
    assert [e.data["status"] for e in events] == statuses
    assert [r.new for r in polling.poll_all()] == [0]  # polled again: nothing twice

    page = client.get(f"/requests/{req.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "News from the unit&#x27;s own system: fixed" in page
    assert "News from the unit&#x27;s own system: closed" in page
    assert THEIR_REPLY in page
    client.force_login(staff["dispatcher"])
    queue = client.get("/staff/open311/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert THEIR_REPLY in queue and "water" in queue

    (figures,) = metrics.figures()
    assert (figures.sent, figures.failed, figures.updates, figures.closing_updates) == (
        1,
        0,
        len(statuses),
        2,
    )
