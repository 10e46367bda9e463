"""The delivery log in the operator console: admins see every message and its outcome (never those about
misconduct reports), filter by status, and send a failed one again."""

import pytest

from massline.notify.delivery import deliver
from massline.notify.models import Message

pytestmark = pytest.mark.django_db
LOG = "/staff/console/notifications/"


def test_admins_read_the_log_and_send_a_failed_message_again(client, staff, make_request, smtp):
    req = make_request(contact_email="citizen@example.org")
    report = make_request(text="某局干部收受红包。", kind="report", contact_email="whistle@example.org")
    (row,) = Message.objects.filter(request=req)
    Message.objects.filter(pk=row.pk).update(status="failed", attempts=6, last_error="SMTPRecipientsRefused")
    client.force_login(staff["admin"])
    page = client.get(LOG, {"status": "failed"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "citizen@example.org" in page and "SMTPRecipientsRefused" in page and req.reference in page
    assert "whistle@example.org" not in client.get(LOG).content.decode()  # a report's existence stays hidden
    assert report.reference not in client.get(LOG).content.decode()
    response = client.post(f"{LOG}{row.pk}/send-again/")
    assert response.status_code == 302
    assert Message.objects.get(pk=row.pk).status == "sent" and len(smtp.to("citizen@example.org")) == 1
    assert deliver(row.pk) == "sent"  # and only once


def test_the_log_is_for_admins_only(client, staff):
    for name in ("dispatcher", "supervisor", "discipline", "staff-housing"):
        client.force_login(staff[name])
        assert client.get(LOG).status_code == 403, name
