"""`massline apikey`: create, list and revoke API keys (the key is printed once; only its hash is kept)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("apikey", help="create, list or revoke API keys for the REST and Open311 APIs")
    actions = p.add_subparsers(dest="apikey_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a key and print it once")
    create.add_argument("name", help="who will use the key, e.g. 'city-app'")
    create.add_argument("--user", help="a staff username: the key then acts with that user's roles")
    create.add_argument("--rate", type=int, default=0, help="requests per minute (default: the setting)")
    actions.add_parser("list", help="list keys (never the keys themselves)")
    revoke = actions.add_parser("revoke", help="revoke a key by name")
    revoke.add_argument("name")
    p.set_defaults(func=run)


def run(args) -> int:
    from massline.commands._django import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from massline.api.actions import ApiKeyError, create_api_key, revoke_api_key
    from massline.api.models import ApiKey

    if args.apikey_action == "create":
        user = None
        if args.user:
            user = get_user_model().objects.filter(username=args.user).first()
            if user is None:
                print(f"massline apikey: no user named {args.user!r}", file=sys.stderr)
                return 1
        try:
            key, raw = create_api_key(args.name, user=user, rate_limit=max(0, args.rate))
        except ApiKeyError as exc:
            print(f"massline apikey: {exc}", file=sys.stderr)
            return 1
        who = f"staff user {user.username}" if user else "client key (submit only)"
        print(f"created API key {key.name!r} ({who}). Store it now; it is not shown again:", file=sys.stderr)
        print(raw)
        return 0
    if args.apikey_action == "list":
        for row in ApiKey.objects.select_related("user"):
            state = "revoked" if row.revoked_at else "active"
            owner = row.user.username if row.user else "-"
            used = f"{timezone.localtime(row.last_used_at):%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            print(f"{row.name}\t{row.prefix}…\t{owner}\t{state}\tlast used {used}")
        return 0
    found = ApiKey.objects.filter(name=args.name).first()
    if found is None:
        print(f"massline apikey: no key named {args.name!r}", file=sys.stderr)
        return 1
    revoke_api_key(found)
    print(f"revoked {found.name!r}")
    return 0
