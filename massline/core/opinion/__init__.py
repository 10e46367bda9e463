"""The opinion map: Pol.is-compatible math (PCA, base clusters, groups, repness, consensus, priority).

Framework-free and sparse throughout. Main entry points:

* :class:`OpinionMap` -- ``OpinionMap(mod_out=..., meta=...).fit(votes)`` then ``.update(new_votes)``.
* :class:`VoteMatrix` -- the sparse participants × statements matrix (latest vote wins).
* :func:`load_polis_export` / :func:`write_polis_export` -- Pol.is openData CSVs.
"""

from .matrix import VoteMatrix
from .model import OpinionMap
from .polis_io import (
    PolisConversation,
    PolisExportError,
    load_polis_export,
    load_polis_reference,
    write_polis_export,
)

__all__ = [
    "OpinionMap",
    "PolisConversation",
    "PolisExportError",
    "VoteMatrix",
    "load_polis_export",
    "load_polis_reference",
    "write_polis_export",
]
