"""The call-takers' knowledge base (知識庫) and the callers' numbers in one comparable form.

Both are written only by ``massline.hotline.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from massline.workflow.models import Category, Request


class KnowledgeAnswer(models.Model):
    """An answer staff maintain for questions callers often ask (e.g. how to renew a residence permit),
    read to the caller and kept as the request's reply when it is answered on the call (直接答復)."""

    title = models.CharField(_("title"), max_length=200)
    keywords = models.CharField(
        _("question and keywords"),
        max_length=500,
        blank=True,
        help_text=_("How callers ask it, and words to find it by."),
    )
    answer = models.TextField(_("answer"))
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("category"),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive answers are not offered on calls.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()
    # title, keywords and answer normalised for search (Simplified, half-width): written with the row, so a
    # question in either script finds an answer written in either.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class CallerNumber(models.Model):
    """The requester's phone number of a request, normalised (``phones.normalise_phone``) and indexed, so
    that the call screen finds a caller's history whatever way the number was typed."""

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="caller_number")
    number = models.CharField(max_length=40, db_index=True)
