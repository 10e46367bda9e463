"""Locating ../shared/data (the real data sets beside the checkout), and skipping a test clearly without it."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """``../shared/data`` relative to the project root, or ``$MASSLINE_SHARED_DATA``."""
    env = os.environ.get("MASSLINE_SHARED_DATA")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """Path to a file under ../shared/data; inside pytest, skip the test clearly if it is absent."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        import pytest

        pytest.skip(f"needs the shared data file {path} (../shared/data is not beside this checkout)")
    return path
