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
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo we can read. Please send a JPEG, PNG or WebP image.")
        ) from None
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.{ext}"), content_type


def attach_photo(req, photo: tuple[ContentFile, str]):
    from massline.intake.models import Attachment

    content, content_type = photo
    return Attachment.objects.create(request=req, file=content, content_type=content_type, size=content.size)
