"""What the staff page and ``massline open311 status`` count, per endpoint: deliveries by state, updates
received (all, and in the last 30 days), and requests answered through the endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from .models import Delivery, Endpoint, ReceivedUpdate


@dataclass
class EndpointFigures:
    endpoint: Endpoint
    deliveries: dict[str, int] = field(default_factory=dict)  # by state
    updates: int = 0
    updates_30_days: int = 0
    closing_updates: int = 0  # fixed or closed: the work was done on their side

    @property
    def failed(self) -> int:
        return self.deliveries.get(Delivery.State.FAILED, 0)

    @property
    def pending(self) -> int:
        return self.deliveries.get(Delivery.State.PENDING, 0) + self.deliveries.get(Delivery.State.SENDING, 0)

    @property
    def sent(self) -> int:
        return self.deliveries.get(Delivery.State.SENT, 0)


def figures() -> list[EndpointFigures]:
    """One row per endpoint (four queries in all)."""
    rows = {e.pk: EndpointFigures(e) for e in Endpoint.objects.select_related("unit")}
    for pk, state, n in Delivery.objects.order_by().values_list("endpoint", "state").annotate(n=Count("pk")):
        rows[pk].deliveries[state] = n
    since = timezone.now() - timedelta(days=30)
    updates = ReceivedUpdate.objects.order_by().values_list("delivery__endpoint")
    for pk, n in updates.annotate(n=Count("pk")):
        rows[pk].updates = n
    for pk, n in updates.filter(received_at__gte=since).annotate(n=Count("pk")):
        rows[pk].updates_30_days = n
    for pk, n in updates.filter(status__in=["fixed", "closed"]).annotate(n=Count("pk")):
        rows[pk].closing_updates = n
    return list(rows.values())
