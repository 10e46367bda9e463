"""The only code that writes consultations, participants, statements and votes.

``check_*`` functions validate and read; ``do_*``-style writers run atomically and raise ``ConsultError``
with a message fit to show the user. Organiser actions append a ``ConsultEvent``. Every write that changes
the vote matrix (a vote, a moderation decision) marks the opinion map dirty and asks for a debounced
background recompute once the transaction commits (see ``tasks.py``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from massline.core.dedupe import DuplicateIndex
from massline.workflow.excerpt import needs_hold
from massline.workflow.redaction import redact_public

from .models import (
    REASON_MAX_CHARS,
    STATEMENT_MAX_CHARS,
    STATEMENT_MIN_CHARS,
    Consultation,
    ConsultEvent,
    Participant,
    Statement,
    Vote,
)

TITLE_MAX_CHARS = 200
QUESTION_MAX_CHARS = 20_000
XID_MAX_CHARS = 200


class ConsultError(Exception):
    """A request the consultation cannot take; the message is shown to the user as is."""


@dataclass(frozen=True)
class Similar:
    statement: Statement
    similarity: float


# ---------------------------------------------------------------- text hygiene


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """NFC, no control or bidi-override characters, whitespace collapsed. HTML stays as typed: it is
    escaped when rendered, never stripped, so people see exactly what was written."""
    text = unicodedata.normalize("NFC", text or "")
    text = _CONTROL.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _event(consultation: Consultation, user, action: str, **data) -> None:
    ConsultEvent.objects.create(
        consultation=consultation,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_label=user.get_username() if getattr(user, "is_authenticated", False) else "system",
        action=action,
        data=data,
    )


def _languages(languages) -> str:
    from django.conf import settings

    known = {code for code, _name in settings.LANGUAGES}
    codes = [c for c in (languages or []) if c in known]
    return ",".join(dict.fromkeys(codes)) or settings.LANGUAGE_CODE


# ---------------------------------------------------------------- consultations


def _check_fields(title: str, question: str, opens_at, closes_at, moderation: str) -> tuple[str, str]:
    title, question = clean_text(title), (question or "").replace("\x00", "").strip()
    if not title:
        raise ConsultError(_("A consultation needs a title."))
    if len(title) > TITLE_MAX_CHARS:
        raise ConsultError(_("The title is too long (at most %(n)d characters).") % {"n": TITLE_MAX_CHARS})
    if not question:
        raise ConsultError(_("A consultation needs a question or a draft text."))
    if len(question) > QUESTION_MAX_CHARS:
        raise ConsultError(_("The text is too long (at most %(n)d characters).") % {"n": QUESTION_MAX_CHARS})
    if opens_at and closes_at and closes_at <= opens_at:
        raise ConsultError(_("The closing time must be after the opening time."))
    if moderation not in Consultation.Moderation.values:
        raise ConsultError(_("Unknown moderation mode."))
    return title, question


@transaction.atomic
def create_consultation(
    user,
    *,
    title: str,
    question: str,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    moderation: str = Consultation.Moderation.PRE,
    languages=("zh-hant",),
    seed_statements=(),
    sign_in_required: bool = False,
) -> Consultation:
    """A new consultation, in draft. ``seed_statements`` are the organisers' own, accepted at once."""
    title, question = _check_fields(title, question, opens_at, closes_at, moderation)
    c = Consultation.objects.create(
        title=title,
        question=question,
        opens_at=opens_at,
        closes_at=closes_at,
        moderation=moderation,
        languages=_languages(languages),
        sign_in_required=bool(sign_in_required),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _event(c, user, "create", title=title)
    for text in seed_statements:
        if clean_text(text):
            add_statement(c, None, text, by_organiser=True, user=user)
    return c


@transaction.atomic
def update_consultation(consultation: Consultation, user, **fields) -> Consultation:
    """Edit title, question, dates, moderation mode or languages. Records which fields changed."""
    allowed = {"title", "question", "opens_at", "closes_at", "moderation", "languages", "sign_in_required"}
    unknown = set(fields) - allowed
    if unknown:
        raise ConsultError(f"unknown fields: {sorted(unknown)}")
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    merged = {k: fields.get(k, getattr(c, k)) for k in allowed}
    merged["title"], merged["question"] = _check_fields(
        merged["title"], merged["question"], merged["opens_at"], merged["closes_at"], merged["moderation"]
    )
    if "languages" in fields:
        merged["languages"] = _languages(fields["languages"])
    changed = [k for k in sorted(allowed) if merged[k] != getattr(c, k)]
    for k in changed:
        setattr(c, k, merged[k])
    if changed:
        c.updated_at = timezone.now()
        c.save(update_fields=[*changed, "updated_at"])
        _event(c, user, "edit", fields=changed)
    consultation.__dict__.update({k: getattr(c, k) for k in [*changed, "updated_at"]})
    return c


def _set_status(
    consultation: Consultation, user, status: str, allowed_from: set[str], action: str
) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if c.status == status:
        return c
    if c.status not in allowed_from:
        raise ConsultError(
            _("This consultation is %(state)s and cannot be %(action)s.")
            % {"state": c.get_status_display(), "action": action}
        )
    previous = c.status
    c.status = status
    c.updated_at = timezone.now()
    fields = ["status", "updated_at"]
    if status == Consultation.Status.OPEN and not c.opens_at:
        c.opens_at = c.updated_at
        fields.append("opens_at")
    if status == Consultation.Status.OPEN and c.closes_at and c.closes_at <= c.updated_at:
        raise ConsultError(_("The closing time has passed: move it later before opening."))
    c.save(update_fields=fields)
    _event(c, user, action, from_status=previous, to_status=status)
    consultation.status, consultation.opens_at = c.status, c.opens_at
    return c


@transaction.atomic
def open_consultation(consultation: Consultation, user) -> Consultation:
    """Open for statements and votes (also re-opens a closed one)."""
    return _set_status(
        consultation,
        user,
        Consultation.Status.OPEN,
        {Consultation.Status.DRAFT, Consultation.Status.CLOSED},
        "open",
    )


@transaction.atomic
def close_consultation(consultation: Consultation, user) -> Consultation:
    c = _set_status(consultation, user, Consultation.Status.CLOSED, {Consultation.Status.OPEN}, "close")
    request_recompute(c, force=True)  # the final map reflects every vote
    return c


@transaction.atomic
def publish_outcome(consultation: Consultation, user, text: str) -> Consultation:
    """Publish what was adopted and why. Publishing again replaces the text."""
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ConsultError(_("Write what was adopted and why before publishing."))
    if len(text) > QUESTION_MAX_CHARS:
        raise ConsultError(_("The text is too long (at most %(n)d characters).") % {"n": QUESTION_MAX_CHARS})
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    c.outcome, c.outcome_published = text, True
    c.outcome_published_at = c.updated_at = timezone.now()
    c.save(update_fields=["outcome", "outcome_published", "outcome_published_at", "updated_at"])
    _event(c, user, "publish_outcome", chars=len(text))
    consultation.outcome, consultation.outcome_published = c.outcome, True
    consultation.outcome_published_at = c.outcome_published_at
    return c


# ---------------------------------------------------------------- participants


def participant_for(
    consultation: Consultation, *, user=None, xid: str = "", cookie_key: str = ""
) -> Participant | None:
    """The existing participant for this identity, or None (read only)."""
    if xid:
        return Participant.objects.filter(consultation=consultation, xid=xid).first()
    if user is not None and getattr(user, "is_authenticated", False):
        return Participant.objects.filter(consultation=consultation, user=user).first()
    if cookie_key:
        return Participant.objects.filter(consultation=consultation, cookie_key=cookie_key).first()
    return None


def get_or_create_participant(
    consultation: Consultation, *, user=None, xid: str = "", cookie_key: str = ""
) -> Participant:
    """The participant for an identity, created on first use. An ``xid`` (embedding) wins over a signed-in
    account, which wins over the anonymous cookie."""
    xid = clean_text(xid)[:XID_MAX_CHARS]
    authed = user is not None and getattr(user, "is_authenticated", False)
    if not (xid or authed or cookie_key):
        raise ConsultError(_("We could not tell who you are: please allow cookies or sign in."))
    if consultation.sign_in_required and not (xid or authed):
        raise ConsultError(_("This consultation is open to signed-in participants only: please sign in."))
    found = participant_for(consultation, user=user, xid=xid, cookie_key=cookie_key)
    if found:
        return found
    fields = {"xid": xid} if xid else {"user": user} if authed else {"cookie_key": cookie_key}
    try:
        with transaction.atomic():
            return Participant.objects.create(consultation=consultation, **fields)
    except IntegrityError:  # the same person, twice at once: the other request created it
        return Participant.objects.get(consultation=consultation, **fields)


# ---------------------------------------------------------------- statements


def check_statement_text(consultation: Consultation, text: str) -> str:
    text = clean_text(text)
    if len(text) < STATEMENT_MIN_CHARS:
        raise ConsultError(_("A statement needs at least %(n)d characters.") % {"n": STATEMENT_MIN_CHARS})
    if len(text) > STATEMENT_MAX_CHARS:
        raise ConsultError(
            _("A statement can have at most %(n)d characters (this one has %(len)d).")
            % {"n": STATEMENT_MAX_CHARS, "len": len(text)}
        )
    return text


def check_similar_statements(consultation: Consultation, text: str, limit: int = 3) -> list[Similar]:
    """Statements voters can already see that say nearly the same (the text core's duplicate index)."""
    existing = list(consultation.voter_statements().only("id", "text", "state", "consultation_id"))
    if not existing or not clean_text(text):
        return []
    index = DuplicateIndex(threshold=0.5).fit((s.pk, s.text) for s in existing)
    by_id = {s.pk: s for s in existing}
    return [
        Similar(by_id[k], float(sim)) for k, sim in index.query(clean_text(text), top=limit) if k in by_id
    ]


def _check_statement_rate(participant: Participant) -> None:
    """A cap on statements per participant per hour (MASSLINE_CONSULT_STATEMENTS_PER_HOUR; 0 = none)."""
    from django.conf import settings

    cap = getattr(settings, "MASSLINE_CONSULT_STATEMENTS_PER_HOUR", 0)
    if not cap:
        return
    since = timezone.now() - timedelta(hours=1)
    if Statement.objects.filter(author=participant, created_at__gte=since).count() >= cap:
        raise ConsultError(
            _("You have added %(n)d statements in the last hour; please wait before adding more.")
            % {"n": cap}
        )


@transaction.atomic
def add_statement(
    consultation: Consultation,
    participant: Participant | None,
    text: str,
    *,
    by_organiser: bool = False,
    user=None,
) -> Statement:
    """A participant's (or organiser's) statement. Organisers' statements are accepted at once; others
    wait in the moderation queue (and, in post-moderation, are shown to voters meanwhile)."""
    text = check_statement_text(consultation, text)
    c = Consultation.objects.get(pk=consultation.pk)
    if not by_organiser:
        if participant is None or participant.consultation_id != c.pk:
            raise ConsultError(_("This participant does not belong to this consultation."))
        if not c.accepts_votes():
            raise ConsultError(_("This consultation is not open: statements can no longer be added."))
        _check_statement_rate(participant)
    same = c.statements.filter(text=text).exclude(state=Statement.State.REJECTED).first()
    if same:
        raise ConsultError(_("This exact statement already exists (statement #%(id)d).") % {"id": same.pk})
    now = timezone.now()
    st = Statement.objects.create(
        consultation=c,
        author=participant,
        by_organiser=by_organiser,
        text=text,
        held=not by_organiser and needs_hold(redact_public(text)),
        state=Statement.State.ACCEPTED if by_organiser else Statement.State.PENDING,
        moderated_by=user if by_organiser and getattr(user, "is_authenticated", False) else None,
        moderated_at=now if by_organiser else None,
        created_at=now,
    )
    if by_organiser:
        _event(c, user, "seed_statement", statement=st.pk)
    return st


@transaction.atomic
def moderate_statement(statement: Statement, user, *, accept: bool, reason: str = "") -> Statement:
    """Accept, or reject with a reason shown to the author. A decision can be changed later."""
    reason = clean_text(reason)
    if not accept and not reason:
        raise ConsultError(_("Give a reason for rejecting the statement."))
    if len(reason) > REASON_MAX_CHARS:
        raise ConsultError(_("The reason is too long (at most %(n)d characters).") % {"n": REASON_MAX_CHARS})
    st = Statement.objects.select_for_update().get(pk=statement.pk)
    new_state = Statement.State.ACCEPTED if accept else Statement.State.REJECTED
    previous = st.state
    st.state, st.reject_reason = new_state, "" if accept else reason
    st.moderated_by = user if getattr(user, "is_authenticated", False) else None
    st.moderated_at = timezone.now()
    st.save(update_fields=["state", "reject_reason", "moderated_by", "moderated_at"])
    _event(
        st.consultation,
        user,
        "accept" if accept else "reject",
        statement=st.pk,
        from_state=previous,
        reason=reason,
    )
    if previous != new_state and st.votes.exists():
        request_recompute(st.consultation)  # a rejected statement leaves the map
    statement.state, statement.reject_reason = st.state, st.reject_reason
    return st


# ---------------------------------------------------------------- votes


def _check_vote(participant: Participant, statement: Statement, value: int) -> Consultation:
    if value not in Vote.VALUES:
        raise ConsultError(_("A vote is agree, disagree or pass."))
    c = Consultation.objects.get(pk=statement.consultation_id)  # fresh: it may have closed meanwhile
    if participant.consultation_id != c.pk:
        raise ConsultError(_("This participant does not belong to this consultation."))
    if c.status == Consultation.Status.CLOSED or (c.closes_at and timezone.now() >= c.closes_at):
        raise ConsultError(_("This consultation is closed: votes are no longer accepted."))
    if not c.accepts_votes():
        raise ConsultError(_("This consultation is not open for votes yet."))
    if not c.voter_statements().filter(pk=statement.pk).exists():
        raise ConsultError(_("This statement is not open for votes."))
    return c


@transaction.atomic
def cast_vote(participant: Participant, statement: Statement, value: int) -> Vote:
    """Record agree (1), disagree (-1) or pass (0). Voting again replaces the earlier vote."""
    value = int(value)
    c = _check_vote(participant, statement, value)
    now = timezone.now()
    updated = Vote.objects.filter(participant=participant, statement=statement).exclude(value=value)
    changed = updated.update(value=value, updated=now)
    vote = Vote.objects.filter(participant=participant, statement=statement).first()
    if vote is None:
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    participant=participant,
                    statement=statement,
                    consultation=c,
                    value=value,
                    created=now,
                    updated=now,
                )
        except IntegrityError:  # a double click: the first request created it, this one replaces it
            Vote.objects.filter(participant=participant, statement=statement).update(value=value, updated=now)
            vote = Vote.objects.get(participant=participant, statement=statement)
        changed = 1
    elif changed:
        Vote.objects.filter(pk=vote.pk).update(changes=vote.changes + 1)
    if changed:
        request_recompute(c)
    return vote


# ---------------------------------------------------------------- opinion map


def request_recompute(consultation: Consultation, *, force: bool = False) -> None:
    """Mark the map dirty and, after commit, hand it to the debounced background task."""
    from .tasks import schedule_recompute

    first = Consultation.objects.filter(pk=consultation.pk, opinion_dirty_since__isnull=True).update(
        opinion_dirty_since=timezone.now()
    )
    transaction.on_commit(lambda: schedule_recompute(consultation.pk, newly_dirty=bool(first), force=force))
