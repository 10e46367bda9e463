"""Bad addresses and input on the public portal get a 4xx page or a form error, never a 500 (issue 9,
items 10 and 11)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.mark.parametrize("cursor", ["99999999999999999999", "x" * 700, "WzFd:1abc:forged", "-3"])
def test_a_made_up_page_link_is_not_found(client, db, cursor):
    response = client.get("/requests/", {"after": cursor}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_an_old_page_number_opens_the_first_page(client, db):
    # the list pages by keyset now (?after=); an old ?page= link still opens, on the first page
    assert client.get("/requests/", {"page": "2"}).status_code == 200


@pytest.mark.parametrize("url", ["/report/0000-01/", "/report/9999-12/", "/report/0001-01.pdf"])
def test_a_report_month_outside_the_calendar_is_not_found(client, db, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG file whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("L", (1, 1)).save(out, "PNG")
    raw = bytearray(out.getvalue())
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    raw[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(raw[ihdr - 4 : ihdr + 13]))
    raw[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(raw)


@pytest.mark.parametrize("side", [7_000, 30_000])  # over our limit; over Pillow's own bomb limit too
def test_a_pixel_bomb_is_refused_as_too_many_pixels(client, db, side):
    from massline.workflow.models import Request

    bomb = SimpleUploadedFile("bomb.png", png_claiming(side, side), content_type="image/png")
    page = client.post(
        "/submit/",
        {"kind": "complaint", "text": "路面塌陷,見照片。", "photo": bomb},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "too many pixels" in page
    assert "not a photo we can read" not in page
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    "url", ["/requests/?q=a%00b", "/requests/%00/", "/track/%00/", "/requests/map/?unit=%00"]
)
def test_a_nul_in_the_address_is_refused_before_it_reaches_the_database(client, db, url):
    """PostgreSQL cannot hold NUL even as a query parameter: these were 500s there."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_an_api_address_is_refused_in_the_api_shapes(client, db):
    rest = client.get("/api/requests", {"q": "a\x00b"})
    assert rest.status_code == 400 and rest.json()["code"] == "invalid_text"
    open311 = client.get("/api/open311/v2/requests/%00.json")
    assert open311.status_code == 400 and "NUL" in open311.json()[0]["description"]
