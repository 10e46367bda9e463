"""`massline act REFERENCE ACTION --as USER`: perform a workflow action from the command line.

The same road as the workbench and the REST API: the action registry checks the table, the user's roles
and unit, and the version (when given), then acts and audits. Useful for scripts and for fixing a request
by hand with a trail.

    massline act 260302-00012 dispatch --as dispatcher --unit housing --note "人工派單"
    massline act 260302-00012 reply --as staff-housing --text "已修復。"
    massline act 260302-00012 follow_up --as dispatcher --solved yes --satisfaction satisfied
    massline act 260302-00012 --list --as staff-housing
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "act",
        help="perform a workflow action on a request (the same checks as the workbench)",
        description="Perform a workflow action as a staff user, through the action registry.",
    )
    p.add_argument("reference", help="the request's reference, e.g. 260302-00012")
    p.add_argument(
        "action",
        nargs="?",
        help="dispatch, sign, return, transfer, reply, merge, reject, "
        "follow_up; for misconduct reports accept, investigate, answer, conclude, dismiss",
    )
    p.add_argument("--as", dest="username", required=True, help="the staff user who acts")
    p.add_argument("--list", action="store_true", help="list the actions this user may take now, and stop")
    p.add_argument("--note", default="", help="the reason or note")
    p.add_argument("--text", default="", help="the reply or the answer to the reporter")
    p.add_argument("--unit", default="", help="unit code to dispatch or transfer to")
    p.add_argument("--category", default="", help="category code to dispatch by")
    p.add_argument("--accept-suggestion", action="store_true", help="dispatch with the suggested category")
    p.add_argument("--lead", default="", help="reference of the lead request (merge)")
    p.add_argument("--solved", choices=["yes", "no"], help="follow_up: is the problem solved?")
    p.add_argument("--satisfaction", default="", help="follow_up: satisfied, basically or dissatisfied")
    p.add_argument("--comment", default="", help="follow_up: the requester's words")
    p.add_argument("--expected-version", type=int, help="refuse if the request changed since this version")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    from massline.accounts.permissions import can_view_request
    from massline.core.workflow import WorkflowError
    from massline.workflow import registry
    from massline.workflow.actions import ActionInput, Actor
    from massline.workflow.models import Request

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        print(f"massline act: no user named {args.username!r}", file=sys.stderr)
        return 2
    req = Request.objects.select_related("unit", "category").filter(reference=args.reference).first()
    if req is None or not can_view_request(user, req):
        # a report's existence is not confirmed to someone who may not see it
        print(f"massline act: no request {args.reference!r} that {args.username} may see", file=sys.stderr)
        return 2
    try:
        actor = Actor.of(user)
        if args.list or not args.action:
            names = registry.available(req, actor.roles)
            print(
                f"{req.reference} is {req.state} (version {req.version}); {args.username} may: "
                + (", ".join(names) if names else "nothing")
            )
            return 0
        inp = ActionInput(
            note=args.note,
            text=args.text,
            unit=args.unit,
            category=args.category,
            accept_suggestion=args.accept_suggestion,
            lead=args.lead,
            solved={"yes": True, "no": False}.get(args.solved or ""),
            satisfaction=args.satisfaction,
            comment=args.comment,
            expected_version=args.expected_version,
        )
        done = registry.perform(args.action, req, actor, inp)
    except WorkflowError as exc:
        print(f"massline act: {exc}", file=sys.stderr)
        return 1
    print(f"{req.reference}: {done} Now {req.state}, version {req.version}.")
    return 0
