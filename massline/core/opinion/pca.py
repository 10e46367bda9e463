"""Two-component PCA of the mean-imputed vote matrix, without ever densifying it.

Imputing a missing vote with its column mean and then centring makes that cell exactly zero, so the
centred, imputed matrix ``Z`` has the same sparsity pattern as the votes: ``Z[i, j] = x_ij - mean_j`` where
participant i voted on j, and 0 elsewhere. The principal axes are the top eigenvectors of ``Zᵀ Z``:

* when participants or statements number at most ``exact_max``: the exact eigen-decomposition of the
  smaller of the dense Gram matrices ``Zᵀ Z`` / ``Z Zᵀ``;
* beyond: Lanczos (ARPACK ``eigsh``) on the operator ``v -> Zᵀ (Z v)``, started from a fixed vector (the
  previous components when warm-starting), so the result is deterministic.

Pol.is finds the same axes by 100 rounds of power iteration from a random (unseeded) start vector.
"""

from __future__ import annotations

import contextlib

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

_BLAS_LIBS: list | None = None


@contextlib.contextmanager
def single_blas_thread():
    """Run the block with every BLAS library on one thread, then restore.

    The dense problems here are small (at most 500 × 500, or 10,000 × 20 inside Lanczos): extra BLAS
    threads only add start-up and contention -- on a busy 2-CPU box a 70 × 70 eigen-decomposition took
    18 ms with OpenBLAS's 2 threads and 0.2 ms with one. The switch is a direct call to the libraries
    (threadpoolctl, shipped with scikit-learn) and costs microseconds.
    """
    global _BLAS_LIBS
    if _BLAS_LIBS is None:
        try:
            from threadpoolctl import ThreadpoolController

            _BLAS_LIBS = list(ThreadpoolController().select(user_api="blas").lib_controllers)
        except Exception:  # pragma: no cover - no threadpoolctl or an exotic BLAS
            _BLAS_LIBS = []
    saved = []
    try:
        for lib in _BLAS_LIBS:
            saved.append((lib, lib.get_num_threads()))
            lib.set_num_threads(1)
        yield
    finally:
        for lib, n in saved:
            lib.set_num_threads(n)


def column_means(csr: sp.csr_matrix, zero_cols: np.ndarray | None = None) -> np.ndarray:
    """Mean of the cast votes per statement (0 for statements without votes or zeroed out)."""
    d = csr.shape[1]
    sums = np.bincount(csr.indices, weights=csr.data, minlength=d)
    counts = np.bincount(csr.indices, minlength=d)
    mu = np.divide(sums, counts, out=np.zeros(d), where=counts > 0)
    if zero_cols is not None and len(zero_cols):
        mu[zero_cols] = 0.0
    return mu


def centered(csr: sp.csr_matrix, mu: np.ndarray, zero_mask: np.ndarray | None = None) -> sp.csr_matrix:
    """``Z``: the centred, mean-imputed matrix, same pattern as ``csr`` (zeroed columns stay 0)."""
    data = csr.data - mu[csr.indices]
    if zero_mask is not None and zero_mask.any():
        data[zero_mask[csr.indices]] = 0.0
    z = sp.csr_matrix((data, csr.indices, csr.indptr), shape=csr.shape)
    z.has_sorted_indices = True
    return z


def _fix_signs(comps: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    comps = comps.copy()
    for c in range(comps.shape[0]):
        if previous is not None and c < previous.shape[0] and previous.shape[1] == comps.shape[1]:
            ref = float(comps[c] @ previous[c])
            if ref < 0:
                comps[c] = -comps[c]
            continue
        j = int(np.argmax(np.abs(comps[c])))
        if comps[c, j] < 0:
            comps[c] = -comps[c]
    return comps


DENSE_GRAM_MAX = 4_000_000  # cells: up to 32 MB, the dense product beats the sparse one by 2-3x


def _gram(z: sp.csr_matrix, *, columns: bool) -> np.ndarray:
    """ZᵀZ (``columns``) or ZZᵀ as a dense array: through one dense BLAS product when Z is small enough."""
    n, d = z.shape
    if n * d <= DENSE_GRAM_MAX:
        zd = z.toarray()
        return zd.T @ zd if columns else zd @ zd.T
    return (z.T @ z).toarray() if columns else (z @ z.T).toarray()


DENSE_LANCZOS_FROM = 160  # Gram matrices from this size: Lanczos beats the full tridiagonalisation


def _top_eigh(g: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest eigenpairs of the symmetric ``g`` (ascending, like ``eigh``).

    Up to ``DENSE_LANCZOS_FROM`` rows: LAPACK's ``eigh``. Beyond, Lanczos to machine precision (``tol=0``)
    from a fixed start, which gives the same vectors to ~1e-15 at a fraction of the O(m³) cost (314 × 314:
    1.0 ms instead of 2.4 ms); LAPACK again should it not converge.
    """
    m = len(g)
    if m >= DENSE_LANCZOS_FROM and k < m - 1:
        try:
            w, v = spla.eigsh(g, k=k, which="LA", v0=np.full(m, 1.0 / np.sqrt(m)), tol=0, ncv=min(m, 20))
            order = np.argsort(w, kind="stable")
            return w[order], v[:, order]
        except spla.ArpackError:
            pass
    return scipy.linalg.eigh(g, subset_by_index=[m - k, m - 1])


def top_components(
    z: sp.csr_matrix,
    n_components: int = 2,
    *,
    start: np.ndarray | None = None,
    exact_max: int = 500,
    tol: float = 1e-10,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``n_components`` leading principal axes (rows) of ``z`` and their eigenvalues ``/ n``."""
    n, d = z.shape
    k = min(n_components, d, max(n, 1))
    comps = np.zeros((n_components, d))
    evals = np.zeros(n_components)
    if k == 0 or z.nnz == 0:
        return comps, evals
    if start is not None and start.shape[1] != d:
        pad = np.zeros((start.shape[0], d))
        pad[:, : min(d, start.shape[1])] = start[:, : min(d, start.shape[1])]
        start = pad
    m = min(n, d)
    if m <= exact_max or d <= k + 1:
        # Exact: eigen-decomposition of the smaller Gram matrix (ZᵀZ, or ZZᵀ when fewer participants).
        with single_blas_thread():
            if d <= n or d <= k + 1:
                w, v = _top_eigh(_gram(z, columns=True), k)
            else:
                kk = min(k, n)
                w, u = _top_eigh(_gram(z, columns=False), kk)
                v = np.asarray(z.T @ u)
                norms = np.linalg.norm(v, axis=0)
                v = np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)
                if kk < k:
                    v = np.hstack([np.zeros((d, k - kk)), v])
                    w = np.concatenate([np.zeros(k - kk), w])
        order = np.argsort(-w, kind="stable")
        vecs, vals = v[:, order].T, w[order]
    else:
        zt = z.T.tocsr()

        def matvec(x: np.ndarray) -> np.ndarray:
            return zt @ (z @ x)

        op = spla.LinearOperator((d, d), matvec=matvec, dtype=np.float64)
        if start is not None and np.any(start):
            v0 = start[:k].sum(axis=0) + 1e-3
        else:
            v0 = np.ones(d)
        v0 = v0 / np.linalg.norm(v0)
        w, v = spla.eigsh(op, k=k, which="LA", v0=v0, tol=tol, ncv=min(d, max(2 * k + 1, 20)))
        order = np.argsort(-w, kind="stable")
        vecs, vals = v[:, order].T, w[order]
    comps[:k] = _fix_signs(vecs, start)
    evals[:k] = np.maximum(vals, 0) / max(n, 1)
    return comps, evals


def project(z: sp.csr_matrix, comps: np.ndarray, n_statements: int, n_votes: np.ndarray) -> np.ndarray:
    """Pol.is's sparsity-aware projection: ``(Z · comps) * sqrt(n_statements / max(n_votes, 1))``.

    Only cast votes contribute (a missing vote sits at the column mean, i.e. adds nothing), and the
    result is pushed out from the centre for participants who voted on few statements.
    """
    proj = np.asarray(z @ comps.T)
    scale = np.sqrt(n_statements / np.maximum(n_votes, 1).astype(np.float64))
    return proj * scale[:, None]


def comment_extremity(mu: np.ndarray, comps: np.ndarray, n_statements: int) -> np.ndarray:
    """Distance from the origin of a virtual participant who agreed with only that statement."""
    return np.sqrt(float(n_statements)) * np.abs(1.0 - mu) * np.linalg.norm(comps[:2], axis=0)


def comment_projection(mu: np.ndarray, comps: np.ndarray, n_statements: int) -> np.ndarray:
    """(2, d) projection of those virtual participants (agree = +1 coding)."""
    return np.sqrt(float(n_statements)) * (1.0 - mu)[None, :] * comps[:2]
