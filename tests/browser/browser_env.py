"""What every browser test shares: Debian's Chromium (never a downloaded browser) and its flags."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
# Screenshots go to var/screenshots (ignored by git), so a test run never rewrites tracked files;
# `make screenshots` sets MASSLINE_SCREENSHOTS_DIR=docs/screenshots to refresh the documentation's.
SHOTS = ROOT / os.environ.get("MASSLINE_SCREENSHOTS_DIR", "var/screenshots")
# The machine has no network: without these flags Chromium keeps trying to reach Google's hosts.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OFFLINE_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there, as on an offline network
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "massline-demo"  # every demo staff account's password (massline.demo.city.build_staff)


def login(browser, base, username, password=PASSWORD):
    """A new desktop context (zh-TW) signed in as ``username`` through the staff login form."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-TW")
    page = context.new_page()
    page.goto(base + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.wait_for_load_state()
    return context, page
