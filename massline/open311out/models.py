"""External Open311 endpoints that units hand their requests to, the deliveries (an outbox kept as the
log), and the updates polled back from them.

A unit whose work is done in another system (a utility company, a district with its own 12345 platform)
gets one ``Endpoint``: when a request is dispatched or transferred to that unit, a ``Delivery`` is written in
the same transaction, POSTed as a GeoReport v2 ``requests`` call with retries, and its updates are read back
from the endpoint's ``servicerequestupdates`` (mySociety's extension) into the request's timeline."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_SERVICE = "*"  # the service_codes key used for any category not named


class Endpoint(models.Model):
    """An external Open311 GeoReport v2 server that acts as one unit (a one-to-one link; the Unit model is
    unchanged). ``service_codes`` maps our category codes to theirs, ``"*"`` for the rest."""

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        XML = "xml", "XML"

    unit = models.OneToOneField("workflow.Unit", on_delete=models.CASCADE, related_name="open311_endpoint")
    name = models.SlugField(max_length=60, unique=True, help_text="a short name, e.g. water-company")
    base_url = models.URLField(
        max_length=500, help_text="the GeoReport v2 base, e.g. https://x.org/open311/v2"
    )
    api_key = models.CharField(max_length=200, blank=True)  # kept in clear: it is sent with every POST
    jurisdiction_id = models.CharField(max_length=100, blank=True)
    service_codes = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices, default=Format.JSON)
    send_personal_data = models.BooleanField(
        default=False,
        help_text="send the requester's name, phone, e-mail and the unredacted text (else redacted text only)",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def service_code_for(self, category_code: str | None) -> str:
        codes = self.service_codes or {}
        return str(codes.get(category_code or "", "") or codes.get(DEFAULT_SERVICE, "") or "")

    def url(self, resource: str) -> str:
        return f"{self.base_url.rstrip('/')}/{resource}.{self.format}"

    def __str__(self) -> str:
        return f"{self.name} → {self.base_url}"


class Delivery(models.Model):
    """One hand-over of a request to an endpoint: written with the dispatch (or transfer) that caused it,
    sent with bounded retries, then polled for updates until the request ends."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    request = models.ForeignKey(
        "workflow.Request", on_delete=models.CASCADE, related_name="open311_deliveries"
    )
    audit_id = models.BigIntegerField(help_text="the dispatch or transfer that caused it")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True, db_index=True)  # their service_request_id
    token = models.CharField(max_length=100, blank=True)  # when they answer with a token only
    last_error = models.TextField(blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["audit_id", "endpoint"], name="one_delivery_per_handover")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.endpoint_id} ({self.state})"


class ReceivedUpdate(models.Model):
    """An update read back from an endpoint, once (its ``update_id``), with the audit event it became."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="updates")
    update_id = models.CharField(max_length=100)
    status = models.CharField(max_length=40)
    external_status_code = models.CharField(max_length=60, blank=True)
    updated_datetime = models.CharField(max_length=40, blank=True)  # as they sent it
    description = models.TextField(blank=True)
    received_at = models.DateTimeField(db_index=True)
    audit_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["delivery", "update_id"], name="one_row_per_update")]
