"""Photos sent with a request: by content, within the size limit, and without EXIF/GPS once stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from massline.intake.models import Attachment
from massline.workflow.models import Request

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (28.0, 13.0, 41.0), 3: "E", 4: (112.0, 56.0, 19.0)})
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def post(client, upload):
    return client.post("/submit/", {"kind": "complaint", "text": "路面塌陷,見照片。", "photo": upload})


def test_a_photo_is_stored_without_its_gps_position(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD), "the test photo carries a GPS position"
    response = post(client, SimpleUploadedFile("IMG_0001.jpg", raw, content_type="image/jpeg"))
    assert response.status_code == 302
    photo = Attachment.objects.get()
    assert photo.request == Request.objects.get() and photo.content_type == "image/jpeg"
    with photo.file.open("rb") as fh:
        stored = fh.read()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    img = Image.open(io.BytesIO(stored))
    assert img.size == (64, 48) and not img.getexif().get_ifd(GPS_IFD)
    assert "IMG_0001" not in photo.file.name  # the sender's file name is not kept either


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, db):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo at all", content_type="image/jpeg")
    page = post(client, fake).content.decode()
    assert "JPEG" in page and 'class="errorlist' in page
    assert Request.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_gif_is_refused(client, db):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    post(client, SimpleUploadedFile("a.gif", out.getvalue(), content_type="image/gif"))
    assert Request.objects.count() == 0


def test_an_oversized_photo_is_refused_with_the_limit(client, db, settings):
    settings.MASSLINE_PHOTO_MAX_BYTES = 1024 * 1024
    out = io.BytesIO()
    Image.effect_noise((800, 800), 100).convert("RGB").save(out, "PNG")
    assert len(out.getvalue()) > 1024 * 1024
    page = post(
        client, SimpleUploadedFile("big.png", out.getvalue(), content_type="image/png")
    ).content.decode()
    assert "1 MB" in page
    assert Request.objects.count() == 0
