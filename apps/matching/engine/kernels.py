"""Compiled inner loops of the full rematch (numba, nopython, GIL released).

``screen_block`` fuses what the screening step used to do as separate NumPy passes over a
(vacancies x block) tile: the two sparse x dense products (required credit on the int16 grid and the
float32 rest), their product, the exclusions, the group maxima of the profile direction and the comparison
against each vacancy's running threshold of the vacancy direction. Each vacancy row of the tile is computed
once in registers/L1 and written once, instead of being written and re-read by five NumPy calls.

The arithmetic is the one ``operators.py`` documents, on the same operands. Sums run two (required part)
or four (the rest) entries at a time, and fused multiply-adds are allowed (``contract``): the required part
stays exact (integers below 2**24 in float32), and the float32 bound of the rest holds for any order of
summation of its non-negative terms, so the error margin proven there still bounds every screened score;
the top-k lists are identical to those of the NumPy/scipy screening this replaced (bench data, 100k x
20k). ``nnan`` lets the maxima vectorise: no score is ever NaN. Numba compiles for the CPU it runs on
(AVX2 / AVX-512 where present) and caches the machine code next to this file (``NUMBA_CACHE_DIR`` moves
it).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, fastmath={"nnan", "contract"}, boundscheck=False)
def screen_block(v_start, n_v, n_v_pad, g, yr_indptr, yr_indices, yr_data, r_pre, yq_indptr, yq_indices, yq_data,
                 q_pre, x, xr, theta, unseen, k, margin, ex_v, ex_p, t, gmax, cand_v, cand_p, cand_val, n_cand,
                 raised_v, raised_val, n_raised):
    """Screen vacancy rows ``v_start..n_v_pad`` of one block of profiles (columns of ``x``/``xr``).

    Writes the tile ``t`` (n_v_pad, nb) and the group maxima ``gmax`` (n_v_pad // g, nb); appends the pairs
    whose screened score reaches the vacancy's threshold to ``cand_*`` (from position ``n_cand``) and, for
    vacancies no block has seen yet (``unseen``), the block-local threshold (k-th best minus the margin) to
    ``raised_*``. ``ex_v``/``ex_p`` are the block's exclusions sorted by vacancy row (profile as a column).

    Stops before a group of rows whose candidates might not fit the candidate buffers and returns
    ``(next_row, n_cand, n_raised)``: the caller grows the buffers and calls again from ``next_row``
    (``next_row == n_v_pad`` when done). ``v_start`` must be a multiple of ``g``.
    """
    nb = x.shape[1]
    cap = cand_v.shape[0]
    acc_r = np.empty(nb, dtype=np.float32)  # integers below 2**15: exact in float32, as on the int16 grid
    acc_q = np.empty(nb, dtype=np.float32)
    e = np.searchsorted(ex_v, v_start)
    n_ex = ex_v.shape[0]
    use_unseen = nb > k
    for v in range(v_start, n_v_pad):
        if v % g == 0 and n_cand + g * nb > cap:
            return v, n_cand, n_raised
        row = t[v]
        row_max = np.float32(0.0)
        if v < n_v:
            r0 = np.float32(r_pre[v])
            for j in range(nb):
                acc_r[j] = r0
            p, pe = yr_indptr[v], yr_indptr[v + 1]
            while p + 2 <= pe:  # two entries per pass over the accumulator
                d0, d1 = np.float32(yr_data[p]), np.float32(yr_data[p + 1])
                x0, x1 = xr[yr_indices[p]], xr[yr_indices[p + 1]]
                for j in range(nb):
                    acc_r[j] += d0 * np.float32(x0[j]) + d1 * np.float32(x1[j])
                p += 2
            if p < pe:
                d0 = np.float32(yr_data[p])
                x0 = xr[yr_indices[p]]
                for j in range(nb):
                    acc_r[j] += d0 * np.float32(x0[j])
            q0 = q_pre[v]
            for j in range(nb):
                acc_q[j] = q0
            p, pe = yq_indptr[v], yq_indptr[v + 1]
            while p + 4 <= pe:  # four entries per pass over the accumulator
                d0, d1, d2, d3 = yq_data[p], yq_data[p + 1], yq_data[p + 2], yq_data[p + 3]
                x0, x1 = x[yq_indices[p]], x[yq_indices[p + 1]]
                x2, x3 = x[yq_indices[p + 2]], x[yq_indices[p + 3]]
                for j in range(nb):
                    acc_q[j] += (d0 * x0[j] + d1 * x1[j]) + (d2 * x2[j] + d3 * x3[j])
                p += 4
            while p < pe:
                d0 = yq_data[p]
                x0 = x[yq_indices[p]]
                for j in range(nb):
                    acc_q[j] += d0 * x0[j]
                p += 1
            for j in range(nb):
                val = acc_r[j] * acc_q[j]
                row[j] = val
                row_max = max(row_max, val)
            while e < n_ex and ex_v[e] == v:
                row[ex_p[e]] = 0.0
                e += 1
        else:
            for j in range(nb):
                row[j] = 0.0
        grow = gmax[v // g]
        if v % g == 0:
            for j in range(nb):
                grow[j] = row[j]
        else:
            for j in range(nb):
                grow[j] = max(grow[j], row[j])
        if v >= n_v:
            continue
        thr = theta[v]
        if use_unseen and unseen[v]:
            kth = np.partition(row.copy(), nb - k)[nb - k] - margin
            raised_v[n_raised] = v
            raised_val[n_raised] = kth
            n_raised += 1
            if kth > thr:
                thr = kth
        if row_max < thr:  # most rows: no pair reaches the threshold (an excluded pair only lowers the max)
            continue
        for j in range(nb):
            if row[j] >= thr:
                cand_v[n_cand] = v
                cand_p[n_cand] = j
                cand_val[n_cand] = row[j]
                n_cand += 1
    return n_v_pad, n_cand, n_raised


@njit(cache=True, nogil=True, fastmath={"nnan"}, boundscheck=False)
def profile_candidates(t, gmax, r, k, margin, floor, out_col, out_v, out_val, cmax_scratch):
    """Profile direction of one block: for every profile column ``j`` of the tile ``t`` (n_v_pad, nb), the
    vacancies that may be in its exact top-k, i.e. the k best screened scores plus everything within
    ``margin`` of the k-th (scores below ``floor`` are never listed).

    The k-th largest maximum of the coarse groups (``r`` consecutive fine groups of ``gmax``) is a lower
    bound of the k-th best score, so only fine groups whose maximum reaches it minus the margin are read.
    Everything is read row by row (the tile's memory order). Writes (column, vacancy row, screened score)
    by ascending column and returns their count; if the buffers are too small nothing is kept and
    ``-needed`` is returned. ``cmax_scratch`` is a float32 scratch of shape (n_coarse, nb).
    """
    n_v_pad, nb = t.shape
    n_groups = gmax.shape[0]
    if n_groups == 0:
        return 0
    g = n_v_pad // n_groups
    n_coarse = n_groups // r
    thp = np.full(nb, floor, dtype=np.float32)
    if n_coarse > k:
        cmax = cmax_scratch[:n_coarse]  # (n_coarse, nb), built row by row
        for c in range(n_coarse):
            base = c * r
            crow = cmax[c]
            first = gmax[base]
            for j in range(nb):
                crow[j] = first[j]
            for i in range(1, r):
                grow = gmax[base + i]
                for j in range(nb):
                    crow[j] = max(crow[j], grow[j])
        column = np.empty(n_coarse, dtype=np.float32)
        for j in range(nb):
            for c in range(n_coarse):
                column[c] = cmax[c, j]
            kth = np.partition(column, n_coarse - k)[n_coarse - k] - margin
            if kth > thp[j]:
                thp[j] = kth
    # pass 1: how many screened scores reach each column's threshold
    count = np.zeros(nb + 1, dtype=np.int64)
    for gi in range(n_groups):
        grow = gmax[gi]
        for j in range(nb):
            if grow[j] >= thp[j]:
                for v in range(gi * g, gi * g + g):
                    if t[v, j] >= thp[j]:
                        count[j + 1] += 1
    for j in range(nb):
        count[j + 1] += count[j]
    total = count[nb]
    if total > out_col.shape[0]:
        return -total
    # pass 2: fill per column, then keep the k best plus everything within the margin of the k-th
    fill = count[:nb].copy()
    for gi in range(n_groups):
        grow = gmax[gi]
        for j in range(nb):
            if grow[j] >= thp[j]:
                for v in range(gi * g, gi * g + g):
                    val = t[v, j]
                    if val >= thp[j]:
                        out_v[fill[j]] = v
                        out_val[fill[j]] = val
                        fill[j] += 1
    n_out = 0
    for j in range(nb):
        lo, hi = count[j], count[j + 1]
        n = hi - lo
        keep = thp[j]
        if n > k:
            kth_c = np.partition(out_val[lo:hi].copy(), n - k)[n - k] - margin
            if kth_c > keep:
                keep = kth_c
        for i in range(lo, hi):
            if out_val[i] >= keep:
                out_col[n_out] = j
                out_v[n_out] = out_v[i]
                n_out += 1
    return n_out
