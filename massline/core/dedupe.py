"""Near-duplicate detection (並單): MinHash LSH over character shingles, confirmed by exact Jaccard.

Texts are compared on their analysis form (``normalize_for_analysis``: Traditional → Simplified,
half-width, lower case), with whitespace and punctuation dropped, so that a message re-sent in
Traditional characters or with different punctuation still matches. Each text becomes the set of
its ``shingle``-character substrings, hashed to 32 bits.

Why not one MinHash permutation per signature slot, as datasketch does: that costs
``num_perm`` hash evaluations per shingle, too slow for a million-message export on two cores.
This index uses *one-permutation hashing* (Li, Owen & Zhang 2012): each shingle is hashed once, the
hash picks one of ``num_perm`` bins and the minimum per bin is kept; empty bins borrow a filled bin
chosen by a fixed random sequence (Shrivastava 2017, "optimal densification"), so two texts agree in
a slot with probability close to their Jaccard similarity. The slots are then banded as usual for
LSH. Every candidate pair is checked against the exact Jaccard similarity of the shingle sets, so a
reported similarity is never an estimate.

Use :class:`DuplicateIndex` incrementally at intake (``add`` then ``query``) or
:func:`find_duplicate_groups` over a whole export.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from massline.core.text.normalize import normalize_for_analysis

__all__ = ["DuplicateIndex", "find_duplicate_groups", "shingle_sets"]

_EMPTY = np.uint32(0xFFFFFFFF)
_U32 = np.uint64(0xFFFFFFFF)
_FNV = np.uint64(0x100000001B3)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_DENSIFY_TRIES = 24
_WINDOW = 16  # inside one LSH bucket, each text is compared with the next _WINDOW members


def _mix64(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised; uint64 arithmetic wraps as intended."""
    z = z ^ (z >> np.uint64(30))
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    return z


@lru_cache(maxsize=1)
def _kept_chars() -> np.ndarray:
    """Code points that carry content (letters, digits, CJK); punctuation and spaces are dropped."""
    table = np.zeros(0x110000, dtype=bool)
    table[:0x30000] = [chr(i).isalnum() for i in range(0x30000)]
    return table


def _analysis_forms(texts: list[str]) -> list[str]:
    return [normalize_for_analysis(t or "").replace("\x00", "") for t in texts]


def shingle_sets(texts: list[str], shingle: int = 3, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Hashed shingle sets of many texts at once.

    Returns ``(elements, offsets)``: the set of text ``i`` is ``elements[offsets[i]:offsets[i + 1]]``,
    sorted, unique, uint32. A text shorter than ``shingle`` characters becomes one shingle (itself);
    a text with no letters or digits has an empty set.
    """
    n = len(texts)
    big = "\x00".join(_analysis_forms(texts))
    codes = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32)
    doc = np.cumsum(codes == 0)
    keep = _kept_chars()[codes]
    codes = codes[keep].astype(np.uint64)
    doc = doc[keep]
    lengths = np.bincount(doc, minlength=n)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))

    k = shingle
    if len(codes) >= k:
        pos = np.nonzero(doc[: len(codes) - k + 1] == doc[k - 1 :])[0]
    else:
        pos = np.zeros(0, dtype=np.int64)
    short = np.nonzero((lengths > 0) & (lengths < k))[0]
    pos = np.concatenate((pos, starts[short]))
    span = np.concatenate((np.full(len(pos) - len(short), k), lengths[short]))
    owner = np.concatenate((doc[pos[: len(pos) - len(short)]], short)).astype(np.uint64)

    z = np.full(len(pos), (seed * int(_FNV)) % 2**64, dtype=np.uint64)
    last = max(len(codes) - 1, 0)
    for t in range(k):
        c = codes[np.minimum(pos + t, last)] if len(codes) else np.zeros(0, np.uint64)
        z ^= np.where(span > t, c, np.uint64(0))
        z *= _FNV
    z = _mix64(z)
    keys = (owner << np.uint64(32)) | (z >> np.uint64(32))
    keys.sort()
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    elements = (keys & _U32).astype(np.uint32)
    counts = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=n)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return elements, offsets


def _gather(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``values[s:s+l]`` for every (s, l) without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return values[:0]
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return values[shift + np.arange(total)]


def _join(
    sorted_keys: np.ndarray, sorted_ids: np.ndarray, probe: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (probe index, id) where ``probe[index]`` equals a key of the sorted table."""
    lo = np.searchsorted(sorted_keys, probe, side="left")
    hi = np.searchsorted(sorted_keys, probe, side="right")
    width = hi - lo
    return np.repeat(np.arange(len(probe)), width), sorted_ids[
        _gather(np.arange(len(sorted_keys)), lo, width)
    ]


class _Growable:
    """A numpy array that grows along axis 0 with amortised O(1) appends."""

    def __init__(self, dtype, width: int | None = None):
        self.width = width
        self.data = np.empty((1024, width) if width else 1024, dtype=dtype)
        self.size = 0

    def extend(self, rows: np.ndarray) -> None:
        need = self.size + len(rows)
        if need > len(self.data):
            cap = max(need, 2 * len(self.data))
            grown = np.empty((cap, self.width) if self.width else cap, dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : need] = rows
        self.size = need

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]


def _choose_bands(threshold: float, num_perm: int, min_recall: float = 0.985) -> tuple[int, int]:
    """The most selective (bands, rows) whose LSH still catches a pair at ``threshold`` w.p. min_recall."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= min_recall:
            best = (bands, rows)
    return best


@dataclass(frozen=True)
class Sketch:
    """One text as the index sees it: its sorted shingle hashes, its signature and its band keys."""

    elements: np.ndarray  # uint32, sorted
    signature: np.ndarray  # uint32, num_perm
    band_keys: np.ndarray  # uint64, bands_


class DuplicateIndex:
    """An LSH index of texts that answers "which earlier requests say nearly the same thing?".

    Parameters follow the scikit-learn habit: ``__init__`` only stores them.

    threshold: minimum exact Jaccard similarity of shingle sets for two texts to be duplicates.
    num_perm: signature slots (one-permutation-hashing bins); a power of two, 64 to 1024.
    shingle: characters per shingle; 3 suits Chinese, use 4-5 for alphabetic languages.
    seed: hash seed; indexes built with different seeds are not comparable.
    """

    def __init__(self, threshold: float = 0.6, num_perm: int = 128, shingle: int = 3, seed: int = 1):
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed

    # -- building ---------------------------------------------------------------------------
    def _setup(self) -> None:
        if hasattr(self, "keys_"):
            return
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        if self.num_perm < 8 or self.num_perm & (self.num_perm - 1) or self.num_perm > 1 << 16:
            raise ValueError("num_perm must be a power of two between 8 and 65536")
        if self.shingle < 1:
            raise ValueError("shingle must be at least 1")
        self.bands_, self.rows_ = _choose_bands(self.threshold, self.num_perm)
        rng = np.random.default_rng(self.seed)
        self._densify_table = rng.integers(0, self.num_perm, size=(_DENSIFY_TRIES, self.num_perm))
        self._band_seeds = rng.integers(1, 2**63, size=self.bands_, dtype=np.uint64)
        self.keys_: list[Hashable] = []
        self._elements = _Growable(np.uint32)
        self._offsets = _Growable(np.int64)
        self._offsets.extend(np.zeros(1, dtype=np.int64))
        self._signatures = _Growable(np.uint32, self.num_perm)
        self._band_keys = _Growable(np.uint64, self.bands_)
        self._n_sorted = 0
        self._sorted_keys = np.zeros((self.bands_, 0), dtype=np.uint64)
        self._sorted_ids = np.zeros((self.bands_, 0), dtype=np.int64)

    def fit(self, items: Iterable[tuple[Hashable, str]]) -> DuplicateIndex:
        """Index ``(key, text)`` items from scratch; returns self."""
        for attr in ("keys_", "bands_", "rows_"):
            self.__dict__.pop(attr, None)
        self.add_many(items)
        return self

    def add(self, key: Hashable, text: str) -> None:
        self.add_many([(key, text)])

    def add_many(self, items: Iterable[tuple[Hashable, str]], batch_size: int = 20_000) -> None:
        """Index ``(key, text)`` items. Keys need not be unique, but queries report them as given."""
        self._setup()
        batch: list[tuple[Hashable, str]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)
        # Queries scan the unsorted tail; keep it small relative to the index, amortised.
        if len(self.keys_) - self._n_sorted > max(5_000, self._n_sorted // 16):
            self._sort_bands()

    def _sketch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        elements, offsets = shingle_sets(texts, self.shingle, self.seed)
        signatures = self._one_permutation_hash(elements, offsets)
        return elements, offsets, signatures, self._bands_of(signatures)

    def _add_batch(self, batch: list[tuple[Hashable, str]]) -> None:
        elements, offsets, signatures, band_keys = self._sketch([text for _, text in batch])
        self.keys_.extend(key for key, _ in batch)
        self._offsets.extend(offsets[1:] + self._elements.size)
        self._elements.extend(elements)
        self._signatures.extend(signatures)
        self._band_keys.extend(band_keys)

    def _one_permutation_hash(self, elements: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        n, bins = len(offsets) - 1, self.num_perm
        shift = np.uint32(32 - (bins.bit_length() - 1))
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
        slot = owner * bins + (elements >> shift).astype(np.int64)
        # elements are sorted within each text, so the first element of a bin is its minimum
        first = np.ones(len(slot), dtype=bool)
        first[1:] = slot[1:] != slot[:-1]
        signatures = np.full((n, bins), _EMPTY, dtype=np.uint32)
        signatures.reshape(-1)[slot[first]] = elements[first]
        self._densify(signatures)
        return signatures

    def _densify(self, signatures: np.ndarray) -> None:
        empty = signatures == _EMPTY
        partly = empty.any(axis=1) & ~empty.all(axis=1)
        if not partly.any():
            return
        original = signatures[partly]
        filled, still = original.copy(), empty[partly]
        for tries in self._densify_table:
            rows, cols = np.nonzero(still)
            if not len(rows):
                break
            borrowed = original[rows, tries[cols]]
            ok = borrowed != _EMPTY
            filled[rows[ok], cols[ok]] = borrowed[ok]
            still[rows[ok], cols[ok]] = False
        if still.any():
            # Texts with very few shingles: take the next filled bin to the right, circularly.
            bins = self.num_perm
            full = np.concatenate([original != _EMPTY] * 2, axis=1)
            index = np.where(full, np.arange(2 * bins), 2 * bins)
            nearest = np.minimum.accumulate(index[:, ::-1], axis=1)[:, ::-1][:, :bins] % bins
            rows, cols = np.nonzero(still)
            filled[rows, cols] = original[rows, nearest[rows, cols]]
        signatures[partly] = filled

    def _bands_of(self, signatures: np.ndarray) -> np.ndarray:
        n = len(signatures)
        slots = signatures[:, : self.bands_ * self.rows_].reshape(n, self.bands_, self.rows_)
        z = np.broadcast_to(self._band_seeds, (n, self.bands_)).copy()
        for r in range(self.rows_):
            z ^= slots[:, :, r].astype(np.uint64)
            z = _mix64(z)
        return z

    def _sort_bands(self) -> None:
        n = len(self.keys_)
        if self._n_sorted == n:
            return
        offsets = self._offsets.view
        indexed = np.nonzero(np.diff(offsets) > 0)[0]  # texts without shingles are never candidates
        keys = self._band_keys.view[indexed].T
        order = np.argsort(keys, axis=1, kind="stable")
        self._sorted_keys = np.take_along_axis(keys, order, axis=1)
        self._sorted_ids = indexed[order]
        self._n_sorted = n

    # -- similarity -------------------------------------------------------------------------
    def _jaccard(self, a: np.ndarray, b: np.ndarray, elements=None, offsets=None) -> np.ndarray:
        """Exact Jaccard similarity of set a[i] (index) vs b[i] (index or query ``elements``)."""
        el_a, off_a = self._elements.view, self._offsets.view
        el_b, off_b = (el_a, off_a) if elements is None else (elements, offsets)
        len_a, len_b = off_a[a + 1] - off_a[a], off_b[b + 1] - off_b[b]
        out = np.zeros(len(a))
        budget = np.cumsum(len_a + len_b) // 20_000_000
        for chunk in np.split(np.arange(len(a)), np.nonzero(np.diff(budget))[0] + 1):
            if not len(chunk):
                continue
            la, lb = len_a[chunk], len_b[chunk]
            tag_a = np.repeat(np.arange(len(chunk), dtype=np.uint64), la) << np.uint64(32)
            tag_b = np.repeat(np.arange(len(chunk), dtype=np.uint64), lb) << np.uint64(32)
            set_a = tag_a | _gather(el_a, off_a[a[chunk]], la)
            set_b = tag_b | _gather(el_b, off_b[b[chunk]], lb)
            hit = np.isin(set_a, set_b, assume_unique=True)
            inter = np.bincount((set_a[hit] >> np.uint64(32)).astype(np.int64), minlength=len(chunk))
            union = la + lb - inter
            out[chunk] = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        return out

    def _worth_checking(self, a: np.ndarray, b: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
        """Drop candidates whose signature agreement is far below the threshold (4 sigma)."""
        sig = self._signatures.view
        agree = np.empty(len(a))
        for s in range(0, len(a), 200_000):
            part = slice(s, s + 200_000)
            agree[part] = (sig[a[part]] == sig_b[part]).mean(axis=1)
        margin = 4 * np.sqrt(self.threshold * (1 - self.threshold) / self.num_perm)
        sizes = np.diff(self._offsets.view)[a]
        return (agree >= self.threshold - margin) | (sizes < 2 * self.num_perm)

    # -- queries ----------------------------------------------------------------------------
    def query(self, text: str, top: int = 5) -> list[tuple[Hashable, float]]:
        """Indexed texts with Jaccard ≥ threshold to ``text``, most similar first: [(key, jaccard)]."""
        return self.query_many([text], top=top)[0]

    def query_many(self, texts: list[str], top: int = 5) -> list[list[tuple[Hashable, float]]]:
        self._setup()
        if not texts or not self.keys_:
            return [[] for _ in texts]
        return self._query_sketched(*self._sketch(list(texts)), top=top)

    # -- stored sketches (a persistent index keeps them in a table) ----------------------------
    def sketch(self, texts: list[str]) -> list[Sketch]:
        """Each text's shingle set, signature and band keys: what ``add_sketches`` and
        ``query_sketches`` take back, so a text is shingled and hashed once, when it is stored."""
        self._setup()
        if not texts:
            return []
        elements, offsets, signatures, band_keys = self._sketch(list(texts))
        return [
            Sketch(elements[offsets[i] : offsets[i + 1]].copy(), signatures[i].copy(), band_keys[i].copy())
            for i in range(len(texts))
        ]

    def add_sketches(self, items: Iterable[tuple[Hashable, Sketch]]) -> None:
        """Index stored sketches (made with the same parameters), as ``add_many`` indexes texts."""
        self._setup()
        items = list(items)
        if not items:
            return
        self.keys_.extend(key for key, _ in items)
        sizes = np.array([len(s.elements) for _, s in items], dtype=np.int64)
        self._offsets.extend(np.cumsum(sizes) + self._elements.size)
        self._elements.extend(np.concatenate([s.elements for _, s in items]).astype(np.uint32))
        self._signatures.extend(np.stack([s.signature for _, s in items]).astype(np.uint32))
        self._band_keys.extend(np.stack([s.band_keys for _, s in items]).astype(np.uint64))
        if len(self.keys_) - self._n_sorted > max(5_000, self._n_sorted // 16):
            self._sort_bands()

    def query_sketches(self, sketches: list[Sketch], top: int = 5) -> list[list[tuple[Hashable, float]]]:
        """``query_many`` for texts already sketched: the same answers."""
        self._setup()
        if not sketches or not self.keys_:
            return [[] for _ in sketches]
        sizes = np.array([len(s.elements) for s in sketches], dtype=np.int64)
        offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(sizes)])
        elements = np.concatenate([s.elements for s in sketches]).astype(np.uint32)
        signatures = np.stack([s.signature for s in sketches]).astype(np.uint32)
        band_keys = np.stack([s.band_keys for s in sketches]).astype(np.uint64)
        return self._query_sketched(elements, offsets, signatures, band_keys, top=top)

    def _query_sketched(
        self,
        elements: np.ndarray,
        offsets: np.ndarray,
        signatures: np.ndarray,
        band_keys: np.ndarray,
        top: int,
    ) -> list[list[tuple[Hashable, float]]]:
        texts = range(len(offsets) - 1)
        results: list[list[tuple[Hashable, float]]] = [[] for _ in texts]
        found_q, found_i = [], []
        # Items added since the last sort (at most a sixteenth of the index) are joined the other way
        # round: the query keys are sorted and the recent items looked up in them, so an add
        # followed by a query never re-sorts a large index.
        n_sorted, n = self._n_sorted, len(self.keys_)
        recent = np.arange(n_sorted, n)
        recent = recent[np.diff(self._offsets.view)[recent] > 0]
        recent_keys = self._band_keys.view[recent]
        for band in range(self.bands_):
            q, i = _join(self._sorted_keys[band], self._sorted_ids[band], band_keys[:, band])
            found_q.append(q)
            found_i.append(i)
            if len(recent):
                order = np.argsort(band_keys[:, band], kind="stable")
                r, q = _join(band_keys[order, band], order, recent_keys[:, band])
                found_q.append(q)
                found_i.append(recent[r])
        code = np.unique(np.concatenate(found_i) * len(texts) + np.concatenate(found_q))
        cand, q = code // len(texts), code % len(texts)
        nonempty = np.diff(offsets)[q] > 0  # an empty query text matches nothing
        cand, q = cand[nonempty], q[nonempty]
        keep = self._worth_checking(cand, q, signatures[q])
        cand, q = cand[keep], q[keep]
        sim = self._jaccard(cand, q, elements, offsets)
        ok = sim >= self.threshold
        for c, qi, s in zip(cand[ok].tolist(), q[ok].tolist(), sim[ok].tolist(), strict=True):
            results[qi].append((self.keys_[c], round(s, 4)))
        for hits in results:
            hits.sort(key=lambda kv: -kv[1])
            del hits[top:]
        return results

    def _candidate_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        self._sort_bands()
        n = len(self.keys_)
        codes = []
        for band in range(self.bands_):
            keys, ids = self._sorted_keys[band], self._sorted_ids[band]
            for d in range(1, min(_WINDOW, len(keys) - 1) + 1):
                at = np.nonzero(keys[d:] == keys[:-d])[0]
                if not len(at):
                    break
                i, j = ids[at], ids[at + d]
                codes.append(np.minimum(i, j) * n + np.maximum(i, j))
        if not codes:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        code = np.unique(np.concatenate(codes))
        return code // n, code % n

    def similar_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All indexed pairs (i, j, jaccard) with i < j positions in insertion order and jaccard ≥ threshold."""
        self._setup()
        a, b = self._candidate_pairs()
        keep = self._worth_checking(a, b, self._signatures.view[b])
        a, b = a[keep], b[keep]
        sim = self._jaccard(a, b)
        ok = sim >= self.threshold
        return a[ok], b[ok], sim[ok]

    def duplicate_groups(self) -> list[list[Hashable]]:
        """Groups (connected components) of near-duplicate texts, each in insertion order."""
        labels = self.group_labels()
        groups: dict[int, list[Hashable]] = {}
        for position, label in enumerate(labels.tolist()):
            if label >= 0:
                groups.setdefault(label, []).append(self.keys_[position])
        return list(groups.values())

    def group_labels(self) -> np.ndarray:
        """For each indexed text, its duplicate-group number (0, 1, ... by first member) or -1 if alone."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        a, b, _ = self.similar_pairs()
        n = len(self.keys_)
        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
        _, component = connected_components(graph, directed=False)
        sizes = np.bincount(component)
        alone = sizes[component] < 2
        # renumber so that group numbers follow the first member's position
        grouped = np.nonzero(~alone)[0]
        comps, first = np.unique(component[grouped], return_index=True)
        rank = np.empty(len(comps), dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(comps))
        labels = np.full(n, -1, dtype=np.int64)
        labels[grouped] = rank[np.searchsorted(comps, component[grouped])]
        return labels

    def __len__(self) -> int:
        return len(getattr(self, "keys_", []))


def find_duplicate_groups(
    items: Iterable[tuple[Hashable, str]], threshold: float = 0.6, **params
) -> list[list[Hashable]]:
    """Batch mode over a whole export: groups of keys whose texts are near-duplicates."""
    return DuplicateIndex(threshold=threshold, **params).fit(items).duplicate_groups()
