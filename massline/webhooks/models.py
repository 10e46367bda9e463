"""Webhook subscriptions (who wants which events, where) and the outbox of deliveries, kept as their log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ALL_EVENTS = "*"


class WebhookSubscription(models.Model):
    """An address that receives the chosen events of public requests, each POST signed with ``secret``.
    Created and changed by administrators only (``webhooks.actions``), each change a ConfigEvent."""

    name = models.SlugField(max_length=60, unique=True, help_text="who receives, e.g. city-dashboard")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)  # kept in clear: it signs every delivery (HMAC-SHA256)
    events = models.JSONField(default=list)  # event types, or ["*"] for all of them
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def wants(self, event: str) -> bool:
        return ALL_EVENTS in self.events or event in self.events

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription: written in the change's transaction with its body (built then,
    from public data only), POSTed after the commit, retried with backoff, kept as the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        RETRY = "retry", _("to be retried")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("not sent: subscription switched off")

    key = models.CharField(
        max_length=100, unique=True, help_text="idempotency key: one per event and subscription"
    )
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    audit_id = models.BigIntegerField(db_index=True)
    request = models.ForeignKey(
        "workflow.Request", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()  # the exact JSON that is signed and sent, every attempt alike
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"
