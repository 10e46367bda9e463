"""`massline demo` serves a real site: DEBUG off even when the environment asks for it, gunicorn, and the
static files served by WhiteNoise with no collectstatic step."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _python(code: str, **env: str) -> str:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "massline.settings.base", **env}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_demo_runs_with_debug_off_even_if_the_environment_says_otherwise(tmp_path):
    probe = (
        "from massline.commands.demo import served_as_a_site; served_as_a_site();"
        "from massline.commands._django import setup_django; setup_django();"
        "from django.conf import settings; print(settings.DEBUG)"
    )
    assert _python(probe, MASSLINE_DEBUG="1", MASSLINE_VAR_DIR=str(tmp_path)) == "False"


def test_the_serve_command_is_gunicorn_when_debug_is_off():
    from massline.commands.serve import server_command

    command = server_command("127.0.0.1:8000")
    assert command[1:4] == ["-m", "gunicorn", "massline.wsgi"] and "127.0.0.1:8000" in command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def test_the_served_demo_loads_its_styles_and_shows_the_styled_404(tmp_path):
    """The server the demo starts (gunicorn, DEBUG off, no collectstatic run): the stylesheet loads, and an
    unknown page answers with the site's own 404, not Django's debug page."""
    from massline.commands.serve import server_command

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.base",
        "MASSLINE_DEBUG": "0",
        "MASSLINE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    server = subprocess.Popen(
        server_command(f"127.0.0.1:{port}", workers=1),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(150):  # gunicorn starts within a few seconds
            try:
                status, kind, css = _get(f"{base}/static/massline/massline.css")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start")
        assert status == 200 and kind.startswith("text/css") and ".site-header" in css
        status, _kind, page = _get(f"{base}/no-such-page/")
        assert status == 404 and "找不到頁面" in page and 'class="site-header"' in page
        assert "DEBUG = True" not in page
    finally:
        server.terminate()
        server.wait(timeout=20)
