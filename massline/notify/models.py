"""The outbox and delivery log of notifications, and the addresses that unsubscribed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One notification to one recipient: written in the same transaction as the change that causes it
    (the outbox), then delivered, retried with backoff, and kept as the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        RETRY = "retry", _("to be retried")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SUPPRESSED = "suppressed", _("not sent: unsubscribed")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    key = models.CharField(max_length=200, unique=True, help_text="idempotency key: one message per key")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    audience = models.CharField(max_length=12)  # requester or staff
    language = models.CharField(max_length=10)
    template = models.CharField(max_length=40)
    request = models.ForeignKey(
        "workflow.Request", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    audit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.status})"


class Suppression(models.Model):
    """An address that asked for no more messages (one-click unsubscribe)."""

    address = models.CharField(max_length=254, unique=True)
    created_at = models.DateTimeField()
