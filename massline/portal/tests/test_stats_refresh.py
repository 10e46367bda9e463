"""Statistics cache: fast figures follow every change at once; slow ones (a million requests) are shown
from the previous computation while one Celery task recomputes them, so no visitor waits a minute and no
web process starts a thread."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest
from django.core.cache import cache

from massline.portal import stats
from massline.tasks import app

CALLS: list[int] = []


@stats.figure("test-slow")
def slow_figure(label: str) -> str:
    """A figure that records each computation; the version stands for the data it was computed on."""
    CALLS.append(stats.data_version())
    return f"{label} at {stats.data_version()}"


@pytest.fixture
def version(monkeypatch):
    cache.clear()
    CALLS.clear()
    current = {"v": 1}
    monkeypatch.setattr(stats, "data_version", lambda: current["v"])
    yield current
    cache.clear()


@pytest.fixture
def broker():
    """A real broker in memory: tasks are published and wait in the queue until a worker takes them."""
    saved = app.conf.task_always_eager, app.conf.broker_url

    def new_connections():  # Celery keeps its connection pools once made: drop them with the URL
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager, app.conf.broker_url = False, "memory://"
    new_connections()
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        new_connections()


def queued_tasks() -> list[tuple[str, list]]:
    """Take every waiting message off the queue, as a worker would: (task name, arguments)."""
    taken = []
    with app.connection_for_read() as conn:
        queue = conn.SimpleQueue(app.conf.task_default_queue)
        while queue.qsize():
            message = queue.get(timeout=1)
            args, _kwargs, _embed = message.decode()
            taken.append((message.headers["task"], args))
            message.ack()
        queue.close()
    return taken


def test_fast_figures_follow_a_change_at_once(version):
    assert stats.cached("portal:test-fast", lambda: f"figures at {version['v']}") == "figures at 1"
    version["v"] = 2
    assert stats.cached("portal:test-fast", lambda: f"figures at {version['v']}") == "figures at 2"


def test_slow_figures_are_shown_while_one_task_recomputes_them(version, settings, broker):
    settings.MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS = 0.0  # treat every computation as slow
    threads_before = set(threading.enumerate())
    assert slow_figure("figures") == "figures at 1"  # nothing cached yet: computed in place
    version["v"] = 2
    assert slow_figure("figures") == "figures at 1"  # the previous figures, at once
    assert slow_figure("figures") == "figures at 1"  # and no second refresh is queued meanwhile
    assert CALLS == [1]
    assert set(threading.enumerate()) == threads_before, "a web process must not start threads"
    (task,) = queued_tasks()
    assert task == ("massline.portal.refresh_figure", ["test-slow", ["figures"], 2])
    name, args = task
    app.tasks[name].apply(args=args)  # the worker runs it
    assert slow_figure("figures") == "figures at 2"
    assert CALLS == [1, 2]
    version["v"] = 3  # the refresh released its lock: the next change queues the next refresh
    assert slow_figure("figures") == "figures at 2"
    assert [t for t, _a in queued_tasks()] == ["massline.portal.refresh_figure"]


def test_without_a_broker_the_refresh_runs_in_process(version, settings):
    settings.MASSLINE_PORTAL_STATS_BACKGROUND_SECONDS = 0.0
    assert app.conf.task_always_eager
    assert slow_figure("figures") == "figures at 1"
    version["v"] = 2
    assert slow_figure("figures") == "figures at 2"  # the eager task already stored the new figures
    assert CALLS == [1, 2]


def test_an_unknown_figure_is_refused_by_name(db):
    with pytest.raises(ValueError, match="no statistics figure is called 'nonsense'"):
        stats.refresh("nonsense", [])


def test_the_beat_schedule_names_registered_tasks_and_workflow_does_not_import_the_portal():
    import massline.workflow.tasks

    app.loader.import_default_modules()  # what a worker or beat does at start: the autodiscovery
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, f"{entry['task']} is scheduled but no module defines it"
    assert "massline.portal.warm_statistics" in {e["task"] for e in app.conf.beat_schedule.values()}
    workflow = Path(massline.workflow.tasks.__file__).parent
    upward = []
    for path in workflow.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            upward += [f"{path.name}: {n}" for n in names if n.startswith("massline.portal")]
    assert not upward, f"the workflow app must not import the portal: {upward}"
