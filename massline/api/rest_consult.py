"""Consultations (徵求意見): the list, one consultation, its statements, voting, adding a statement and the
opinion map, with the web's rules (massline/consult: ``permissions``, ``actions``, ``views``).

Who sees what: everyone sees open and closed consultations, organisers (a key of an admin or supervisor)
drafts too (``visible_consultations``). Voters see the statements the voting page offers
(``voter_statements``: accepted ones, and in post-moderation those not yet reviewed unless held), their text
through the public redaction pipeline.

Who votes: the participant is identified as on the web. An embedding site passes its user's pseudonymous
``xid`` with ``sig`` (HMAC-SHA256 under the consultation's embed secret, consult/embedding.py); without an
xid, a key bound to an account votes as that account. Nothing else identifies a person over the API (there
is no cookie), so a call with neither is refused. A consultation that requires sign-in takes the same two.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from massline.consult import actions
from massline.consult.actions import ConsultError
from massline.consult.embedding import check_xid
from massline.consult.models import STATEMENT_MAX_CHARS, Consultation, Statement, Vote
from massline.consult.permissions import visible_consultations
from massline.workflow.redaction import redact_public

from . import schemas as s
from .auth import OPTIONAL_AUTH, OPTIONAL_SECURITY
from .errors import ApiError
from .rest_paging import PageParams, keyset_page, page_of

router = Router(tags=["consultations"])

MAX_ID = 2**63 - 1
VALUES = {"agree": Vote.AGREE, "disagree": Vote.DISAGREE, "pass": Vote.PASS}
NAMES = {v: k for k, v in VALUES.items()}


def caller(request):
    """The account behind the key, or an anonymous visitor (no key, a client key, an inactive account)."""
    user = getattr(request.auth, "user", None)
    return user if user is not None and user.is_active else AnonymousUser()


def _consultation(request, pk: int) -> Consultation:
    c = visible_consultations(caller(request), Consultation.objects.all()).filter(pk=pk).first()
    if c is None:
        raise ApiError(404, f"no consultation {pk}", "not_found")
    return c


# --- consultations ----------------------------------------------------------------------------------------


class ConsultationOut(Schema):
    id: int
    title: str
    question: str
    status: Literal["draft", "open", "closed"]
    accepts_votes: bool = Field(description="open, and inside its opening and closing times")
    opens_at: datetime | None
    closes_at: datetime | None
    moderation: Literal["pre", "post"] = Field(
        description="pre: statements appear once accepted; post: at once, moderators may reject them"
    )
    sign_in_required: bool
    languages: list[str]
    statements: int = Field(description="accepted statements")
    participants: int
    outcome: str | None = Field(description="what was adopted and why, once published")
    outcome_published_at: datetime | None
    created_at: datetime


class ConsultationPage(Schema):
    items: list[ConsultationOut]
    next: str | None
    limit: int


class ConsultationFilters(PageParams):
    status: Literal["draft", "open", "closed"] | None = Field(None, description="drafts: organisers only")


def _counted(qs):
    return qs.annotate(
        n_statements=Count("statements", filter=Q(statements__state=Statement.State.ACCEPTED), distinct=True),
        n_participants=Count("participants", distinct=True),
    )


def _consultation_out(c) -> dict:
    """``c``: a Consultation annotated by ``_counted``."""
    return {
        "id": c.pk,
        "title": c.title,
        "question": c.question,
        "status": c.status,
        "accepts_votes": c.accepts_votes(),
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "moderation": c.moderation,
        "sign_in_required": c.sign_in_required,
        "languages": c.language_list(),
        "statements": c.n_statements,
        "participants": c.n_participants,
        "outcome": c.outcome if c.outcome_published else None,
        "outcome_published_at": c.outcome_published_at if c.outcome_published else None,
        "created_at": c.created_at,
    }


@router.get(
    "",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: ConsultationPage, **s.OPTIONAL_KEY_ERRORS},
    summary="Consultations, newest first",
)
def list_consultations(request, filters: Query[ConsultationFilters]):
    """Open and closed consultations; an organiser's key (admin or supervisor) lists drafts too."""
    qs = visible_consultations(caller(request), Consultation.objects.all())
    if filters.status:
        qs = qs.filter(status=filters.status)
    rows, after = keyset_page(_counted(qs), ("-created_at", "-id"), filters, "consultations")
    return page_of([_consultation_out(c) for c in rows], after, filters)


ConsultationId = Path(..., ge=1, le=MAX_ID, description="the consultation's number")


@router.get(
    "/{consultation_id}",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: ConsultationOut, **s.OPTIONAL_KEY_ERRORS},
    summary="One consultation",
)
def get_consultation(request, consultation_id: int = ConsultationId):
    c = _consultation(request, consultation_id)
    return _consultation_out(_counted(Consultation.objects.filter(pk=c.pk)).get())


# --- statements -------------------------------------------------------------------------------------------


class StatementOut(Schema):
    id: int
    text: str = Field(description="as voters read it: personal data replaced by a marker")
    by_organiser: bool
    created_at: datetime


class StatementPage(Schema):
    items: list[StatementOut]
    next: str | None
    limit: int


def _statement_out(st: Statement) -> dict:
    return {
        "id": st.pk,
        "text": redact_public(st.text),
        "by_organiser": st.by_organiser,
        "created_at": st.created_at,
    }


@router.get(
    "/{consultation_id}/statements",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: StatementPage, **s.OPTIONAL_KEY_ERRORS},
    summary="The statements voters see, oldest first",
)
def list_statements(request, page: Query[PageParams], consultation_id: int = ConsultationId):
    """The statements of the voting page: accepted ones (in post-moderation also those not yet reviewed,
    unless held for looking personal). Pending and rejected statements are for the moderators' page."""
    c = _consultation(request, consultation_id)
    rows, after = keyset_page(c.voter_statements(), ("id",), page, f"statements:{c.pk}")
    return page_of([_statement_out(st) for st in rows], after, page)


class ParticipantIn(Schema):
    xid: str = Field(
        "", max_length=actions.XID_MAX_CHARS, description="the embedding site's pseudonymous id of the person"
    )
    sig: str = Field("", max_length=128, description="HMAC-SHA256 of '<consultation id>:<xid>', hex")


class VoteIn(ParticipantIn):
    statement: int = Field(..., ge=1, le=MAX_ID, description="the statement's id")
    vote: Literal["agree", "disagree", "pass"]


class VoteOut(Schema):
    statement: int
    vote: Literal["agree", "disagree", "pass"]
    first_voted_at: datetime
    updated_at: datetime
    changes: int = Field(description="how often this participant changed this vote")


class StatementIn(ParticipantIn):
    text: str = Field(..., min_length=1, max_length=STATEMENT_MAX_CHARS * 4)
    confirm: bool = Field(
        False,
        description="add it even though similar statements exist (without it they are answered with 409)",
    )


class StatementAddedOut(Schema):
    id: int
    text: str
    state: Literal["pending", "accepted", "rejected"]
    shown_to_voters: bool = Field(
        description="false until a moderator accepts it (pre-moderation, or a text that looks personal)"
    )


class SimilarOut(Schema):
    id: int
    text: str
    similarity: float


class SimilarErrorOut(s.ErrorOut):
    similar: list[SimilarOut] = []


def participant_kwargs(request, c: Consultation, body: ParticipantIn) -> dict:
    """Who is taking part: a signed xid, or the key's account (the web's ``identity_of`` without cookies)."""
    xid = actions.clean_text(body.xid)[: actions.XID_MAX_CHARS]
    if xid:
        try:
            check_xid(c, xid, body.sig)
        except PermissionDenied as exc:
            raise ApiError(403, str(exc), "not_permitted") from exc
        return {"xid": xid}
    user = caller(request)
    if user.is_authenticated:
        return {"user": user}
    raise ApiError(
        403,
        "say who is taking part: send the embedding site's xid with its sig, or use a key bound to an account",
        "no_participant",
    )


@router.post(
    "/{consultation_id}/votes",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: VoteOut, **s.PARTICIPANT_ERRORS},
    summary="Vote on a statement",
)
def vote(request, body: VoteIn, consultation_id: int = ConsultationId):
    """Agree, disagree or pass. Voting again replaces the earlier vote; the same vote twice changes nothing
    (safe to retry). A closed consultation, or a statement voters cannot see, is a 409."""
    c = _consultation(request, consultation_id)
    who = participant_kwargs(request, c, body)
    statement = c.statements.filter(pk=body.statement).first()
    try:
        if statement is None:
            raise ConsultError(_("This statement is not open for votes."))
        participant = actions.get_or_create_participant(c, **who)
        cast = actions.cast_vote(participant, statement, VALUES[body.vote])
    except ConsultError as exc:
        raise ApiError(409, str(exc), "not_accepted") from exc
    cast.refresh_from_db()
    return {
        "statement": statement.pk,
        "vote": NAMES[cast.value],
        "first_voted_at": cast.created,
        "updated_at": cast.updated,
        "changes": cast.changes,
    }


@router.post(
    "/{consultation_id}/statements",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    response={201: StatementAddedOut, 409: SimilarErrorOut, **s.PARTICIPANT_NO_CONFLICT_ERRORS},
    summary="Add a statement",
)
def add_statement(request, body: StatementIn, consultation_id: int = ConsultationId):
    """A participant's statement, moderated as on the web: in pre-moderation it waits for a moderator; a
    text that still looks personal after redaction waits in either mode. When statements voters can already
    see say nearly the same, the answer is 409 ``similar_statements`` listing them: vote on one of those, or
    send the text again with ``confirm: true``."""
    c = _consultation(request, consultation_id)
    who = participant_kwargs(request, c, body)
    try:
        text = actions.check_statement_text(c, body.text)
    except ConsultError as exc:
        raise ApiError(422, f"text: {exc}", "invalid_request") from exc
    if not body.confirm:
        similar = actions.check_similar_statements(c, text)
        if similar:
            raise ApiError(
                409,
                "statements voters can already see say nearly the same: vote on one of them, or send yours "
                "again with confirm: true",
                "similar_statements",
                similar=[
                    {
                        "id": x.statement.pk,
                        "text": redact_public(x.statement.text),
                        "similarity": x.similarity,
                    }
                    for x in similar
                ],
            )
    try:
        participant = actions.get_or_create_participant(c, **who)
        st = actions.add_statement(c, participant, text)
    except ConsultError as exc:
        raise ApiError(409, str(exc), "not_accepted") from exc
    return Status(
        201,
        {
            "id": st.pk,
            "text": redact_public(st.text),
            "state": st.state,
            "shown_to_voters": c.voter_statements().filter(pk=st.pk).exists(),
        },
    )


# --- the opinion map ----------------------------------------------------------------------------------------


class RepresentativeOut(Schema):
    id: int
    text: str
    repful_for: Literal["agree", "disagree"] = Field(description="what sets the group apart on it")
    n_success: int
    n_trials: int
    p_success: float


class GroupOut(Schema):
    id: int
    label: str
    size: int
    statements: list[RepresentativeOut] = Field(description="its representative statements")


class ConsensusOut(Schema):
    id: int
    text: str
    n_success: int
    n_trials: int
    p_success: float


class GroupShareOut(Schema):
    label: str
    agree: int
    seen: int


class CommonGroundOut(Schema):
    id: int
    text: str
    score: float = Field(description="group-informed consensus")
    groups: list[GroupShareOut]


class ConsensusSides(Schema):
    agree: list[ConsensusOut]
    disagree: list[ConsensusOut]


class MapOut(Schema):
    computed_at: datetime | None = Field(description="null until there are enough votes for a map")
    participants: int
    in_conversation: int
    votes: int
    groups: list[GroupOut]
    consensus: ConsensusSides
    common_ground: list[CommonGroundOut] = Field(
        description="statements a majority of every group agrees with (when there are several groups)"
    )


def _rows(items: list[dict], with_side: bool) -> list[dict]:
    keys = ("n_success", "n_trials", "p_success")
    return [
        {
            "id": r["tid"],
            "text": r["text"],
            **{k: r[k] for k in keys},
            **({"repful_for": r["repful_for"]} if with_side else {}),
        }
        for r in items
    ]


@router.get(
    "/{consultation_id}/map",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: MapOut, **s.OPTIONAL_KEY_ERRORS},
    summary="The opinion map: groups, representative statements, consensus",
)
def opinion_map(request, consultation_id: int = ConsultationId):
    """The latest opinion map, as the consultation's page shows it (the same rules: rejected statements
    left out, texts redacted): the opinion groups with their representative statements, the statements
    most participants agree or disagree with, and the common ground of every group."""
    from massline.consult.selection import latest_snapshot
    from massline.consult.tasks import refresh_if_stale
    from massline.consult.views import _map_context

    c = _consultation(request, consultation_id)
    refresh_if_stale(c)
    snapshot = latest_snapshot(c)
    ctx = _map_context(c, snapshot, None)
    data = snapshot.data if snapshot else {}
    return {
        "computed_at": snapshot.computed_at if snapshot else None,
        "participants": data.get("n_participants", 0),
        "in_conversation": data.get("n_in_conversation", 0),
        "votes": data.get("n_votes", 0),
        "groups": [
            {
                "id": g["id"],
                "label": g["label"],
                "size": g["size"],
                "statements": _rows(g["statements"], True),
            }
            for g in ctx.get("groups", [])
        ],
        "consensus": {
            "agree": _rows(ctx.get("consensus_agree", []), False),
            "disagree": _rows(ctx.get("consensus_disagree", []), False),
        },
        "common_ground": [
            {"id": r["tid"], "text": r["text"], "score": r["score"], "groups": r["groups"]}
            for r in ctx.get("common_ground", [])
        ],
    }
