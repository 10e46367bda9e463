"""API clients and what they submitted.

An ``ApiKey`` identifies a client program. A key without a user is a *client key*: it may submit
requests (Open311 ``POST requests`` and ``POST /api/requests``). A key bound to a staff user also
acts with that user's roles on the staff endpoints. Only a SHA-256 hash of the key is stored; the key
itself is shown once, when it is created (``massline apikey create``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="who uses the key, e.g. 'city app'")
    prefix = models.CharField(max_length=12, help_text="the first characters of the key, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
        help_text="staff keys act with this user's roles; client keys have none",
    )
    rate_limit = models.PositiveIntegerField(
        default=0, help_text="requests per minute; 0 means MASSLINE_API_RATE_LIMIT"
    )
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiSubmission(models.Model):
    """Which client submitted a request through the API, and the Open311 extras we have no column for."""

    PROTOCOLS = [("open311", "Open311 GeoReport v2"), ("rest", "REST")]
    request = models.OneToOneField(
        "workflow.Request", on_delete=models.CASCADE, related_name="api_submission"
    )
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="submissions")
    protocol = models.CharField(max_length=8, choices=PROTOCOLS)
    service_code = models.CharField(max_length=40, blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    # Client identifiers: kept for abuse handling, never shown.
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    # The client's Idempotency-Key header: a retried submission with the same key (after a timeout, a
    # killed connection) returns the request already made instead of making a second one.
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="one_request_per_idempotency_key",
            )
        ]
