from __future__ import annotations

import pytest


@pytest.fixture
def organiser(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("organiser", password="massline-demo")
    user.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    return user


@pytest.fixture
def eager_map(settings):
    """Recompute on every vote (no debounce), as the tests read the map right after voting."""
    settings.MASSLINE_OPINION_DEBOUNCE_SECONDS = 0
    return settings


@pytest.fixture
def open_consultation(organiser):
    from massline.consult import actions

    c = actions.create_consultation(
        organiser,
        title="Night market on Riverside Road",
        question="Should the city allow a weekly night market on Riverside Road?",
        seed_statements=[
            "The night market would bring life to the street.",
            "Residents need quiet after ten in the evening.",
            "Traffic on Riverside Road is already too heavy.",
        ],
    )
    actions.open_consultation(c, organiser)
    return c


@pytest.fixture(autouse=True)
def english(settings):
    """The assertions read English text; the interface defaults to Traditional Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
