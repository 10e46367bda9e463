"""Screenshots of the demo city for the README: run against a server started by `massline demo`.

    .venv/bin/python tools/demo_screenshots.py [http://127.0.0.1:8000]

Uses Debian's Chromium through Playwright (never downloads a browser).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(base: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-TW")
        for name, path in [
            ("home", "/"),
            ("statistics", "/statistics/"),
            ("list", "/requests/"),
            ("consultation", "/consult/"),
        ]:
            page.goto(base + path, wait_until="networkidle")
            page.screenshot(path=str(OUT / f"demo-{name}.png"), full_page=False)
        page.goto(base + "/staff/login/")
        page.fill("input[name=username]", "supervisor")
        page.fill("input[name=password]", "massline-demo")
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state("networkidle")
        page.goto(base + "/staff/dashboard/", wait_until="networkidle")
        page.screenshot(path=str(OUT / "demo-dashboard.png"), full_page=False)
        browser.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
