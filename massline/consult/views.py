"""Public consultation pages, the voting page (also embeddable with ``?xid=``) and the organisers' pages.

Views parse and validate, call an action, and turn ``ConsultError`` into a message. Every form is a
plain HTML form: voting works without JavaScript.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from massline.workflow.redaction import redact_public

from . import actions, charts
from .actions import ConsultError
from .embedding import check_xid
from .forms import ConsultationForm, OutcomeForm, RejectForm, StatementForm, VoteForm
from .models import Consultation, Participant, Statement, Vote
from .permissions import can_organise, require_organiser, visible_consultations
from .selection import latest_snapshot, next_statement, remaining_statements
from .tasks import refresh_if_stale

COOKIE = "massline_consult"
COOKIE_SALT = "massline.consult.participant"
COOKIE_MAX_AGE = 365 * 24 * 3600


# ---------------------------------------------------------------- who is voting


@dataclass
class Identity:
    user: Any
    xid: str
    cookie_key: str
    new_cookie: bool
    embed: bool
    sig: str = ""

    def kwargs(self) -> dict:
        if self.xid:
            return {"xid": self.xid}
        if self.user is not None and self.user.is_authenticated:
            return {"user": self.user}
        return {"cookie_key": self.cookie_key}

    def query(self) -> str:
        return "?" + urlencode({"xid": self.xid, "sig": self.sig}) if self.xid else ""


def identity_of(request, c: Consultation, embed: bool = False) -> Identity:
    """An embedded page knows people only by the xid its host page passes, signed by that site (see
    consult/embedding.py); otherwise a signed-in account or, for anonymous people, a random key kept in a
    signed cookie."""
    xid = actions.clean_text(request.GET.get("xid") or request.POST.get("xid") or "")[: actions.XID_MAX_CHARS]
    sig = (request.GET.get("sig") or request.POST.get("sig") or "")[:128]
    if xid:
        check_xid(c, xid, sig)
    if embed:
        if not xid:
            raise Http404("an embedded consultation needs ?xid=")
        return Identity(None, xid, "", False, True, sig)
    key = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    new = not key
    return Identity(request.user, xid, key or secrets.token_urlsafe(18), new, False, sig)


def _with_cookie(response, ident: Identity):
    if ident.new_cookie and not ident.embed:
        response.set_signed_cookie(
            COOKIE, ident.cookie_key, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax"
        )
    return response


def _public_consultation(request, pk: int) -> Consultation:
    qs = visible_consultations(request.user, Consultation.objects.all())
    return get_object_or_404(qs, pk=pk)


# ---------------------------------------------------------------- public pages


def consultation_list(request):
    qs = visible_consultations(request.user, Consultation.objects.all()).annotate(
        n_statements=Count("statements", filter=Q(statements__state=Statement.State.ACCEPTED), distinct=True),
        n_participants=Count("participants", distinct=True),
    )
    consultations = list(qs)
    return render(
        request,
        "consult/list.html",
        {
            "open": [c for c in consultations if c.status == Consultation.Status.OPEN],
            "closed": [c for c in consultations if c.status == Consultation.Status.CLOSED],
            "drafts": [c for c in consultations if c.status == Consultation.Status.DRAFT],
            "can_organise": can_organise(request.user),
        },
    )


def _texts(consultation: Consultation, data: dict) -> dict[int, str]:
    ids = {r["tid"] for g in data.get("groups", []) for r in g.get("repness", [])}
    ids |= {r["tid"] for side in data.get("consensus", {}).values() for r in side}
    ids |= {int(t) for t in data.get("group_informed_consensus", {})}
    rows = consultation.statements.filter(pk__in=ids).values_list("pk", "text")
    return {pk: redact_public(text) for pk, text in rows}  # public page: the redaction pipeline


def _map_context(consultation: Consultation, snapshot, participant: Participant | None) -> dict:
    if snapshot is None:
        return {"snapshot": None}
    data = snapshot.data
    texts = _texts(consultation, data)
    rejected = set(
        consultation.statements.filter(state=Statement.State.REJECTED, pk__in=texts).values_list(
            "pk", flat=True
        )
    )

    def rows(items):
        return [
            {**r, "text": texts.get(r["tid"], "")}
            for r in items
            if r["tid"] in texts and r["tid"] not in rejected
        ]

    groups = [
        {**g, "colour": charts.group_colour(g["id"]), "statements": rows(g.get("repness", []))}
        for g in data.get("groups", [])
    ]
    # Common ground: statements a majority of *every* group agrees with, by group-informed consensus.
    gic = sorted(data.get("group_informed_consensus", {}).items(), key=lambda kv: -kv[1])
    by_group = data.get("group_votes", {})
    common: list[dict] = []
    for t, score in gic:
        counts = by_group.get(t, [])
        majority = bool(counts) and all(seen and 2 * agreed > seen for agreed, seen in counts)
        if int(t) in texts and int(t) not in rejected and majority and len(common) < 5:
            labels = [g["label"] for g in groups]
            common.append(
                {
                    "tid": int(t),
                    "text": texts[int(t)],
                    "score": score,
                    "groups": [
                        {"label": lb, "agree": a, "seen": n}
                        for lb, (a, n) in zip(labels, counts, strict=False)
                    ],
                }
            )
    my_group = None
    if participant is not None:
        for x in data.get("points", []):
            if x[3] == participant.pk and x[2] >= 0:
                my_group = next((g for g in groups if g["id"] == x[2]), None)
    return {
        "snapshot": snapshot,
        "data": data,
        "chart": charts.scatter(data, you=participant.pk if participant else None),
        "groups": groups,
        "consensus_agree": rows(data.get("consensus", {}).get("agree", [])),
        "consensus_disagree": rows(data.get("consensus", {}).get("disagree", [])),
        "common_ground": common if len(groups) > 1 else [],
        "my_group": my_group,
    }


def consultation_detail(request, pk: int):
    c = _public_consultation(request, pk)
    refresh_if_stale(c)
    ident = identity_of(request, c)
    participant = actions.participant_for(c, **ident.kwargs())
    names = dict(settings.LANGUAGES)
    ctx = {
        "c": c,
        "languages": [names.get(code, code) for code in c.language_list()],
        "can_organise": can_organise(request.user),
        "n_accepted": c.statements.filter(state=Statement.State.ACCEPTED).count(),
        "n_participants": c.participants.count(),
        "my_votes": participant.votes.count() if participant else 0,
        **_map_context(c, latest_snapshot(c), participant),
    }
    return render(request, "consult/detail.html", ctx)


# ---------------------------------------------------------------- voting


def _vote_urls(c: Consultation, ident: Identity) -> dict:
    names = (
        ("embed", "embed_vote", "embed_statement") if ident.embed else ("vote", "cast_vote", "add_statement")
    )
    q = ident.query()
    return {
        "page_url": reverse(f"consult:{names[0]}", args=[c.pk]) + q,
        "vote_url": reverse(f"consult:{names[1]}", args=[c.pk]) + q,
        "statement_url": reverse(f"consult:{names[2]}", args=[c.pk]) + q,
    }


def _render_vote_page(request, c: Consultation, ident: Identity, *, form=None, similar=(), status=200):
    participant = actions.participant_for(c, **ident.kwargs())
    snapshot = latest_snapshot(c)
    statement = None
    if c.accepts_votes():
        wanted = request.GET.get("statement", "")
        if wanted.isdigit():  # "vote on this one instead" links from the similar-statements notice
            statement = remaining_statements(c, participant).filter(pk=int(wanted)).first()
        statement = statement or next_statement(c, participant, snapshot)
    total = c.voter_statements().count()
    left = remaining_statements(c, participant).count()
    own = []
    if participant is not None:
        own = list(Statement.objects.filter(author=participant).order_by("-created_at")[:10])
    ctx = {
        "c": c,
        "layout": "consult/embed_layout.html" if ident.embed else "consult/layout.html",
        "embed": ident.embed,
        "xid": ident.xid,
        "statement": statement,
        "vote_choices": [
            (Vote.AGREE, _("Agree"), "agree"),
            (Vote.DISAGREE, _("Disagree"), "disagree"),
            (Vote.PASS, _("Pass / unsure"), "pass"),
        ],
        "total": total,
        "voted": total - left,
        "form": form or StatementForm(),
        "similar": similar,
        "own_statements": own,
        "participant": participant,
        **_vote_urls(c, ident),
    }
    return _with_cookie(render(request, "consult/vote.html", ctx, status=status), ident)


def vote_page(request, pk: int, embed: bool = False):
    c = (
        get_object_or_404(Consultation.objects.exclude(status=Consultation.Status.DRAFT), pk=pk)
        if embed
        else _public_consultation(request, pk)
    )
    return _render_vote_page(request, c, identity_of(request, c, embed))


@require_POST
def cast_vote(request, pk: int, embed: bool = False):
    c = get_object_or_404(Consultation, pk=pk)
    ident = identity_of(request, c, embed)
    form = VoteForm(request.POST)
    back = _vote_urls(c, ident)["page_url"]
    if not form.is_valid():
        messages.error(request, _("That vote was not understood; please use the buttons."))
        return _with_cookie(HttpResponseRedirect(back), ident)
    statement = c.statements.filter(pk=form.cleaned_data["statement"]).first()
    try:
        if statement is None:
            raise ConsultError(_("This statement is not open for votes."))
        participant = actions.get_or_create_participant(c, **ident.kwargs())
        actions.cast_vote(participant, statement, form.cleaned_data["value"])
    except ConsultError as e:
        messages.error(request, str(e))
    return _with_cookie(HttpResponseRedirect(back), ident)


@require_POST
def add_statement(request, pk: int, embed: bool = False):
    c = get_object_or_404(Consultation, pk=pk)
    ident = identity_of(request, c, embed)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _render_vote_page(request, c, ident, form=form, status=400)
    text = form.cleaned_data["text"]
    try:
        actions.check_statement_text(c, text)
        if not form.cleaned_data["confirm"]:
            similar = actions.check_similar_statements(c, text)
            if similar:
                form = StatementForm(initial={"text": text, "confirm": True})
                return _render_vote_page(request, c, ident, form=form, similar=similar)
        participant = actions.get_or_create_participant(c, **ident.kwargs())
        actions.add_statement(c, participant, text)
    except ConsultError as e:
        form.add_error("text", str(e))
        return _render_vote_page(request, c, ident, form=form, status=400)
    if c.moderation == Consultation.Moderation.PRE:
        messages.success(
            request, _("Thank you. Your statement will be shown to others once a moderator accepts it.")
        )
    else:
        messages.success(request, _("Thank you. Your statement is now shown to others."))
    return _with_cookie(HttpResponseRedirect(_vote_urls(c, ident)["page_url"]), ident)


# Embedding: the host page passes ?xid=; no cookies are involved (third-party cookies are blocked in
# most browsers), so there is no ambient credential for CSRF to abuse and frames must be allowed.
embed_page = xframe_options_exempt(csrf_exempt(vote_page))
embed_vote = xframe_options_exempt(csrf_exempt(cast_vote))
embed_statement = xframe_options_exempt(csrf_exempt(add_statement))


# ---------------------------------------------------------------- organisers


def _organiser(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_organiser(request.user)
    return None


def manage_list(request):
    if (login := _organiser(request)) is not None:
        return login
    qs = Consultation.objects.annotate(
        n_pending=Count("statements", filter=Q(statements__state=Statement.State.PENDING), distinct=True),
        n_participants=Count("participants", distinct=True),
    )
    return render(request, "consult/manage_list.html", {"consultations": qs})


def manage_new(request):
    if (login := _organiser(request)) is not None:
        return login
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = actions.create_consultation(
                request.user,
                title=d["title"],
                question=d["question"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                moderation=d["moderation"],
                languages=d["languages"],
                seed_statements=form.seed_list(),
                sign_in_required=d["sign_in_required"],
            )
        except ConsultError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Consultation created as a draft. Open it when it is ready."))
            return redirect("consult:manage", pk=c.pk)
    return render(request, "consult/manage_form.html", {"form": form, "c": None})


def statement_results(c: Consultation, snapshot) -> dict:
    """Every statement with its vote counts, and each opinion group's agreement from the latest map:
    what organisers read before writing the outcome."""
    groups = (snapshot.data.get("groups") or []) if snapshot else []
    by_group = (snapshot.data.get("group_votes") or {}) if snapshot else {}
    rows = []
    qs = c.statements.annotate(
        n_agree=Count("votes", filter=Q(votes__value=Vote.AGREE)),
        n_disagree=Count("votes", filter=Q(votes__value=Vote.DISAGREE)),
        n_pass=Count("votes", filter=Q(votes__value=Vote.PASS)),
    ).order_by("-n_agree", "id")
    for st in qs:
        counts = by_group.get(str(st.pk), [])
        shares = [
            {
                "label": g["label"],
                "colour": charts.group_colour(g["id"]),
                "agree": a,
                "seen": n,
                "pct": round(100 * a / n) if n else None,
            }
            for g, (a, n) in zip(groups, counts, strict=False)
        ]
        rows.append({"statement": st, "groups": shares})
    return {"groups": groups, "rows": rows}


def manage_detail(request, pk: int):
    if (login := _organiser(request)) is not None:
        return login
    c = get_object_or_404(Consultation, pk=pk)
    initial = {
        "title": c.title,
        "question": c.question,
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "moderation": c.moderation,
        "languages": c.language_list(),
        "sign_in_required": c.sign_in_required,
    }
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.update_consultation(
                c,
                request.user,
                title=d["title"],
                question=d["question"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                moderation=d["moderation"],
                languages=d["languages"],
                sign_in_required=d["sign_in_required"],
            )
            for text in form.seed_list():
                actions.add_statement(c, None, text, by_organiser=True, user=request.user)
        except ConsultError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Saved."))
            return redirect("consult:manage", pk=c.pk)
    snapshot = latest_snapshot(c)
    ctx = {
        "c": c,
        "form": form,
        "outcome_form": OutcomeForm(initial={"outcome": c.outcome}),
        "n_pending": c.statements.filter(state=Statement.State.PENDING).count(),
        "snapshot": snapshot,
        "results": statement_results(c, snapshot),
        "events": c.events.select_related("actor")[:20],
    }
    return render(request, "consult/manage_form.html", ctx)


@require_POST
def manage_action(request, pk: int, action: str):
    if (login := _organiser(request)) is not None:
        return login
    c = get_object_or_404(Consultation, pk=pk)
    try:
        if action == "open":
            actions.open_consultation(c, request.user)
            messages.success(request, _("The consultation is open."))
        elif action == "close":
            actions.close_consultation(c, request.user)
            messages.success(request, _("The consultation is closed."))
        elif action == "recompute":
            actions.request_recompute(c, force=True)
            messages.success(request, _("The opinion map is being recomputed."))
        elif action == "outcome":
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise ConsultError(_("Write what was adopted and why before publishing."))
            actions.publish_outcome(c, request.user, form.cleaned_data["outcome"])
            messages.success(request, _("The outcome is published."))
        else:
            raise Http404("unknown action")
    except ConsultError as e:
        messages.error(request, str(e))
    return redirect("consult:manage", pk=c.pk)


def moderation_queue(request, pk: int):
    if (login := _organiser(request)) is not None:
        return login
    c = get_object_or_404(Consultation, pk=pk)
    if request.method == "POST":
        st = get_object_or_404(Statement, pk=request.POST.get("statement"), consultation=c)
        try:
            if request.POST.get("decision") == "accept":
                actions.moderate_statement(st, request.user, accept=True)
                messages.success(request, _("Statement #%(id)d accepted.") % {"id": st.pk})
            else:
                form = RejectForm(request.POST)
                reason = form.cleaned_data["reason"] if form.is_valid() else ""
                actions.moderate_statement(st, request.user, accept=False, reason=reason)
                messages.success(request, _("Statement #%(id)d rejected.") % {"id": st.pk})
        except ConsultError as e:
            messages.error(request, str(e))
        return redirect("consult:moderation", pk=c.pk)
    statements = c.statements.annotate(n_votes=Count("votes"))
    ctx = {
        "c": c,
        "pending": statements.filter(state=Statement.State.PENDING).order_by("created_at", "id"),
        "decided": statements.exclude(state=Statement.State.PENDING).order_by("-moderated_at", "-id")[:50],
    }
    return render(request, "consult/moderation.html", ctx)


def manage_export(request, pk: int):
    """Pol.is openData CSVs (comments, votes, participants-votes with group-id) in a zip, fitted now.

    Organisers only. The same file as ``massline export consultation ID --format polis`` (one rule,
    ``export_formats.polis_zip``): accepted statements only, redacted, and only the votes on them;
    participants appear by their internal number, never by cookie, account or xid."""
    if (login := _organiser(request)) is not None:
        return login
    from .export_formats import ExportError, polis_zip

    c = get_object_or_404(Consultation, pk=pk)
    try:
        content = polis_zip(c)
    except ExportError:
        messages.error(request, _("There are not enough votes to export yet."))
        return redirect("consult:manage", pk=c.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="consultation-{c.pk}-polis.zip"'
    return response
