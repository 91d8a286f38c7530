"""Input and output containers of the matching engine: frozen dataclasses of numpy arrays.

Conventions
-----------
* Skills are indexed ``0 .. n_skills-1``; languages have their own index space ``0 .. n_languages-1``;
  locations are indices ``>= 0`` (``-1`` = the vacancy has no location); job types are small integers
  ``0 .. 62`` and a preference for job types or markets is a bitmask (bit ``j`` = job type / market ``j``;
  ``0`` = "any").
* Variable-length per-row data is CSR: ``*_indptr`` has ``n + 1`` entries and row ``i`` owns
  ``[indptr[i], indptr[i+1])`` of the value arrays. Order inside a row does not matter, but an index
  may appear at most once per row (a skill twice in one profile is an error).
* Skill levels are 1..5; language levels are CEFR 1..6 (A1..C2).
* ``ids`` are the stable external keys (database primary keys). They are only used to break ties
  (lower id first) and to label results; they need not be sorted but must be unique.

The Django side (``apps.matching.loaders``) builds these directly; any other object with
those attributes can be passed to :meth:`Profiles.coerce` / :meth:`Vacancies.coerce`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

import numpy as np
import scipy.sparse as sp

MAX_SKILL_LEVEL = 5
MAX_CEFR_LEVEL = 6
MAX_JOB_TYPE = 62  # job types are bits of an int64 mask

_I64 = np.int64


def _arr(value, dtype) -> np.ndarray:
    out = np.ascontiguousarray(np.asarray(value), dtype=dtype)
    if out.ndim != 1:
        raise ValueError("engine arrays must be one-dimensional")
    return out


def _check_indptr(name: str, indptr: np.ndarray, n: int, nnz: int) -> None:
    if indptr.shape[0] != n + 1:
        raise ValueError(f"{name} must have n+1={n + 1} entries, got {indptr.shape[0]}")
    if indptr[0] != 0 or indptr[-1] != nnz or np.any(np.diff(indptr) < 0):
        raise ValueError(f"{name} is not a valid CSR index pointer for {nnz} values")


def _check_range(name: str, values: np.ndarray, lo: int, hi: int) -> None:
    if values.size and (values.min() < lo or values.max() > hi):
        raise ValueError(f"{name} must be in [{lo}, {hi}]")


def _check_unique_per_row(name: str, indptr: np.ndarray, idx: np.ndarray) -> None:
    if idx.size < 2:
        return
    n = indptr.shape[0] - 1
    same_row = np.ones(idx.shape[0], dtype=bool)
    same_row[indptr[1:-1][indptr[1:-1] < idx.shape[0]]] = False  # first entry of each row starts a new row
    same_row[0] = False
    if np.any(same_row[1:] & (idx[1:] < idx[:-1])):  # not sorted inside rows: sort each row (scipy, C++)
        m = sp.csr_matrix((np.ones(idx.shape[0], dtype=np.int8), idx.astype(np.int64), indptr),
                          shape=(n, int(idx.max()) + 1))
        m.has_sorted_indices = False
        m.sort_indices()
        idx = m.indices
    if np.any(same_row[1:] & (idx[1:] == idx[:-1])):
        raise ValueError(f"{name}: an index appears twice in the same row")


def _csr_from_lists(rows: list[list]) -> tuple[np.ndarray, list]:
    indptr = np.zeros(len(rows) + 1, dtype=_I64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    flat = [item for r in rows for item in r]
    return indptr, flat


@dataclass(frozen=True, eq=False)
class Profiles:
    """Student profiles (``n`` rows).

    ids: int64 (n,) external keys.
    skill_indptr/skill_idx/skill_level: CSR of (skill index, level 1..5).
    lang_indptr/lang_idx/lang_level: CSR of (language index, CEFR 1..6).
    loc_indptr/loc_idx: CSR of preferred location indices; an empty row means "anywhere".
    remote_ok: bool (n,) the student accepts remote work.
    pref_job_types: int64 (n,) bitmask of acceptable job types, 0 = any.
    pref_markets: int64 (n,) bitmask of preferred markets, 0 = any.
    """

    ids: np.ndarray
    skill_indptr: np.ndarray
    skill_idx: np.ndarray
    skill_level: np.ndarray
    lang_indptr: np.ndarray
    lang_idx: np.ndarray
    lang_level: np.ndarray
    loc_indptr: np.ndarray
    loc_idx: np.ndarray
    remote_ok: np.ndarray
    pref_job_types: np.ndarray
    pref_markets: np.ndarray

    def __post_init__(self):
        conv = {
            "ids": _I64, "skill_indptr": _I64, "skill_idx": np.int32, "skill_level": np.int8,
            "lang_indptr": _I64, "lang_idx": np.int32, "lang_level": np.int8,
            "loc_indptr": _I64, "loc_idx": np.int32, "remote_ok": np.bool_,
            "pref_job_types": _I64, "pref_markets": _I64,
        }
        for name, dtype in conv.items():
            object.__setattr__(self, name, _arr(getattr(self, name), dtype))
        n = self.ids.shape[0]
        _check_indptr("skill_indptr", self.skill_indptr, n, self.skill_idx.shape[0])
        _check_indptr("lang_indptr", self.lang_indptr, n, self.lang_idx.shape[0])
        _check_indptr("loc_indptr", self.loc_indptr, n, self.loc_idx.shape[0])
        for name in ("remote_ok", "pref_job_types", "pref_markets"):
            if getattr(self, name).shape[0] != n:
                raise ValueError(f"{name} must have {n} entries")
        if self.skill_level.shape != self.skill_idx.shape or self.lang_level.shape != self.lang_idx.shape:
            raise ValueError("index and level arrays must have the same length")

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    def validate(self, n_skills: int, n_languages: int) -> None:
        """Raise ValueError if an index or level is out of range, or an index repeats in a row."""
        _check_range("skill_idx", self.skill_idx, 0, n_skills - 1)
        _check_range("skill_level", self.skill_level, 1, MAX_SKILL_LEVEL)
        _check_range("lang_idx", self.lang_idx, 0, n_languages - 1)
        _check_range("lang_level", self.lang_level, 1, MAX_CEFR_LEVEL)
        _check_range("loc_idx", self.loc_idx, 0, np.iinfo(np.int32).max)
        if np.any(self.pref_job_types < 0) or np.any(self.pref_markets < 0):
            raise ValueError("bitmasks must be non-negative")
        if np.unique(self.ids).shape[0] != self.n:
            raise ValueError("profile ids must be unique")
        _check_unique_per_row("skill_idx", self.skill_indptr, self.skill_idx)
        _check_unique_per_row("lang_idx", self.lang_indptr, self.lang_idx)

    @classmethod
    def coerce(cls, obj) -> Profiles:
        """Return ``obj`` if it is Profiles, else build one from an object with the same attribute names."""
        if isinstance(obj, cls):
            return obj
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})

    @classmethod
    def from_records(cls, records: Iterable[Mapping]) -> Profiles:
        """Build from dicts: ``{"id", "skills": {idx: level}, "languages": {idx: level}, "locations": [idx],
        "remote_ok": bool, "job_types": mask, "markets": mask}`` (all but ``id`` optional)."""
        records = list(records)
        s_ptr, s = _csr_from_lists([sorted(dict(r.get("skills", {})).items()) for r in records])
        l_ptr, lg = _csr_from_lists([sorted(dict(r.get("languages", {})).items()) for r in records])
        c_ptr, c = _csr_from_lists([list(r.get("locations", [])) for r in records])
        return cls(
            ids=[r["id"] for r in records],
            skill_indptr=s_ptr, skill_idx=[a for a, _ in s], skill_level=[b for _, b in s],
            lang_indptr=l_ptr, lang_idx=[a for a, _ in lg], lang_level=[b for _, b in lg],
            loc_indptr=c_ptr, loc_idx=c,
            remote_ok=[bool(r.get("remote_ok", False)) for r in records],
            pref_job_types=[int(r.get("job_types", 0)) for r in records],
            pref_markets=[int(r.get("markets", 0)) for r in records],
        )

    def take(self, rows) -> Profiles:
        """A new Profiles with the given rows (in that order)."""
        rows = np.asarray(rows, dtype=_I64)
        s_ptr, s_sel = _take_csr(self.skill_indptr, rows)
        l_ptr, l_sel = _take_csr(self.lang_indptr, rows)
        c_ptr, c_sel = _take_csr(self.loc_indptr, rows)
        return Profiles(
            ids=self.ids[rows], skill_indptr=s_ptr, skill_idx=self.skill_idx[s_sel],
            skill_level=self.skill_level[s_sel], lang_indptr=l_ptr, lang_idx=self.lang_idx[l_sel],
            lang_level=self.lang_level[l_sel], loc_indptr=c_ptr, loc_idx=self.loc_idx[c_sel],
            remote_ok=self.remote_ok[rows], pref_job_types=self.pref_job_types[rows],
            pref_markets=self.pref_markets[rows],
        )


@dataclass(frozen=True, eq=False)
class Vacancies:
    """Vacancies (``n`` rows).

    ids: int64 (n,) external keys.
    req_indptr/req_idx/req_min_level/req_weight: CSR of required skills (index, minimum level 1..5, weight > 0).
    opt_indptr/opt_idx/opt_min_level/opt_weight: CSR of optional skills, same shape. A skill may be both
        required and optional; its similarity weight is then the sum of both weights.
    lang_indptr/lang_idx/lang_min_level: CSR of required languages (index, minimum CEFR 1..6).
    location: int64 (n,) location index, -1 = none.
    remote: bool (n,) the job can be done remotely.
    job_type: int64 (n,) job type 0..62.
    markets: int64 (n,) bitmask of the markets the job serves, 0 = unspecified (matches any preference).
    """

    ids: np.ndarray
    req_indptr: np.ndarray
    req_idx: np.ndarray
    req_min_level: np.ndarray
    req_weight: np.ndarray
    opt_indptr: np.ndarray
    opt_idx: np.ndarray
    opt_min_level: np.ndarray
    opt_weight: np.ndarray
    lang_indptr: np.ndarray
    lang_idx: np.ndarray
    lang_min_level: np.ndarray
    location: np.ndarray
    remote: np.ndarray
    job_type: np.ndarray
    markets: np.ndarray

    def __post_init__(self):
        conv = {
            "ids": _I64, "req_indptr": _I64, "req_idx": np.int32, "req_min_level": np.int8,
            "req_weight": np.float64, "opt_indptr": _I64, "opt_idx": np.int32, "opt_min_level": np.int8,
            "opt_weight": np.float64, "lang_indptr": _I64, "lang_idx": np.int32, "lang_min_level": np.int8,
            "location": _I64, "remote": np.bool_, "job_type": _I64, "markets": _I64,
        }
        for name, dtype in conv.items():
            object.__setattr__(self, name, _arr(getattr(self, name), dtype))
        n = self.ids.shape[0]
        _check_indptr("req_indptr", self.req_indptr, n, self.req_idx.shape[0])
        _check_indptr("opt_indptr", self.opt_indptr, n, self.opt_idx.shape[0])
        _check_indptr("lang_indptr", self.lang_indptr, n, self.lang_idx.shape[0])
        for name in ("location", "remote", "job_type", "markets"):
            if getattr(self, name).shape[0] != n:
                raise ValueError(f"{name} must have {n} entries")
        for a, b, c in (("req_idx", "req_min_level", "req_weight"), ("opt_idx", "opt_min_level", "opt_weight")):
            if not (getattr(self, a).shape == getattr(self, b).shape == getattr(self, c).shape):
                raise ValueError(f"{a}, {b} and {c} must have the same length")
        if self.lang_idx.shape != self.lang_min_level.shape:
            raise ValueError("lang_idx and lang_min_level must have the same length")

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    def validate(self, n_skills: int, n_languages: int) -> None:
        """Raise ValueError if an index, level or weight is out of range, or an index repeats in a row."""
        for p in ("req", "opt"):
            _check_range(f"{p}_idx", getattr(self, f"{p}_idx"), 0, n_skills - 1)
            _check_range(f"{p}_min_level", getattr(self, f"{p}_min_level"), 1, MAX_SKILL_LEVEL)
            w = getattr(self, f"{p}_weight")
            if not np.all(np.isfinite(w)) or np.any(w <= 0):
                raise ValueError(f"{p}_weight must be finite and > 0")
            _check_unique_per_row(f"{p}_idx", getattr(self, f"{p}_indptr"), getattr(self, f"{p}_idx"))
        _check_range("lang_idx", self.lang_idx, 0, n_languages - 1)
        _check_range("lang_min_level", self.lang_min_level, 1, MAX_CEFR_LEVEL)
        _check_unique_per_row("lang_idx", self.lang_indptr, self.lang_idx)
        _check_range("location", self.location, -1, np.iinfo(np.int32).max)
        _check_range("job_type", self.job_type, 0, MAX_JOB_TYPE)
        if np.any(self.markets < 0):
            raise ValueError("markets must be non-negative")
        if np.unique(self.ids).shape[0] != self.n:
            raise ValueError("vacancy ids must be unique")

    @classmethod
    def coerce(cls, obj) -> Vacancies:
        """Return ``obj`` if it is Vacancies, else build one from an object with the same attribute names."""
        if isinstance(obj, cls):
            return obj
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})

    @classmethod
    def from_records(cls, records: Iterable[Mapping]) -> Vacancies:
        """Build from dicts: ``{"id", "required": [(idx, min_level, weight)], "optional": [...],
        "languages": [(idx, min_cefr)], "location": idx or -1, "remote": bool, "job_type": int,
        "markets": mask}`` (all but ``id`` optional)."""
        records = list(records)
        r_ptr, r = _csr_from_lists([list(x.get("required", [])) for x in records])
        o_ptr, o = _csr_from_lists([list(x.get("optional", [])) for x in records])
        l_ptr, lg = _csr_from_lists([list(x.get("languages", [])) for x in records])
        return cls(
            ids=[x["id"] for x in records],
            req_indptr=r_ptr, req_idx=[a for a, _, _ in r], req_min_level=[b for _, b, _ in r],
            req_weight=[c for _, _, c in r],
            opt_indptr=o_ptr, opt_idx=[a for a, _, _ in o], opt_min_level=[b for _, b, _ in o],
            opt_weight=[c for _, _, c in o],
            lang_indptr=l_ptr, lang_idx=[a for a, _ in lg], lang_min_level=[b for _, b in lg],
            location=[int(x.get("location", -1)) for x in records],
            remote=[bool(x.get("remote", False)) for x in records],
            job_type=[int(x.get("job_type", 0)) for x in records],
            markets=[int(x.get("markets", 0)) for x in records],
        )

    def take(self, rows) -> Vacancies:
        """A new Vacancies with the given rows (in that order)."""
        rows = np.asarray(rows, dtype=_I64)
        r_ptr, r_sel = _take_csr(self.req_indptr, rows)
        o_ptr, o_sel = _take_csr(self.opt_indptr, rows)
        l_ptr, l_sel = _take_csr(self.lang_indptr, rows)
        return Vacancies(
            ids=self.ids[rows], req_indptr=r_ptr, req_idx=self.req_idx[r_sel],
            req_min_level=self.req_min_level[r_sel], req_weight=self.req_weight[r_sel],
            opt_indptr=o_ptr, opt_idx=self.opt_idx[o_sel], opt_min_level=self.opt_min_level[o_sel],
            opt_weight=self.opt_weight[o_sel], lang_indptr=l_ptr, lang_idx=self.lang_idx[l_sel],
            lang_min_level=self.lang_min_level[l_sel], location=self.location[rows], remote=self.remote[rows],
            job_type=self.job_type[rows], markets=self.markets[rows],
        )


def _take_csr(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR row selection: the new indptr and the positions of the selected values."""
    counts = (indptr[rows + 1] - indptr[rows]).astype(_I64)
    new_ptr = np.zeros(rows.shape[0] + 1, dtype=_I64)
    np.cumsum(counts, out=new_ptr[1:])
    total = int(new_ptr[-1])
    pos = np.arange(total, dtype=_I64) - np.repeat(new_ptr[:-1] - indptr[rows], counts)
    return new_ptr, pos


@dataclass(frozen=True, eq=False)
class Components:
    """Score components of listed pairs; every array has the shape of the list it belongs to."""

    required: np.ndarray
    optional: np.ndarray
    similarity: np.ndarray
    language: np.ndarray
    preference: np.ndarray

    NAMES = ("required", "optional", "similarity", "language", "preference")


@dataclass(frozen=True, eq=False)
class TopKResult:
    """Exact top-k lists in both directions.

    Vacancy direction (one row per vacancy, ``n_vacancies x k``):
        vacancy_top: int32 profile rows (into the ProfileMatrix), -1 padded.
        vacancy_top_ids: int64 profile ids, -1 padded.
        vacancy_scores: float64 quantised scores (multiples of 1e-6), 0.0 padded.
        vacancy_counts: int32 number of listed profiles per vacancy (pairs with score 0 are never listed).
        vacancy_components: Components of the listed pairs (float32, 0 padded).
    Profile direction (one row per profile of ``profile_rows``, ``len(profile_rows) x k``):
        profile_top / profile_top_ids / profile_scores / profile_counts / profile_components: same, with
        vacancy rows and ids.
    Ordering inside a row: score descending, then id ascending. ``profile_rows`` is the range of profiles
    the run covered (all of them, or one shard); the vacancy lists only contain profiles from that range.
    """

    k: int
    weights_version: str
    profile_rows: range
    vacancy_top: np.ndarray
    vacancy_top_ids: np.ndarray
    vacancy_scores: np.ndarray
    vacancy_counts: np.ndarray
    vacancy_components: Components
    profile_top: np.ndarray
    profile_top_ids: np.ndarray
    profile_scores: np.ndarray
    profile_counts: np.ndarray
    profile_components: Components
    stats: dict


@dataclass(frozen=True, eq=False)
class RowTopK:
    """Top-k of one vacancy (over profiles) or one profile (over vacancies), as returned by the incremental
    functions: ``rows`` index the other side's matrix, ``ids`` are its ids; ordered like TopKResult rows."""

    rows: np.ndarray
    ids: np.ndarray
    scores: np.ndarray
    components: Components


@dataclass(frozen=True)
class SkillMatch:
    """One skill of a vacancy seen from a profile: ``have`` is 0 when the profile lacks the skill."""

    skill: int
    have: int
    need: int
    weight: float
    credit: float

    @property
    def gap(self) -> int:
        return max(0, self.need - self.have)


@dataclass(frozen=True)
class LanguageMatch:
    language: int
    have: int
    need: int
    credit: float

    @property
    def gap(self) -> int:
        return max(0, self.need - self.have)


@dataclass(frozen=True)
class Explanation:
    """Why a profile scores what it does against a vacancy.

    ``required``..``preference`` are the components in [0, 1]; ``total`` the raw score and ``score`` the
    quantised one (what top_k lists). ``matched_*`` hold skills met at or above the minimum level,
    ``missing_*`` the others (with ``gap`` = levels short; half credit when one level short).
    """

    profile_id: int
    vacancy_id: int
    weights_version: str
    required: float
    optional: float
    similarity: float
    language: float
    preference: float
    total: float
    score: float
    matched_required: tuple[SkillMatch, ...]
    missing_required: tuple[SkillMatch, ...]
    matched_optional: tuple[SkillMatch, ...]
    missing_optional: tuple[SkillMatch, ...]
    languages_met: tuple[LanguageMatch, ...]
    languages_missing: tuple[LanguageMatch, ...]
    location_ok: bool
    job_type_ok: bool
    market_ok: bool

    @property
    def components(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in Components.NAMES}
