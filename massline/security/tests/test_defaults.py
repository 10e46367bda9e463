"""Safe defaults: DEBUG off unless asked, a production key that is real, CSP and session limits."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def _settings_probe(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("MASSLINE_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, len(s.SECRET_KEY))",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, "MASSLINE_VAR_DIR": str(ROOT / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_base_settings_run_without_debug_unless_massline_debug_is_1():
    off = _settings_probe("massline.settings.base")
    assert off.returncode == 0, off.stderr
    assert off.stdout.split()[0] == "False" and int(off.stdout.split()[3]) >= 50  # a random local key
    on = _settings_probe("massline.settings.base", MASSLINE_DEBUG="1")
    assert on.stdout.split()[0] == "True"


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("", "is not set"),
        ("dev-only-not-secret-change-me", "development default"),
        ("short-key", "too weak"),
        ("a" * 60, "too weak"),
    ],
)
def test_production_refuses_a_missing_or_weak_key_in_one_line(key, why):
    done = _settings_probe("massline.settings.production", MASSLINE_SECRET_KEY=key)
    assert done.returncode != 0 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and why in lines[0] and "Traceback" not in done.stderr


def test_production_with_a_real_key_has_hsts_and_secure_cookies():
    done = _settings_probe("massline.settings.production", MASSLINE_SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode == 0, done.stderr
    debug, hsts, secure, _ = done.stdout.split()
    assert debug == "False" and int(hsts) >= 180 * 24 * 3600 and secure == "True"


def test_staff_sessions_end_after_hours_of_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_password_validators_are_on():
    names = [v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script == "'self'" and "frame-ancestors 'self'" in policy and "object-src 'none'" in policy


@pytest.mark.django_db
def test_only_the_embeddable_consultation_may_be_framed_by_other_sites(client, organiser):
    from massline.consult import actions
    from massline.consult.embedding import sign_xid

    c = actions.create_consultation(organiser, title="夜市", question="好嗎?", seed_statements=["夜市很好。"])
    actions.open_consultation(c, organiser)
    embed = client.get(f"/consult/{c.pk}/embed/?xid=u1&sig={sign_xid(c, 'u1')}")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in client.get(f"/consult/{c.pk}/vote/").headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_missing_page_is_the_styled_404_without_debug_details(client):
    answer = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    page = answer.content.decode()
    assert answer.status_code == 404 and "Page not found" in page and "massline.css" in page
    assert "URLconf" not in page and "Traceback" not in page


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in (ROOT / "massline").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in m.group(0):
                offenders.append(f"{path}: {m.group(0)}")
        offenders += [f"{path}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
        offenders += [f"{path}: javascript: URL" for _ in re.finditer(r"javascript:", text)]
    assert offenders == []
