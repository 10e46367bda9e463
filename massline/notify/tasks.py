"""Background jobs of notifications: send one message, relay what is due, remind of deadlines, digest."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from massline.tasks import app


@app.task(name="massline.notify.send")
def send_message(pk: int) -> str:
    from .delivery import deliver

    return deliver(pk)


@app.task(name="massline.notify.relay_due")
def relay_due() -> int:
    """Send what waits in the outbox (broker was down, a retry is due, a worker died mid-send)."""
    from .delivery import deliver
    from .outbox import due

    ids = due()
    for pk in ids:
        deliver(pk)
    return len(ids)


@app.task(name="massline.notify.deadline_reminders")
def deadline_reminders(now=None) -> int:
    """Tell unit staff (and the discipline role, for reports) that a deadline is near: once per deadline."""
    from massline.core.workflow import REPORT_KIND, Role
    from massline.workflow.actions import overdue_q
    from massline.workflow.models import Request

    from .compose import STAFF, Draft, _base_context, local, staff_with_role
    from .outbox import enabled, write

    if not enabled():
        return 0
    now = now or timezone.now()
    soon = now + timedelta(minutes=int(getattr(settings, "MASSLINE_NOTIFY_DUE_SOON_MINUTES", 120)))
    written = 0
    for which, field in (("sign", "sign_due"), ("reply", "reply_due")):
        # due within the window, not yet late: "late by then" minus "late now"
        coming = Request.objects.filter(overdue_q(soon, which)).exclude(overdue_q(now, which))
        for req in coming.select_related("unit").exclude(Q(unit__isnull=True) & ~Q(kind=REPORT_KIND)):
            due_at = getattr(req, field)
            users = (
                staff_with_role(Role.DISCIPLINE.value)
                if req.kind == REPORT_KIND
                else staff_with_role(Role.UNIT_STAFF.value, req.unit)
            )
            context = {**_base_context(req), "what": which, "due": local(due_at)}
            drafts = [
                Draft("email", u.email, STAFF, settings.LANGUAGE_CODE, "due_soon", context) for u in users
            ]
            written += write(drafts, f"due:{req.pk}:{which}:{due_at.isoformat()}", req.pk)
    if written:
        relay_due.delay()
    return written


@app.task(name="massline.notify.daily_digest")
def daily_digest(now=None) -> int:
    """Each unit staff member with an e-mail gets the state of their unit's queue, once a day."""
    from massline.core.workflow import AWAITING_REPLY, AWAITING_SIGN, Role
    from massline.workflow.actions import overdue_q
    from massline.workflow.models import Request

    from .compose import STAFF, Draft, site_url, staff_with_role
    from .outbox import enabled, write

    if not enabled():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    end_of_day = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    written = 0
    for user in staff_with_role(Role.UNIT_STAFF.value).select_related("staff__unit"):
        unit = getattr(getattr(user, "staff", None), "unit", None)
        if unit is None:
            continue
        mine = Request.objects.filter(unit__path__startswith=unit.path).exclude(kind="report")
        waiting = mine.filter(state__in=[s.value for s in AWAITING_SIGN | AWAITING_REPLY]).count()
        overdue = mine.filter(overdue_q(now)).count()
        due_today = mine.filter(overdue_q(end_of_day)).exclude(overdue_q(now)).count()
        context = {
            "waiting": waiting,
            "overdue": overdue,
            "due_today": due_today,
            "staff_url": site_url("/staff/unit/"),
        }
        draft = Draft("email", user.email, STAFF, settings.LANGUAGE_CODE, "digest", context)
        written += write([draft], f"digest:{user.pk}:{today.isoformat()}", None)
    if written:
        relay_due.delay()
    return written
