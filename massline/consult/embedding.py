"""Signed xids for embedded consultations.

The embedding site knows its users; it passes each one's pseudonymous ``xid`` with ``sig``, the
HMAC-SHA256 of ``"<consultation id>:<xid>"`` under the consultation's embed secret (shown to organisers
on the consultation's page), in hex. An xid without a valid signature is refused, so nobody can make up
xids to vote many times::

    sig = hmac.new(secret.encode(), f"{consultation_id}:{xid}".encode(), hashlib.sha256).hexdigest()
"""

from __future__ import annotations

import hashlib
import hmac

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def sign_xid(consultation, xid: str) -> str:
    message = f"{consultation.pk}:{xid}".encode()
    return hmac.new(consultation.embed_secret.encode(), message, hashlib.sha256).hexdigest()


def check_xid(consultation, xid: str, sig: str) -> None:
    """PermissionDenied (403, with the reason) unless ``sig`` signs ``xid`` for this consultation."""
    if not sig:
        raise PermissionDenied(
            _("This participant id (xid) is not signed: the embedding site must pass xid and sig.")
        )
    # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500, for a made-up sig)
    if not hmac.compare_digest(sign_xid(consultation, xid).encode(), sig.strip().lower().encode()):
        raise PermissionDenied(_("This participant id (xid) has a wrong signature (sig)."))
