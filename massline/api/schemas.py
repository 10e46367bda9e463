"""Request and response bodies of the native REST API (pydantic, via django-ninja)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import field_validator

from massline.intake.actions import MAX_TEXT  # one text limit for every channel

Kind = Literal["complaint", "help", "suggestion", "inquiry", "report", "praise"]
Satisfaction = Literal["satisfied", "basically", "dissatisfied"]


class PlaceIn(Schema):
    address: str = Field("", max_length=300)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)


class ContactIn(Schema):
    name: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254, description="an e-mail address, or empty")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except ValidationError as exc:
                raise ValueError(f"{value[:60]!r} is not a valid e-mail address") from exc
        return value


class SubmitIn(Schema):
    kind: Kind = "complaint"
    title: str = Field("", max_length=200)
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    place: PlaceIn | None = None
    contact: ContactIn | None = None
    anonymous: bool = False
    category: str | None = Field(None, max_length=40, description="a category code (Open311 service_code)")

    @field_validator("place", "contact", mode="before")
    @classmethod
    def _object_or_null(cls, value):
        """An object or null: ninja's schemas read attributes, so ``false`` would otherwise pass as an
        empty place (found by schemathesis)."""
        if value is None or isinstance(value, dict | Schema):
            return value
        raise ValueError("must be a JSON object or null")


class SubmitOut(Schema):
    reference: str
    tracking_token: str
    tracking_url: str
    state: str
    unit: str | None
    reply_due: datetime | None


class CategoryOut(Schema):
    code: str
    name: str


class UnitOut(Schema):
    code: str
    name: str


class ReplyOut(Schema):
    text: str
    unit: str
    at: datetime


class StepOut(Schema):
    at: datetime
    text: str
    note: str = ""


class FollowUpOut(Schema):
    solved: bool
    satisfaction: str
    comment: str
    at: datetime


class TrackOut(Schema):
    """What the requester sees with the tracking token. No contact details: a forwarded link leaks none."""

    reference: str
    kind: str
    title: str
    text: str
    address: str
    lat: float | None
    lon: float | None
    state: str
    state_label: str
    status: Literal["open", "closed"]
    version: int
    category: CategoryOut | None
    unit: str | None
    received_at: datetime
    reply_due: datetime | None
    replies: list[ReplyOut]
    timeline: list[StepOut]
    followups: list[FollowUpOut]
    can_follow_up: bool
    me_too: int = Field(0, description="how many people said “me too” (我也遇到) on the public page")


class FollowUpIn(Schema):
    solved: bool
    satisfaction: Satisfaction
    comment: str = Field("", max_length=2000)
    expected_version: int | None = Field(None, description="the version you saw; a stale one gives 409")


class StaffRequestOut(Schema):
    reference: str
    kind: str
    title: str
    state: str
    status: Literal["open", "closed"]
    version: int
    urgency: str
    channel: str
    category: CategoryOut | None
    suggested_category: CategoryOut | None
    suggestion_confidence: float | None
    unit: UnitOut | None
    received_at: datetime
    sign_due: datetime | None
    reply_due: datetime | None
    allowed_actions: list[str]


class ContactOut(Schema):
    name: str
    phone: str
    email: str


class EventOut(Schema):
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    note: str


class StaffRequestDetailOut(StaffRequestOut):
    text: str
    address: str
    lat: float | None
    lon: float | None
    anonymous: bool
    contact: ContactOut | None
    merged_into: str | None
    replies: list[ReplyOut]
    events: list[EventOut]


class RequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StaffRequestOut]


class ActionIn(Schema):
    expected_version: int = Field(..., description="the version you saw; a stale one gives 409")
    note: str = Field("", max_length=2000, description="the reason (return, transfer, reject need one)")
    unit: str | None = Field(None, max_length=40, description="unit code (dispatch, transfer)")
    category: str | None = Field(None, max_length=40, description="category code (dispatch)")
    text: str = Field("", max_length=MAX_TEXT, description="the reply (reply)")
    lead: str | None = Field(None, max_length=24, description="reference of the lead request (merge)")
    solved: bool | None = Field(None, description="follow_up: is the problem solved?")
    satisfaction: str = Field("", max_length=20, description="follow_up: satisfied, basic or dissatisfied")
    comment: str = Field("", max_length=2000, description="follow_up: the requester's words")


class ErrorOut(Schema):
    detail: str
    code: str
    state: str | None = None
    version: int | None = None


# The error answers each kind of endpoint can give, all in the ErrorOut shape: 400 a body that is not
# JSON or holds unstorable text, 401 no valid key, 403 not allowed, 404 not found, 409 a stale version,
# 413 a body over the size limit, 422 invalid arguments, 429 over the rate limit.
_COMMON = {400, 413, 422, 429}
PUBLIC_ERRORS = {frozenset(_COMMON | {404}): ErrorOut}
KEYED_ERRORS = {frozenset(_COMMON | {401, 403}): ErrorOut}
STAFF_ERRORS = {frozenset(_COMMON | {401, 403, 404}): ErrorOut}
ACTION_ERRORS = {frozenset(_COMMON | {401, 403, 404, 409}): ErrorOut}
FOLLOW_UP_ERRORS = {frozenset(_COMMON | {404, 409}): ErrorOut}
# The areas beyond requests (catalogue, statistics, consultations, supervisions, subscriptions, webhooks):
# public reads have no 401/403; a read where a key is optional gives 401 for a wrong key.
READ_ERRORS = {frozenset(_COMMON): ErrorOut}
READ_ONE_ERRORS = {frozenset(_COMMON | {404}): ErrorOut}
OPTIONAL_KEY_ERRORS = {frozenset(_COMMON | {401, 404}): ErrorOut}
PARTICIPANT_ERRORS = {frozenset(_COMMON | {401, 403, 404, 409}): ErrorOut}
PARTICIPANT_NO_CONFLICT_ERRORS = {frozenset(_COMMON | {401, 403, 404}): ErrorOut}
CHANGE_ERRORS = {frozenset(_COMMON | {401, 403, 404, 409}): ErrorOut}
