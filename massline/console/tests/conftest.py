from __future__ import annotations

import pytest


@pytest.fixture
def admin_actor(staff):
    from massline.console.actions import ConsoleActor

    return ConsoleActor.of(staff["admin"])
