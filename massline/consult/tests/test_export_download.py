"""The organisers' "Download (Pol.is CSV)" holds what `massline export consultation --format polis` holds."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from massline.cli import main
from massline.consult import actions
from massline.consult.models import Statement, Vote

pytestmark = pytest.mark.django_db


def _files(content: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {
            name: list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8")))) for name in zf.namelist()
        }


@pytest.fixture
def voted(organiser):
    """A post-moderated consultation: six accepted statements, one still pending and one rejected after
    people had voted on both."""
    c = actions.create_consultation(
        organiser,
        title="Riverside night market",
        question="Should the night market open on Fridays?",
        moderation="post",
        seed_statements=[f"Statement {i}: the market should offer feature {i}." for i in range(6)],
    )
    actions.open_consultation(c, organiser)
    author = actions.get_or_create_participant(c, cookie_key="author")
    pending = actions.add_statement(c, author, "Stalls should close before the buses stop running.")
    rejected = actions.add_statement(c, author, "Only my cousin's stall should be allowed there.")
    statements = list(c.statements.order_by("id"))
    for n in range(10):
        p = actions.get_or_create_participant(c, cookie_key=f"voter-{n}")
        for k, st in enumerate(statements):
            actions.cast_vote(p, st, Vote.AGREE if (n + k) % 3 else Vote.DISAGREE)
    actions.moderate_statement(rejected, organiser, accept=False, reason="not about the market")
    return c, pending, rejected


def test_the_web_download_has_only_accepted_statements_like_the_command_line(
    voted, organiser, client, tmp_path
):
    c, pending, rejected = voted
    accepted = {
        str(pk) for pk in c.statements.filter(state=Statement.State.ACCEPTED).values_list("pk", flat=True)
    }
    assert pending.state == Statement.State.PENDING and len(accepted) == 6
    client.force_login(organiser)
    response = client.get(reverse("consult:export", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    web = _files(response.content)
    assert {row["comment-id"] for row in web["comments.csv"]} == accepted
    assert {row["comment-id"] for row in web["votes.csv"]} == accepted
    assert not any(
        pending.text in row["comment-body"] or "cousin" in row["comment-body"] for row in web["comments.csv"]
    )
    out = tmp_path / "polis.zip"
    assert main(["export", "consultation", str(c.pk), "--format", "polis", "--out", str(out)]) == 0
    cli = _files(out.read_bytes())
    assert web["comments.csv"] == cli["comments.csv"] and web["votes.csv"] == cli["votes.csv"]


def test_the_web_download_says_when_accepted_statements_have_too_few_votes(organiser, client):
    c = actions.create_consultation(
        organiser, title="Quiet hours", question="When should it be quiet?", seed_statements=["After ten."]
    )
    client.force_login(organiser)
    response = client.get(reverse("consult:export", args=[c.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain[-1][0] == reverse("consult:manage", args=[c.pk])
    assert "There are not enough votes to export yet." in response.content.decode()
