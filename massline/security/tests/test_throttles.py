"""Per-address throttles on portal submission, public search and staff sign-in; login lockout."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from massline.workflow.models import Request

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "complaint",
    "title": "路燈壞了",
    "text": "公園路的路燈壞了一週,晚上很黑。",
    "address": "公園路",
}


def test_a_burst_of_20_submissions_is_refused_after_5_with_429_and_a_clear_message(client, throttles):
    answers = [
        client.post("/submit/", {**FORM, "text": f"{FORM['text']} 第{i}次"}, HTTP_ACCEPT_LANGUAGE="en")
        for i in range(20)
    ]
    assert [a.status_code for a in answers[:5]] == [302] * 5
    assert {a.status_code for a in answers[5:]} == {429}
    assert Request.objects.count() == 5
    refused = answers[5]
    assert int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "Too many requests were sent from your address. Please try again in 10 minutes." in page


def test_another_address_may_still_submit(client, throttles):
    for i in range(6):
        client.post("/submit/", {**FORM, "text": f"{FORM['text']} {i}"})
    other = client.post("/submit/", FORM, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_behind_a_proxy_only_the_configured_header_names_the_client(client, throttles):
    for i in range(5):
        client.post("/submit/", {**FORM, "text": f"{FORM['text']} {i}"})
    # without the setting, a forged header changes nothing: the address is still REMOTE_ADDR
    assert client.post("/submit/", FORM, HTTP_X_FORWARDED_FOR="10.1.1.1").status_code == 429
    throttles.MASSLINE_CLIENT_IP_HEADER = "X-Forwarded-For"
    forwarded = client.post("/submit/", FORM, HTTP_X_FORWARDED_FOR="spoofed, 10.1.1.1")
    assert forwarded.status_code == 302


def test_public_search_is_throttled_but_browsing_is_not(client, throttles):
    throttles.MASSLINE_SEARCH_RATE = "3/60"
    assert [client.get("/requests/", {"q": f"路灯{i}"}).status_code for i in range(4)] == [200] * 3 + [429]
    assert client.get("/requests/map/", {"q": "路灯"}).status_code == 429
    assert client.get("/requests/").status_code == 200


def test_throttles_can_be_switched_off(client, throttles):
    throttles.MASSLINE_SUBMIT_RATE = ""
    assert {
        client.post("/submit/", {**FORM, "text": f"{FORM['text']} {i}"}).status_code for i in range(8)
    } == {302}


@pytest.fixture
def clerk(db):
    return User.objects.create_user("clerk", password="correct horse battery staple", is_staff=True)


def _login(client, password, username="clerk"):
    return client.post(
        "/staff/login/", {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_five_wrong_passwords_lock_the_user_name_and_the_right_one_is_refused(client, clerk, throttles):
    for _ in range(5):
        assert _login(client, "wrong").status_code == 200
    locked = _login(client, "correct horse battery staple")
    assert locked.status_code == 200 and "_auth_user_id" not in client.session
    assert "sign-in is locked for a while. Please try again in 15 minutes." in locked.content.decode()
    # another address is not locked out (the lock is per user name + address)
    other = client.post(
        "/staff/login/",
        {"username": "clerk", "password": "correct horse battery staple"},
        REMOTE_ADDR="10.0.0.7",
    )
    assert other.status_code == 302


def test_a_successful_sign_in_forgives_earlier_failures(client, clerk, throttles):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "correct horse battery staple").status_code == 302
    client.post("/staff/logout/")
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, "correct horse battery staple").status_code == 302


def test_40_wrong_passwords_then_the_right_one_does_not_sign_in(client, clerk, throttles):
    answers = [_login(client, f"guess-{i}") for i in range(40)]
    assert 429 in {a.status_code for a in answers}  # the per-address limit also stops the guessing
    assert _login(client, "correct horse battery staple").status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_has_the_same_lockout(client, throttles):
    User.objects.create_superuser("root", password="correct horse battery staple")
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "nope"})
    page = client.post("/admin/login/", {"username": "root", "password": "correct horse battery staple"})
    assert page.status_code == 200 and "_auth_user_id" not in client.session


def test_password_validators_refuse_short_common_numeric_and_similar_passwords(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(username="chenxiaoming", email="chen@example.org")
    for weak in ["short1", "password123", "1234567890123", "chenxiaoming1"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("長夜路燈 lamp-post 2026!", user)


def _redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_every_process_counts_together(client, throttles):
    """The production cache: the counters live in Redis, so a second web process sees the same count."""
    import os

    import redis

    prefix = f"massline-test-{os.getpid()}"
    server = redis.Redis.from_url("redis://127.0.0.1:6379/15")

    def forget() -> None:  # only this test's keys: never FLUSHDB a Redis others may use
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)

    throttles.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,
        }
    }
    forget()
    try:
        codes = [
            client.post("/submit/", {**FORM, "text": f"{FORM['text']} {i}"}).status_code for i in range(7)
        ]
        assert codes == [302] * 5 + [429] * 2
        assert any(b"throttle:submit" in key for key in server.scan_iter(f"{prefix}:*")), (
            "the counter is in Redis"
        )
    finally:
        forget()
