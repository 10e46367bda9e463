"""Consultations (徵求意見): statements, votes, opinion groups.

Only ``massline.consult.actions`` writes these rows. A participant's vote on a statement is one row,
updated in place: the latest value counts, ``created`` keeps when that pair was first voted (the opinion
map's "in the conversation" rule replays first votes in time order) and ``updated`` when it last changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_embed_secret() -> str:
    import secrets

    return secrets.token_hex(32)


STATEMENT_MIN_CHARS = 5
STATEMENT_MAX_CHARS = 300
REASON_MAX_CHARS = 300


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("consultation status", "draft")
        OPEN = "open", pgettext_lazy("consultation status", "open")
        CLOSED = "closed", pgettext_lazy("consultation status", "closed")

    class Moderation(models.TextChoices):
        PRE = "pre", _("pre-moderated: statements appear once accepted")
        POST = "post", _("post-moderated: statements appear at once, moderators may reject them")

    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question or draft text"))
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.PRE
    )
    languages = models.CharField(
        _("languages"), max_length=100, default="zh-hant", help_text=_("language codes, comma-separated")
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT, db_index=True)
    sign_in_required = models.BooleanField(
        _("sign-in required"),
        default=False,
        help_text=_(
            "Refuse anonymous participants: only signed-in accounts and signed embed ids may take part."
        ),
    )
    # The embedding site signs each xid with this key (HMAC-SHA256, see consult/embedding.py).
    embed_secret = models.CharField(max_length=64, default=new_embed_secret, editable=False)
    outcome = models.TextField(_("outcome: what was adopted and why"), blank=True)
    outcome_published = models.BooleanField(default=False)
    outcome_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Debounced recomputation of the opinion map (see tasks.py): set when votes arrive, cleared when a
    # recompute claims the work.
    opinion_dirty_since = models.DateTimeField(null=True, blank=True)
    opinion_computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    def accepts_votes(self, now=None) -> bool:
        """Open, and inside its open/close window."""
        now = now or timezone.now()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def voter_statements(self):
        """Statements voters may see: accepted ones; in post-moderation also those not yet reviewed."""
        qs = self.statements.exclude(state=Statement.State.REJECTED)
        if self.moderation == self.Moderation.PRE:
            qs = qs.filter(state=Statement.State.ACCEPTED)
        return qs.exclude(state=Statement.State.PENDING, held=True)


class Participant(models.Model):
    """One person in one consultation: by a signed-in account, an external ``xid`` or an anonymous cookie."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    xid = models.CharField(max_length=200, blank=True, default="")
    cookie_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False),
                name="consult_participant_user",
            ),
            models.UniqueConstraint(
                fields=["consultation", "xid"], condition=~Q(xid=""), name="consult_participant_xid"
            ),
            models.UniqueConstraint(
                fields=["consultation", "cookie_key"],
                condition=~Q(cookie_key=""),
                name="consult_participant_cookie",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Statement(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("statement moderation", "pending")
        ACCEPTED = "accepted", pgettext_lazy("statement moderation", "accepted")
        REJECTED = "rejected", pgettext_lazy("statement moderation", "rejected")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="statements")
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_organiser = models.BooleanField(default=False)
    text = models.TextField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    reject_reason = models.CharField(max_length=REASON_MAX_CHARS, blank=True)
    # Still looks personal after redaction: not shown to voters until a moderator accepts it, even in
    # post-moderation (the same rule as requests held for review).
    held = models.BooleanField(default=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:50]


class Vote(models.Model):
    AGREE, DISAGREE, PASS = 1, -1, 0
    VALUES = {AGREE: _("agree"), DISAGREE: _("disagree"), PASS: _("pass / unsure")}

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    # Denormalised from the statement so the map reads a consultation's votes without a join.
    consultation = models.ForeignKey(
        Consultation, null=True, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    value = models.SmallIntegerField(choices=list(VALUES.items()))
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "statement"], name="consult_vote_once")]
        # The warm-started recompute reads only the votes changed since its last read.
        indexes = [models.Index(fields=["consultation", "updated"], name="consult_vote_changed")]


class OpinionSnapshot(models.Model):
    """The computed opinion map, stored so pages read it without recomputing."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="snapshots")
    computed_at = models.DateTimeField(default=timezone.now)
    vote_count = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    engine = models.CharField(max_length=40, default="")
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"


class ConsultEvent(models.Model):
    """Append-only log of what organisers did (open, close, moderation, outcome)."""

    LABELS = {
        "create": _("created"),
        "edit": _("edited"),
        "open": _("opened"),
        "close": _("closed"),
        "seed_statement": _("added a starting statement"),
        "accept": _("accepted a statement"),
        "reject": _("rejected a statement"),
        "publish_outcome": _("published the outcome"),
    }

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))
