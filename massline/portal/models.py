"""The portal's own rows: "me too" (我也遇到), a person's word that a public request concerns them too."""

from __future__ import annotations

from django.db import models


class MeToo(models.Model):
    """One person's "me too" on one public request. A person is known only by a random key kept in a
    signed cookie, stored here as a keyed hash (``client_key``), so that the row cannot be tied back to a
    browser without the site's secret; one row per request and key."""

    request = models.ForeignKey("workflow.Request", on_delete=models.CASCADE, related_name="me_toos")
    created_at = models.DateTimeField()
    # Optional: given to be kept informed; the subscription (double opt-in) is what sends e-mails.
    email = models.EmailField(max_length=254, blank=True, default="")
    client_key = models.CharField(max_length=64, help_text="HMAC of the person's cookie key")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "client_key"], name="one_me_too_per_person")
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"me too on {self.request_id} at {self.created_at:%Y-%m-%d %H:%M}"
