"""Attachments are served only through a view that checks the reader's right, never from /media/."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from massline.intake.models import Attachment

from .test_photos import GPS_IFD, jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_as_is(req, data: bytes) -> Attachment:
    """A file stored without the upload cleaning (as an old or imported attachment might be)."""
    return Attachment.objects.create(
        request=req, file=ContentFile(data, name="old.jpg"), content_type="image/jpeg", size=len(data)
    )


def test_a_public_requests_photo_is_served_to_anyone_without_its_gps(client, make_request):
    req = make_request()
    photo = stored_as_is(req, jpeg_with_gps())
    answer = client.get(f"/attachments/{photo.pk}/")
    assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
    assert answer.content != jpeg_with_gps()
    assert not Image.open(io.BytesIO(answer.content)).getexif().get_ifd(GPS_IFD)
    assert b"PhoneMaker" not in answer.content


def test_the_media_url_no_longer_serves_attachments(client, make_request):
    photo = stored_as_is(make_request(), jpeg_with_gps())
    assert photo.file.url.startswith("/media/")
    assert client.get(photo.file.url).status_code == 404


def test_a_misconduct_reports_photo_is_for_the_discipline_role_alone(client, make_request, staff):
    report = make_request(text="某科員收受紅包,照片為證。", kind="report")
    photo = stored_as_is(report, jpeg_with_gps())
    url = f"/attachments/{photo.pk}/"
    assert client.get(url).status_code == 404
    for name in ("admin", "dispatcher", "supervisor"):
        client.force_login(staff[name])
        assert client.get(url).status_code == 404, name
    client.force_login(staff["discipline"])
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"


def test_a_request_without_a_public_page_is_for_staff_who_may_see_it(client, make_request, staff, actors):
    from massline.workflow.models import Request

    req = make_request()
    Request.objects.filter(pk=req.pk).update(held=True)  # held for review: no public page
    photo = stored_as_is(req, jpeg_with_gps())
    url = f"/attachments/{photo.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(staff["dispatcher"])
    assert client.get(url).status_code == 200


def test_the_workbench_links_photos_through_the_checked_view(client, make_request, staff):
    req = make_request()
    photo = stored_as_is(req, jpeg_with_gps())
    client.force_login(staff["dispatcher"])
    page = client.get(f"/staff/r/{req.reference}/").content.decode()
    assert f'href="/attachments/{photo.pk}/"' in page and "/media/" not in page
