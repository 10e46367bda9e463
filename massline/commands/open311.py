"""`massline open311`: requests sent out to external Open311 endpoints, and their updates read back.

    massline open311 endpoint water-co water-company https://water.example.org/open311/v2 \\
        --api-key KEY --jurisdiction water.example.org --code '*=leak'
    massline open311 send      # send what is due now (retries included)
    massline open311 poll      # read every endpoint's servicerequestupdates
    massline open311 status    # endpoints, deliveries by state, updates received; failed deliveries
    massline open311 retry 42  # send a failed delivery again
"""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("open311", help="send requests to external Open311 endpoints and poll their updates")
    actions = p.add_subparsers(dest="open311_action", metavar="ACTION", required=True)
    actions.add_parser("send", help="send the deliveries that are due (with retries)")
    actions.add_parser("poll", help="read the endpoints' servicerequestupdates onto the timelines")
    actions.add_parser("status", help="endpoints, deliveries by state, updates received, failures")
    retry = actions.add_parser("retry", help="send a failed delivery again now")
    retry.add_argument("delivery", type=int, help="the delivery's number (see status)")
    ep = actions.add_parser("endpoint", help="add or change the endpoint of a unit")
    ep.add_argument("name", help="a short name, e.g. water-co")
    ep.add_argument("unit", help="the code of the unit whose requests go there")
    ep.add_argument("url", help="the GeoReport v2 base, e.g. https://water.example.org/open311/v2")
    ep.add_argument("--api-key", default="")
    ep.add_argument("--jurisdiction", default="", help="jurisdiction_id, when the endpoint wants one")
    ep.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="OURS=THEIRS",
        help="a category code and their service_code; '*=THEIRS' for every other category (repeatable)",
    )
    ep.add_argument("--format", choices=["json", "xml"], default="json")
    ep.add_argument("--send-personal-data", action="store_true", help="send contacts and unredacted text")
    ep.add_argument("--off", action="store_true", help="keep the endpoint but send nothing to it")
    remove = actions.add_parser("remove", help="remove an endpoint and its delivery log")
    remove.add_argument("name")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.utils import translation

    translation.activate("en")
    verb = args.open311_action
    if verb == "send":
        from massline.open311out.tasks import send_due

        print(f"sent or tried {send_due()} deliveries")
        return 0
    if verb == "poll":
        from massline.open311out.polling import poll_all

        failed = 0
        for r in poll_all():
            failed += bool(r.error)
            state = f"FAILED: {r.error}" if r.error else "ok"
            print(f"{r.endpoint}\t{r.requests} requests\t{r.fetched} updates read\t{r.new} new\t{state}")
        return 1 if failed else 0
    if verb == "status":
        return _status()
    if verb == "retry":
        from massline.open311out import actions
        from massline.open311out.models import Delivery

        delivery = Delivery.objects.filter(pk=args.delivery).first()
        if delivery is None:
            print(f"massline open311: no delivery {args.delivery}", file=sys.stderr)
            return 2
        if not actions.retry(delivery):
            print(f"massline open311: delivery {args.delivery} was already sent", file=sys.stderr)
            return 1
        from massline.open311out.sending import send

        print(f"delivery {args.delivery}: {send(delivery.pk)}")
        return 0
    return _configure(args)


def _configure(args) -> int:
    from massline.console.actions import ConsoleActor
    from massline.open311out import actions
    from massline.open311out.models import Endpoint

    actor = ConsoleActor.command("massline open311")
    try:
        if args.open311_action == "remove":
            endpoint = Endpoint.objects.filter(name=args.name).first()
            if endpoint is None:
                print(f"massline open311: no endpoint {args.name!r}", file=sys.stderr)
                return 2
            actions.remove_endpoint(actor, endpoint)
            print(f"removed endpoint {args.name!r}")
            return 0
        endpoint = actions.save_endpoint(
            actor,
            name=args.name,
            unit=args.unit,
            base_url=args.url,
            api_key=args.api_key,
            jurisdiction_id=args.jurisdiction,
            service_codes=actions.parse_codes(args.code),
            fmt=args.format,
            send_personal_data=args.send_personal_data,
            active=not args.off,
        )
    except actions.Open311OutError as exc:
        print(f"massline open311: {exc}", file=sys.stderr)
        return 2
    print(f"endpoint {endpoint.name!r}: requests of {endpoint.unit.code} go to {endpoint.base_url}")
    return 0


def _status() -> int:
    from massline.open311out.metrics import figures
    from massline.open311out.models import Delivery

    rows = figures()
    if not rows:
        print("no Open311 endpoint configured (massline open311 endpoint NAME UNIT URL --code '*=CODE')")
        return 0
    for f in rows:
        on = "on" if f.endpoint.active else "off"
        print(
            f"{f.endpoint.name}\t{f.endpoint.unit.code}\t{on}\tsent {f.sent}\twaiting {f.pending}\t"
            f"failed {f.failed}\tupdates {f.updates} ({f.updates_30_days} in 30 days, {f.closing_updates} "
            f"fixed/closed)"
        )
    failed = Delivery.objects.filter(state=Delivery.State.FAILED).select_related("endpoint", "request")
    for d in failed[:50]:
        print(
            f"  failed #{d.pk}\t{d.request.reference}\t{d.endpoint.name}\t{d.attempts} attempts\t{d.last_error[:160]}"
        )
    return 0
