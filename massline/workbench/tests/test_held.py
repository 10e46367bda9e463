"""The held-for-review queue: dispatchers and admins release a request or keep it hidden, audited."""

from __future__ import annotations


def test_dispatcher_releases_or_keeps_hidden(client, staff, make_request, settings):
    settings.MASSLINE_PREMODERATE = True
    first = make_request(text="井盖丢了一个", title="井盖")
    second = make_request(text="路灯坏了一盏", title="路灯")
    client.force_login(staff["staff-housing"])
    assert client.get("/staff/held/").status_code in (302, 403)  # unit staff may not moderate
    client.force_login(staff["dispatcher"])
    page = client.get("/staff/held/").content.decode()
    assert f'value="{first.reference}"' in page and f'value="{second.reference}"' in page
    client.post("/staff/held/", {"reference": first.reference, "decision": "release"})
    refused = client.post("/staff/held/", {"reference": second.reference, "decision": "keep"}, follow=True)
    assert f'value="{second.reference}"' in refused.content.decode()  # a reason is needed: still queued
    client.post("/staff/held/", {"reference": second.reference, "decision": "keep", "note": "住址太具体"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.held and second.held
    assert second.events.last().action == "keep_hidden" and second.events.last().note == "住址太具体"
    page = client.get("/staff/held/").content.decode()
    assert f'value="{first.reference}"' not in page and f'value="{second.reference}"' not in page
