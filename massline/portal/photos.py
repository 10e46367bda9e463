"""Photos sent with a request: checked by content (not by name), limited in size, re-encoded without
any metadata so that EXIF (including the GPS position of the person's phone) never gets stored."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_PIXELS = 40_000_000


def clean_photo(upload) -> tuple[ContentFile, str]:
    """(re-encoded file, content type) for an uploaded photo, or ValidationError with a message for the sender."""
    limit = settings.MASSLINE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            if fmt not in ALLOWED:
                raise ValidationError(_("Only JPEG, PNG or WebP photos are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels; please send a smaller one."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            img = ImageOps.exif_transpose(
                opened
            )  # keep the picture upright once the EXIF orientation is gone
            content_type, ext = ALLOWED[fmt]
            out = io.BytesIO()
            if fmt == "JPEG":
                img.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            elif fmt == "PNG":
                img.save(out, "PNG", optimize=True)
            else:
                img.save(out, "WEBP", quality=85)
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit, met before ours can be checked
        raise ValidationError(_("The photo has too many pixels; please send a smaller one.")) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(
            _("This file is not a photo we can read. Please send a JPEG, PNG or WebP image.")
        ) from None
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.{ext}"), content_type


def attach_photo(req, photo: tuple[ContentFile, str]):
    from massline.intake.models import Attachment

    content, content_type = photo
    return Attachment.objects.create(request=req, file=content, content_type=content_type, size=content.size)


# -- serving ---------------------------------------------------------------------------------------------
# Attachments are never served from /media/: this view checks the reader's right first. A misconduct
# report's photos go to the discipline role alone; a request's photos to the staff who may see the
# request, and to everyone once the request has a public page (stripped of metadata again if a file
# somehow kept any, e.g. one stored before photos were cleaned on upload).


def _has_metadata(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return bool(img.getexif()) or any(k in img.info for k in ("exif", "xmp", "XML:com.adobe.xmp"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return True  # unreadable: never hand it out as is


def _stripped(data: bytes, content_type: str) -> bytes:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content, _type = clean_photo(SimpleUploadedFile("photo", data, content_type=content_type))
    return content.read()


def serve_attachment(request, pk: int):
    from django.http import Http404, HttpResponse

    from massline.accounts.permissions import can_view_request
    from massline.intake.models import Attachment
    from massline.workflow.disclosure import has_public_page

    attachment = Attachment.objects.select_related("request__unit").filter(pk=pk).first()
    if attachment is None:
        raise Http404("no such attachment")
    req = attachment.request
    staff_may = request.user.is_authenticated and can_view_request(request.user, req)
    public = has_public_page(req)  # never true for misconduct reports
    if not (staff_may or public):
        # the same answer as for a missing file: whether a report has photos is not public either
        raise Http404("no such attachment")
    try:
        with attachment.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise Http404("the file is missing") from None
    if public and not staff_may and _has_metadata(data):
        try:
            data = _stripped(data, attachment.content_type)
        except ValidationError:
            raise Http404("this attachment cannot be shown") from None
    response = HttpResponse(data, content_type=attachment.content_type or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=3600" if public and not staff_may else "private, no-store"
    return response
