"""`make test`, `.ci/run` and a bare `pytest` run with the test settings, whatever the environment says.

With the base settings the suite hashes every demo password at full PBKDF2 strength (a fresh-clone CI run then
took over 30 minutes instead of 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def test_the_suite_runs_with_the_test_settings():
    assert settings.SETTINGS_MODULE == "massline.settings.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.DEBUG is False


def test_an_environment_pointing_at_the_base_settings_is_overridden(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "from django.conf import settings\n"
        "def test_probe():\n"
        "    assert settings.SETTINGS_MODULE == 'massline.settings.test'\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="massline.settings.base")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--rootdir={ROOT}",
            "-c",
            str(ROOT / "pyproject.toml"),
            str(probe),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
