"""Background jobs of the workbench: tell supervisors of new hot issues; detect the dashboard's."""

from __future__ import annotations

from massline.tasks import app

ALERT_DAYS = 7


@app.task(name="massline.workbench.alert_hot_issues")
def alert_hot_issues(now=None) -> int:
    """Supervisors with an e-mail hear once of each hot issue of the last week that has no task yet.

    Hot issues are recomputed every time; an issue is known by its earliest request, so the same issue
    growing over the week is not announced again."""
    from django.conf import settings

    from massline.core.workflow import Role
    from massline.notify.compose import STAFF, Draft, site_url, staff_with_role
    from massline.notify.outbox import enabled, write

    from .hot import top_hot_issues, with_tasks

    if not enabled():
        return 0
    supervisors = list(staff_with_role(Role.SUPERVISOR.value))
    written = 0
    for issue in with_tasks(top_hot_issues(days=ALERT_DAYS, limit=5, now=now)):
        if issue.task_reference or not issue.member_ids:
            continue
        context = {
            "title": issue.title,
            "place": issue.place,
            "count": issue.count,
            "days": ALERT_DAYS,
            "staff_url": site_url("/staff/dashboard/"),
        }
        drafts = [
            Draft("email", u.email, STAFF, settings.LANGUAGE_CODE, "hot_issue", context) for u in supervisors
        ]
        written += write(drafts, f"hot:{min(issue.member_ids)}", None)
    if written:
        from massline.notify.tasks import relay_due

        relay_due.delay()
    return written


@app.task(name="massline.workbench.refresh_hot_issues")
def refresh_hot_issues() -> int:
    """The dashboard's hot issues of the last 30 days, detected here instead of in the page (hot.py)."""
    from .hot import refresh_dashboard

    return len(refresh_dashboard())
