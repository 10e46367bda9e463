"""Subscriptions (FixMyStreet's alerts): an e-mail address follows one public request, or the new public
requests of an area and/or a category. Nothing is sent to an address before it confirms (double opt-in)."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q


def new_secret() -> str:
    return secrets.token_urlsafe(12)


class Subscription(models.Model):
    email = models.EmailField(max_length=254)  # lower-cased
    language = models.CharField(max_length=10, help_text="the language the e-mails are written in")
    # Either a request, or an area (a unit's subtree) and/or a category (with its subtree).
    request = models.ForeignKey(
        "workflow.Request", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    unit = models.ForeignKey(
        "workflow.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "workflow.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # "request:<id>" or "area:<unit id or ->:<category id or ->": one subscription per address and target
    target = models.CharField(max_length=60)
    secret = models.CharField(max_length=24, default=new_secret, help_text="part of the signed links")
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # area digests: requests with a larger id are new to this subscriber; the last digest's time
    last_request_id = models.BigIntegerField(default=0)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "target"], name="one_subscription_per_address_and_target"
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=True) | (Q(unit__isnull=True) & Q(category__isnull=True)),
                name="subscription_request_or_area",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(unit__isnull=False) | Q(category__isnull=False),
                name="subscription_has_a_target",
            ),
        ]
        indexes = [models.Index(fields=["request", "confirmed_at"])]

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @staticmethod
    def target_of(
        request_id: int | None = None, unit_id: int | None = None, category_id: int | None = None
    ) -> str:
        if request_id is not None:
            return f"request:{request_id}"
        return f"area:{unit_id or '-'}:{category_id or '-'}"

    def __str__(self) -> str:
        return f"{self.email} → {self.target}{'' if self.confirmed else ' (unconfirmed)'}"
