"""Exact top-k in both directions for all profiles x all vacancies (or one shard of profiles).

How it works (per block of ``block_size`` profiles, blocks spread over ``threads`` worker threads):

1. Screening. Approximate scores of the block against every vacancy, T = R * Q (vacancies x block
   profiles), within a proven error margin of the exact score (``operators.py``: required credit R on an
   integer grid, the rest Q in float32). One compiled pass (``kernels.screen_block``) computes each
   vacancy's row of T from the two sparse operators and the dense profile features and, while the row is
   in cache, does the bookkeeping of steps 2 and 3 for it.
2. Profile direction (a block holds every vacancy of its profiles). The maximum of each group of ``g``
   consecutive vacancies is taken; the k-th largest group maximum is a lower bound of the k-th best score,
   so only groups whose maximum reaches it (minus the error margin) are scanned for candidates
   (``kernels.profile_candidates``).
3. Vacancy direction (lists span all blocks). A shared pool keeps, per vacancy, every screened pair not
   provably out of the top-k: a pair enters when its screened score reaches the vacancy's running threshold
   (the k-th best pooled score minus the margin); full pool rows are compacted against a fresh threshold.
4. Exact scores. Surviving candidates (the k best plus screening near-ties) are scored exactly in float64
   (``evaluate.py``), quantised, and ordered by (score desc, id asc). A vacancy whose near-ties overflow
   its pool row (e.g. thousands of equal scores) keeps its candidates in an unbounded side list instead.

Peak memory per worker is a (vacancies x block) float32 tile plus the feature block; the pool is
(n_vacancies x capacity) float32 + int32.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from .evaluate import PairScores, evaluate_pairs
from .features import ProfileMatrix, VacancyMatrix, preference_tables
from .operators import FLOOR, WeightedOps, profile_block_features, weighted_ops
from .types import Components, TopKResult
from .weights import DEFAULT_WEIGHTS, SCORE_SCALE, MatchWeights

_MIN_BUFFER = 1 << 16  # initial candidate buffer entries per thread (they grow when a block needs more)
_KEY_UNITS = 1 << 30  # sort key: (_KEY_UNITS - units) << 32 | id rank  ->  score desc, id asc
_NO_KEY = np.iinfo(np.int64).max


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return max(1, os.cpu_count() or 1)


def shard_bounds(n: int, shard: tuple[int, int] | None) -> tuple[int, int]:
    """Contiguous profile rows of shard ``(i, n_shards)`` (np.array_split boundaries)."""
    if shard is None:
        return 0, n
    i, count = int(shard[0]), int(shard[1])
    if count < 1 or not 0 <= i < count:
        raise ValueError("shard must be (i, n) with 0 <= i < n")
    base, extra = divmod(n, count)
    start = i * base + min(i, extra)
    return start, start + base + (1 if i < extra else 0)


def top_rows_by_key(row: np.ndarray, key: np.ndarray, n_rows: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For entries grouped by ascending ``row``, the indices of the k smallest keys of every row:
    (n_rows, k) int64, -1 padded; and the count per row (at most k)."""
    counts = np.bincount(row, minlength=n_rows)
    out = np.full((n_rows, k), -1, dtype=np.int64)
    if row.shape[0] == 0:
        return out, np.zeros(n_rows, dtype=np.int64)
    start = np.cumsum(counts) - counts
    limit = 2 * k + 16
    big = np.flatnonzero(counts > limit)
    for r in big:  # a few rows with many candidates (mass ties): one at a time
        seg = np.arange(start[r], start[r] + counts[r])
        part = seg[np.argpartition(key[seg], k - 1)[:k]] if seg.shape[0] > k else seg
        out[r, :part.shape[0]] = part[np.argsort(key[part], kind="stable")]
    small = counts <= limit
    sel = small[row]
    row_s, idx_s = row[sel], np.flatnonzero(sel)
    if row_s.shape[0]:
        rank = np.arange(row.shape[0], dtype=np.int64)[sel] - start[row_s]
        width = int(counts[small].max())
        keys = np.full((n_rows, width), _NO_KEY, dtype=np.int64)
        keys[row_s, rank] = key[idx_s]
        idx = np.full((n_rows, width), -1, dtype=np.int64)
        idx[row_s, rank] = idx_s
        if width > k:
            part = np.argpartition(keys, k - 1, axis=1)[:, :k]
            keys = np.take_along_axis(keys, part, axis=1)
            idx = np.take_along_axis(idx, part, axis=1)
        order = np.argsort(keys, axis=1, kind="stable")
        idx = np.take_along_axis(idx, order, axis=1)
        take = min(k, idx.shape[1])
        out[small, :take] = idx[small, :take]
    return out, np.minimum(counts, k)


class _VacancyPool:
    """Per-vacancy candidates (float32 score, profile row), shared by the worker threads.

    Each vacancy has ``cap`` slots. ``theta[v]`` (a valid lower bound of the k-th best score minus the
    margin) only rises. When a row is full it is compacted: its k-th best score gives a new threshold and
    everything below it is dropped. A row whose near-ties alone would fill it ("overflow", e.g. thousands of
    identical scores) moves to an unbounded side list instead.
    """

    def __init__(self, n_v: int, n_v_pad: int, k: int, cap: int, margin: float):
        self.k, self.cap, self.margin = k, cap, np.float32(margin)
        self.val = np.full((n_v, cap), -1.0, dtype=np.float32)
        self.col = np.full((n_v, cap), -1, dtype=np.int32)
        self.cnt = np.zeros(n_v, dtype=np.int64)
        self.theta = np.full(n_v_pad, FLOOR, dtype=np.float32)
        self.theta[n_v:] = np.inf
        self.overflow = np.zeros(n_v, dtype=bool)
        self.side: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.side_size = 0
        self.unseen = np.ones(n_v, dtype=bool)  # no block-local threshold tried yet
        self.uninitialized = n_v > 0
        self.lock = threading.Lock()
        self.added = 0
        self.compactions = 0

    def raise_theta(self, rows: np.ndarray, values: np.ndarray) -> None:
        with self.lock:
            self.theta[rows] = np.maximum(self.theta[rows], values)
            self.unseen[rows] = False
            self.uninitialized = bool(self.unseen.any())

    def add(self, v: np.ndarray, p: np.ndarray, vals: np.ndarray) -> None:
        """Add candidates; ``v`` must be ascending."""
        with self.lock:
            keep = vals >= self.theta[v]
            if not keep.all():
                v, p, vals = v[keep], p[keep], vals[keep]
            if v.shape[0] == 0:
                return
            self.added += v.shape[0]
            over = self.overflow[v]
            if over.any():
                self._side_add(v[over], p[over], vals[over])
                v, p, vals = v[~over], p[~over], vals[~over]
                if v.shape[0] == 0:
                    return
            n = v.shape[0]
            new_run = np.empty(n, dtype=bool)
            new_run[0] = True
            np.not_equal(v[1:], v[:-1], out=new_run[1:])
            starts = np.flatnonzero(new_run)
            run_len = np.diff(np.append(starts, n))
            urows = v[starts]
            rank = np.arange(n, dtype=np.int64) - np.repeat(starts, run_len)
            fits_row = self.cnt[urows] + run_len <= self.cap
            fits = np.repeat(fits_row, run_len)
            if fits.all():
                slot = self.cnt[v] + rank
                self.val[v, slot] = vals
                self.col[v, slot] = p
                self.cnt[urows] += run_len
                return
            if fits.any():
                slot = self.cnt[v[fits]] + rank[fits]
                self.val[v[fits], slot] = vals[fits]
                self.col[v[fits], slot] = p[fits]
                self.cnt[urows[fits_row]] += run_len[fits_row]
            orows = urows[~fits_row]
            olen = run_len[~fits_row]
            width = self.cap + int(olen.max())
            wv = np.full((orows.shape[0], width), -1.0, dtype=np.float32)
            wc = np.full((orows.shape[0], width), -1, dtype=np.int32)
            wv[:, :self.cap] = self.val[orows]
            wc[:, :self.cap] = self.col[orows]
            sel = ~fits
            rr = np.repeat(np.arange(orows.shape[0]), olen)
            wv[rr, self.cap + rank[sel]] = vals[sel]
            wc[rr, self.cap + rank[sel]] = p[sel]
            self._compact(orows, wv, wc)

    def _compact(self, rows: np.ndarray, wv: np.ndarray, wc: np.ndarray) -> None:
        self.compactions += rows.shape[0]
        k, width = self.k, wv.shape[1]
        count = (wv >= 0).sum(axis=1)
        kth = np.partition(wv, width - k, axis=1)[:, width - k]
        thr = np.maximum(np.where(count >= k, kth - self.margin, FLOOR), FLOOR).astype(np.float32)
        keep = wv >= thr[:, None]
        nkeep = keep.sum(axis=1)
        self.theta[rows] = np.maximum(self.theta[rows], thr)
        over = nkeep > self.cap - max(4, self.cap // 4)
        if over.any():
            # near-ties would fill the row: keep this vacancy's candidates in the side list from now on
            ri, ci = np.nonzero(keep[over])
            orows = rows[over]
            self.overflow[orows] = True
            self._side_add(orows[ri], wc[over][ri, ci], wv[over][ri, ci])
            self.cnt[orows] = 0
            self.val[orows] = -1.0
            self.col[orows] = -1
        ok = ~over
        rows, keep, wv, wc = rows[ok], keep[ok], wv[ok], wc[ok]
        if rows.shape[0] == 0:
            return
        ri, ci = np.nonzero(keep)
        run = np.bincount(ri, minlength=rows.shape[0])
        start = np.cumsum(run) - run
        slot = np.arange(ri.shape[0]) - start[ri]
        self.val[rows] = -1.0
        self.col[rows] = -1
        self.val[rows[ri], slot] = wv[ri, ci]
        self.col[rows[ri], slot] = wc[ri, ci]
        self.cnt[rows] = run

    def _side_add(self, v, p, vals) -> None:
        self.side.append((v.astype(np.int64), p.astype(np.int32), vals.astype(np.float32)))
        self.side_size += v.shape[0]
        if self.side_size > 4 * self.cap * max(1, int(self.overflow.sum())) + 100_000:
            self._side_tighten()

    def _side_tighten(self) -> None:
        """Raise the thresholds of overflow rows to their k-th best side entry and drop what falls below."""
        v, p, vals = self.side_arrays()
        order = np.lexsort((-vals, v))
        v, p, vals = v[order], p[order], vals[order]
        starts = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
        counts = np.diff(np.r_[starts, v.shape[0]])
        full = counts >= self.k
        rows = v[starts[full]]
        kth = vals[starts[full] + self.k - 1]
        self.theta[rows] = np.maximum(self.theta[rows], kth - self.margin)
        keep = vals >= self.theta[v]
        self.side = [(v[keep], p[keep], vals[keep])]
        self.side_size = int(keep.sum())

    def side_arrays(self):
        if not self.side:
            return np.empty(0, np.int64), np.empty(0, np.int32), np.empty(0, np.float32)
        return (np.concatenate([s[0] for s in self.side]), np.concatenate([s[1] for s in self.side]),
                np.concatenate([s[2] for s in self.side]))


class _Run:
    def __init__(self, pm: ProfileMatrix, vm: VacancyMatrix, weights: MatchWeights, k: int, exclusions,
                 p0: int, p1: int, threads: int, block_size: int, pool_capacity: int | None,
                 fine_group: int = 8):
        from . import kernels  # numba: imported (and its machine code loaded) only when a full run starts

        self.kernels = kernels
        self.pm, self.vm, self.weights, self.k = pm, vm, weights, k
        self.p0, self.p1 = p0, p1
        self.threads = threads
        self.ops: WeightedOps = weighted_ops(pm, vm, weights)
        self.margin = np.float32(self.ops.margin)
        n_v = vm.n
        self.n_v = n_v
        # profile direction: maxima of fine groups of g vacancies (cells scanned for candidates) and of coarse
        # groups of g * r (about 8k of them: their k-th largest maximum bounds the k-th best score)
        coarse = max(1, n_v // (8 * k)) if n_v > 8 * k else 1
        self.g = min(coarse, fine_group)
        self.r = -(-coarse // self.g)
        g1 = self.g * self.r
        self.n_coarse = -(-n_v // g1) if n_v else 0
        self.n_groups = self.n_coarse * self.r
        self.n_v_pad = self.n_coarse * g1
        self.block = max(1, block_size)
        self.no_unseen = np.zeros(n_v, dtype=bool)
        cap = pool_capacity if pool_capacity is not None else k + max(16, k // 2)
        self.pool = _VacancyPool(n_v, self.n_v_pad, k, max(cap, k + 8), float(self.margin))
        # exclusions inside the shard, grouped by profile
        self.excl_p = np.empty(0, np.int64)
        self.excl_v = np.empty(0, np.int64)
        if exclusions is not None:
            ex = np.asarray(exclusions, dtype=np.int64).reshape(-1, 2)
            ex = ex[(ex[:, 0] >= p0) & (ex[:, 0] < p1) & (ex[:, 1] >= 0) & (ex[:, 1] < n_v)]
            order = np.lexsort((ex[:, 1], ex[:, 0]))
            self.excl_p, self.excl_v = ex[order, 0], ex[order, 1]
        n_s = p1 - p0
        self.p_top = np.full((n_s, k), -1, dtype=np.int32)
        self.p_ids = np.full((n_s, k), -1, dtype=np.int64)
        self.p_scores = np.zeros((n_s, k), dtype=np.float64)
        self.p_counts = np.zeros(n_s, dtype=np.int32)
        self.p_comp = [np.zeros((n_s, k), dtype=np.float32) for _ in range(5)]
        self.local = threading.local()
        self.stat_lock = threading.Lock()
        self.stats = {"screen_s": 0.0, "profile_select_s": 0.0, "vacancy_screen_s": 0.0, "exact_pairs": 0,
                      "profile_candidates": 0, "buffer_growths": 0}

    # ---------------------------------------------------------------- per-thread buffers
    def _buffers(self, nb: int):
        loc = self.local
        if getattr(loc, "nb", None) != nb:
            loc.nb = nb
            loc.x = (np.zeros((self.ops.n_cols, nb), dtype=np.float32),
                     np.zeros((self.ops.n_rcols, nb), dtype=np.int16))
            loc.x_pos = None
            loc.t = np.zeros((self.n_v_pad, nb), dtype=np.float32)
            loc.gmax = np.empty((self.n_groups, nb), dtype=np.float32)
            loc.raised_v = np.empty(self.n_v, dtype=np.int32)
            loc.raised_val = np.empty(self.n_v, dtype=np.float32)
            cap = max(_MIN_BUFFER, 4 * self.g * nb)  # >= one group of rows: every call makes progress
            loc.cand_v = np.empty(cap, dtype=np.int32)
            loc.cand_p = np.empty(cap, dtype=np.int32)
            loc.cand_val = np.empty(cap, dtype=np.float32)
            cap = max(_MIN_BUFFER, nb)
            loc.pc_col = np.empty(cap, dtype=np.int32)
            loc.pc_v = np.empty(cap, dtype=np.int32)
            loc.pc_val = np.empty(cap, dtype=np.float32)
            loc.cmax_t = np.empty((self.n_coarse, nb), dtype=np.float32)

            def grow(*names):
                with self.stat_lock:
                    self.stats["buffer_growths"] += 1
                for name in names:
                    old = getattr(loc, name)
                    new = np.empty(2 * old.shape[0], dtype=old.dtype)
                    new[:old.shape[0]] = old
                    setattr(loc, name, new)

            loc.grow = grow
        return loc

    # ---------------------------------------------------------------- one block of profiles
    def block_task(self, a: int, b: int) -> None:
        nb = b - a
        buf = self._buffers(nb)
        t_start = time.thread_time()
        tables = preference_tables(self.pm, self.vm, a, b)
        (x, xr), buf.x_pos = profile_block_features(self.pm, self.vm, self.ops, a, b, buf.x, buf.x_pos, tables)
        t, g = buf.t, self.g
        ea, eb = np.searchsorted(self.excl_p, [a, b])
        ex_p, ex_v = self.excl_p[ea:eb] - a, self.excl_v[ea:eb]
        if ex_v.shape[0]:
            order = np.argsort(ex_v, kind="stable")
            ex_p, ex_v = ex_p[order], ex_v[order]
        ops, pool = self.ops, self.pool
        yr, yq = ops.yr16, ops.yq
        v, n_cand, n_raised = 0, 0, 0
        while True:
            v, n_cand, n_raised = self.kernels.screen_block(
                v, self.n_v, self.n_v_pad, g, yr.indptr, yr.indices, yr.data, ops.r_pre16, yq.indptr, yq.indices,
                yq.data, ops.q_pre, x, xr, pool.theta, pool.unseen if pool.uninitialized else self.no_unseen,
                self.k, self.margin, ex_v, ex_p, t, buf.gmax, buf.cand_v, buf.cand_p, buf.cand_val, n_cand,
                buf.raised_v, buf.raised_val, n_raised)
            if v >= self.n_v_pad:
                break
            buf.grow("cand_v", "cand_p", "cand_val")
        if n_raised:
            pool.raise_theta(buf.raised_v[:n_raised].astype(np.int64), buf.raised_val[:n_raised])
        t_screen = time.thread_time()
        if n_cand:
            pool.add(buf.cand_v[:n_cand].astype(np.int64), buf.cand_p[:n_cand] + np.int32(a),
                     buf.cand_val[:n_cand].copy())
        t_vac = time.thread_time()
        self._profile_lists(a, nb, t, buf, tables)
        t_end = time.thread_time()
        with self.stat_lock:
            self.stats["screen_s"] += t_screen - t_start
            self.stats["vacancy_screen_s"] += t_vac - t_screen
            self.stats["profile_select_s"] += t_end - t_vac

    def _profile_lists(self, a: int, nb: int, t: np.ndarray, buf, tables) -> None:
        k = self.k
        if self.n_groups == 0:
            return
        while True:
            n = self.kernels.profile_candidates(t, buf.gmax, self.r, k, self.margin, FLOOR, buf.pc_col, buf.pc_v,
                                                buf.pc_val, buf.cmax_t)
            if n >= 0:
                break
            buf.grow("pc_col", "pc_v", "pc_val")
        col, v = buf.pc_col[:n].astype(np.int64), buf.pc_v[:n].astype(np.int64)
        scores = evaluate_pairs(self.pm, self.vm, self.weights, a + col, v, pref_tables=(a, a + nb, *tables))
        pos = scores.units > 0
        v, col = v[pos], col[pos]
        units = scores.units[pos]
        key = ((_KEY_UNITS - units) << 32) | self.vm.id_rank[v]
        sel, cnt = top_rows_by_key(col, key, nb, k)
        with self.stat_lock:
            self.stats["exact_pairs"] += int(scores.units.shape[0])
            self.stats["profile_candidates"] += n
        r0 = a - self.p0
        self.p_counts[r0:r0 + nb] = cnt
        if v.shape[0] == 0:
            return
        valid = sel >= 0
        idx = np.where(valid, sel, 0)
        vv = v[idx]
        self.p_top[r0:r0 + nb] = np.where(valid, vv, -1)
        self.p_ids[r0:r0 + nb] = np.where(valid, self.vm.ids[vv], -1)
        self.p_scores[r0:r0 + nb] = np.where(valid, units[idx] / SCORE_SCALE, 0.0)
        for arr, comp in zip(self.p_comp, scores.components(), strict=True):
            arr[r0:r0 + nb] = np.where(valid, comp[pos][idx], 0.0)

    # ---------------------------------------------------------------- whole run
    def run(self) -> TopKResult:
        t0 = time.perf_counter()
        blocks = [(a, min(a + self.block, self.p1)) for a in range(self.p0, self.p1, self.block)]
        if self.n_v and blocks:
            with threadpool_limits(limits=1, user_api="blas"):
                if self.threads > 1 and len(blocks) > 1:
                    with ThreadPoolExecutor(max_workers=self.threads) as ex:
                        list(ex.map(lambda ab: self.block_task(*ab), blocks))
                else:
                    for a, b in blocks:
                        self.block_task(a, b)
        t1 = time.perf_counter()
        v_lists = self._finish_vacancies()
        t2 = time.perf_counter()
        self.stats.update(blocks_s=t1 - t0, vacancy_finish_s=t2 - t1, pool_added=self.pool.added,
                          pool_compactions=self.pool.compactions, margin=float(self.margin),
                          overflow_vacancies=int(self.pool.overflow.sum()), blocks=len(blocks))
        return TopKResult(
            k=self.k, weights_version=self.weights.version, profile_rows=range(self.p0, self.p1),
            vacancy_top=v_lists[0], vacancy_top_ids=v_lists[1], vacancy_scores=v_lists[2],
            vacancy_counts=v_lists[3], vacancy_components=Components(*v_lists[4]),
            profile_top=self.p_top, profile_top_ids=self.p_ids, profile_scores=self.p_scores,
            profile_counts=self.p_counts, profile_components=Components(*self.p_comp), stats=self.stats,
        )

    def _evaluate_parallel(self, p: np.ndarray, v: np.ndarray):
        """evaluate_pairs split over the worker threads by profile range."""
        parts = self.threads if p.shape[0] > 20_000 else 1
        if parts == 1:
            return evaluate_pairs(self.pm, self.vm, self.weights, p, v)
        edges = np.quantile(p, np.linspace(0, 1, parts + 1)[1:-1]).astype(np.int64)
        part_of = np.searchsorted(edges, p, side="right")
        groups = [np.flatnonzero(part_of == i) for i in range(parts)]
        out = PairScores(p.shape[0])
        with ThreadPoolExecutor(max_workers=parts) as ex:
            list(ex.map(lambda g: evaluate_pairs(self.pm, self.vm, self.weights, p[g], v[g], out=out, target=g),
                        groups))
        return out

    def _finish_vacancies(self):
        k, n_v, pool = self.k, self.n_v, self.pool
        top = np.full((n_v, k), -1, dtype=np.int32)
        ids = np.full((n_v, k), -1, dtype=np.int64)
        scores = np.zeros((n_v, k), dtype=np.float64)
        counts = np.zeros(n_v, dtype=np.int32)
        comps = [np.zeros((n_v, k), dtype=np.float32) for _ in range(5)]
        if n_v == 0:
            return top, ids, scores, counts, comps
        wv = pool.val
        width = wv.shape[1]
        kth = np.partition(wv, width - k, axis=1)[:, width - k]
        thr = np.where(pool.cnt >= k, kth - self.margin, FLOOR)
        ri, ci = np.nonzero((wv >= thr[:, None]) & (wv >= FLOOR))
        v = ri.astype(np.int64)
        p = pool.col[ri, ci].astype(np.int64)
        sv, sp, sval = pool.side_arrays()
        if sv.shape[0]:
            keep = sval >= pool.theta[sv]
            v = np.concatenate([v, sv[keep]])
            p = np.concatenate([p, sp[keep].astype(np.int64)])
            order = np.argsort(v.astype(np.uint16) if n_v <= 65535 else v, kind="stable")
            v, p = v[order], p[order]
        if v.shape[0] == 0:
            return top, ids, scores, counts, comps
        ex = self._evaluate_parallel(p, v)
        self.stats["exact_pairs"] += int(p.shape[0])
        pos = ex.units > 0
        v, p, units = v[pos], p[pos], ex.units[pos]
        if v.shape[0] == 0:
            return top, ids, scores, counts, comps
        key = ((_KEY_UNITS - units) << 32) | self.pm.id_rank[p]
        sel, cnt = top_rows_by_key(v, key, n_v, k)
        valid = sel >= 0
        idx = np.where(valid, sel, 0)
        pp = p[idx]
        top[:] = np.where(valid, pp, -1)
        ids[:] = np.where(valid, self.pm.ids[pp], -1)
        scores[:] = np.where(valid, units[idx] / SCORE_SCALE, 0.0)
        counts[:] = cnt
        for arr, comp in zip(comps, ex.components(), strict=True):
            arr[:] = np.where(valid, comp[pos][idx], 0.0)
        return top, ids, scores, counts, comps


def top_k(profile_matrix: ProfileMatrix, vacancy_matrix: VacancyMatrix, weights: MatchWeights = DEFAULT_WEIGHTS,
          k: int = 50, exclusions=None, shard: tuple[int, int] | None = None, threads: int | None = None, *,
          block_size: int = 512, pool_capacity: int | None = None) -> TopKResult:
    """Exact top-k lists in both directions (see TopKResult).

    exclusions: array-like of (profile_row, vacancy_row) pairs that are never listed.
    shard: (i, n) restricts the run to the i-th of n contiguous profile ranges; combine the shard results
        with :func:`merge_vacancy_topk`.
    threads: worker threads (default: the CPUs this process may use).
    block_size / pool_capacity: tuning knobs (profiles per block, per-vacancy pool slots); results do not
        depend on them.
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    if vacancy_matrix.n_skills != profile_matrix.n_skills or vacancy_matrix.idf is not profile_matrix.idf:
        raise ValueError("vacancy_matrix was built for another profile matrix")
    p0, p1 = shard_bounds(profile_matrix.n, shard)
    threads = default_threads() if threads is None else max(1, int(threads))
    run = _Run(profile_matrix, vacancy_matrix, weights, int(k), exclusions, p0, p1, threads, block_size,
               pool_capacity)
    return run.run()


def merge_vacancy_topk(results: list[TopKResult], k: int | None = None) -> TopKResult:
    """Combine shard results into the result of one unsharded run: vacancy lists are merged by
    (score desc, profile id asc) and cut at k; profile lists are concatenated in shard order."""
    if not results:
        raise ValueError("no results to merge")
    results = sorted(results, key=lambda r: r.profile_rows.start)
    k = results[0].k if k is None else int(k)
    for prev, nxt in zip(results, results[1:], strict=False):
        if prev.profile_rows.stop != nxt.profile_rows.start:
            raise ValueError("shard results must cover contiguous, non-overlapping profile ranges")
    n_v = results[0].vacancy_top.shape[0]
    rows = np.concatenate([r.vacancy_top for r in results], axis=1)
    ids = np.concatenate([r.vacancy_top_ids for r in results], axis=1)
    units = np.rint(np.concatenate([r.vacancy_scores for r in results], axis=1) * 1e6).astype(np.int64)
    valid = rows >= 0
    # order: valid first, score desc, id asc
    order = np.lexsort((ids, -units, ~valid), axis=1)[:, :k]
    take = lambda a: np.take_along_axis(a, order, axis=1)  # noqa: E731
    v_rows, v_ids, v_units, v_valid = take(rows), take(ids), take(units), take(valid)
    if v_rows.shape[1] < k:
        pad = k - v_rows.shape[1]
        v_rows = np.pad(v_rows, ((0, 0), (0, pad)), constant_values=-1)
        v_ids = np.pad(v_ids, ((0, 0), (0, pad)), constant_values=-1)
        v_units = np.pad(v_units, ((0, 0), (0, pad)))
        v_valid = np.pad(v_valid, ((0, 0), (0, pad)))
        order = np.pad(order, ((0, 0), (0, pad)))
    comps = []
    for name in Components.NAMES:
        allc = np.concatenate([getattr(r.vacancy_components, name) for r in results], axis=1)
        c = np.take_along_axis(allc, order[:, :k], axis=1) if allc.shape[1] else np.zeros((n_v, k), np.float32)
        comps.append(np.where(v_valid, c, 0.0).astype(np.float32))
    stats = {"merged_shards": len(results)}
    return TopKResult(
        k=k, weights_version=results[0].weights_version,
        profile_rows=range(results[0].profile_rows.start, results[-1].profile_rows.stop),
        vacancy_top=np.where(v_valid, v_rows, -1).astype(np.int32), vacancy_top_ids=np.where(v_valid, v_ids, -1),
        vacancy_scores=np.where(v_valid, v_units / 1e6, 0.0), vacancy_counts=v_valid.sum(axis=1).astype(np.int32),
        vacancy_components=Components(*comps),
        profile_top=np.concatenate([r.profile_top for r in results]),
        profile_top_ids=np.concatenate([r.profile_top_ids for r in results]),
        profile_scores=np.concatenate([r.profile_scores for r in results]),
        profile_counts=np.concatenate([r.profile_counts for r in results]),
        profile_components=Components(*[np.concatenate([getattr(r.profile_components, n) for r in results])
                                        for n in Components.NAMES]),
        stats=stats,
    )
