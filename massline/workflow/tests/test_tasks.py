from datetime import timedelta

import pytest
from django.utils import timezone

from massline.workflow import actions as wf
from massline.workflow.models import Supervision
from massline.workflow.tasks import sweep_overdue_task

pytestmark = pytest.mark.django_db


def test_sweep_task_runs_in_process_without_a_broker(make_request, actors, category):
    req = make_request(at=timezone.now() - timedelta(days=10))
    wf.do_dispatch(req, actors["dispatcher"], category=category, at=timezone.now() - timedelta(days=9))
    result = sweep_overdue_task.delay()
    assert result.get(timeout=5) == 1
    assert Supervision.objects.filter(request=req, reason="sign_overdue").exists()
