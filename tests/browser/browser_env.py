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
