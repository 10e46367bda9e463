"""A consultation's statements and votes in the formats other deliberation tools read.

* ``polis``: Pol.is openData CSVs (comments.csv, votes.csv, participants-votes.csv) in a zip, written by
  ``massline.core.opinion.write_polis_export`` from a map fitted now.
* ``sensemaker``: the ``Comment[]`` JSON of Jigsaw's sensemaking-tools (``library/src/types.ts``): per
  statement ``{"id", "text", "voteInfo"}``, where ``voteInfo`` holds one vote tally
  (``agreeCount``, ``disagreeCount``, ``passCount``) per opinion group (``group-A``, ``group-B`` …) of the
  map, or a single tally when there is no map yet.
* ``sensemaker-csv``: the CSV its runner reads (``runner-cli/runner_utils.ts``): ``comment-id``,
  ``comment_text``, ``agrees``, ``disagrees``, ``passes`` and ``<group>-agree-count`` /
  ``-disagree-count`` / ``-pass-count`` per group.
* ``tttc``: the input of Talk to the City (``tttc-light-js``): ``{"title", "question", "description",
  "data": [{"id", "comment", "interview"}]}``, ``data`` being its ``SourceRow[]``.

Only accepted statements, redacted by the one pipeline, and only the votes on them. A participant appears
only as an opaque number (``participant 17``; the same number as in the Pol.is files), never by account,
cookie or embedding site's id; statements the organisers wrote are by ``organiser``.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from massline.core.export import SafeWriter
from massline.workflow.redaction import redact_public

from .models import Consultation, Statement, Vote
from .opinion import GROUP_LABELS, fit_map

FORMATS = ("polis", "sensemaker", "sensemaker-csv", "tttc")
VOTE_KEYS = {Vote.AGREE: "agree", Vote.DISAGREE: "disagree", Vote.PASS: "pass"}


class ExportError(ValueError):
    """The consultation cannot be exported in this format (yet)."""


def accepted(c: Consultation) -> list[Statement]:
    return list(c.statements.filter(state=Statement.State.ACCEPTED).order_by("id"))


def _votes(c: Consultation):
    return Vote.objects.filter(consultation=c, statement__state=Statement.State.ACCEPTED)


def _map(c: Consultation):
    from .tasks import vote_matrix

    return fit_map(vote_matrix(_votes(c)))


def _group_names(om) -> dict[int, str]:
    """participant id → group name, for those the map puts in a group."""
    if om is None:
        return {}
    return {p: f"group-{GROUP_LABELS[g % len(GROUP_LABELS)]}" for p, g in om.groups_.items() if g is not None}


def tallies(c: Consultation) -> tuple[list[str], dict[int, dict[str, Counter]]]:
    """The group names, and per statement id the vote counts per group ("" is everyone)."""
    groups = _group_names(_map(c))
    names = sorted(set(groups.values()))
    counts: dict[int, dict[str, Counter]] = {}
    for participant, statement, value in _votes(c).values_list("participant_id", "statement_id", "value"):
        per = counts.setdefault(statement, {})
        key = VOTE_KEYS.get(value, "pass")
        per.setdefault("", Counter())[key] += 1
        if participant in groups:
            per.setdefault(groups[participant], Counter())[key] += 1
    return names, counts


def _tally(counter: Counter | None) -> dict[str, int]:
    counter = counter or Counter()
    return {
        "agreeCount": counter["agree"],
        "disagreeCount": counter["disagree"],
        "passCount": counter["pass"],
    }


def sensemaker_json(c: Consultation) -> list[dict]:
    names, counts = tallies(c)
    out = []
    for st in accepted(c):
        per = counts.get(st.pk, {})
        vote_info = {name: _tally(per.get(name)) for name in names} if names else _tally(per.get(""))
        out.append({"id": str(st.pk), "text": redact_public(st.text), "voteInfo": vote_info})
    return out


def sensemaker_csv(c: Consultation) -> str:
    names, counts = tallies(c)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    group_columns = [f"{n}-{v}-count" for n in names for v in ("agree", "disagree", "pass")]
    writer.writerow(["comment-id", "comment_text", "agrees", "disagrees", "passes", *group_columns])
    for st in accepted(c):
        per = counts.get(st.pk, {})
        everyone = per.get("", Counter())
        cells = [per.get(n, Counter())[v] for n in names for v in ("agree", "disagree", "pass")]
        writer.writerow(
            [st.pk, redact_public(st.text), everyone["agree"], everyone["disagree"], everyone["pass"], *cells]
        )
    return buffer.getvalue()


def _speaker(st: Statement) -> str:
    if st.by_organiser or st.author_id is None:
        return "organiser"
    return f"participant {st.author_id}"


def tttc_json(c: Consultation) -> dict:
    return {
        "title": c.title,
        "question": c.question,
        "description": f"Accepted statements of the consultation “{c.title}” (massline), personal data removed.",
        "data": [
            {"id": str(st.pk), "comment": redact_public(st.text), "interview": _speaker(st)}
            for st in accepted(c)
        ],
    }


def polis_zip(c: Consultation) -> bytes:
    from massline.core.opinion import write_polis_export

    statements = accepted(c)
    om = _map(c)
    if om is None:
        raise ExportError("there are not enough votes on accepted statements for a Pol.is export yet")
    comments = {st.pk: redact_public(st.text) for st in statements}
    authors = {st.pk: st.author_id for st in statements if st.author_id is not None and not st.by_organiser}
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in write_polis_export(tmp, om, comments=comments, mod_out=[], authors=authors):
            zf.write(path, arcname=Path(path).name)
    return buffer.getvalue()


def export(c: Consultation, fmt: str) -> bytes:
    """The consultation in ``fmt`` (one of ``FORMATS``) as the bytes of one file."""
    import json

    if fmt == "polis":
        return polis_zip(c)
    if fmt == "sensemaker":
        return (json.dumps(sensemaker_json(c), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "sensemaker-csv":
        return sensemaker_csv(c).encode("utf-8")
    if fmt == "tttc":
        return (json.dumps(tttc_json(c), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "ExportError",
    "accepted",
    "export",
    "polis_zip",
    "sensemaker_csv",
    "sensemaker_json",
    "tttc_json",
]
