"""Load profiles and vacancies from the database as numpy arrays for the engine.

On PostgreSQL the big tables are read with ``COPY ... TO STDOUT (FORMAT BINARY)`` and parsed by numpy
in one go (fixed-width, non-null columns); elsewhere through the DB-API cursor. Skill, language,
location, job-type and market codes are mapped to dense indices here, so the engine sees only
integers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils import timezone

from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill, VacancyStatus
from apps.matching.engine.types import Profiles, Vacancies
from apps.skills.models import Location, Market, Skill
from apps.talent.models import JobType, ProfileLanguage, ProfileSkill, StudentProfile, Visibility

_PG_TYPES = {"i8": ">i8", "i4": ">i4", "i2": ">i2", "f8": ">f8", "b": "?"}


_PG_SEND = {"i8": ("int8send", "int8"), "i4": ("int4send", "int4"), "i2": ("int2send", "int2"),
            "f8": ("float8send", "float8"), "b": ("boolsend", "bool")}


def fetch_columns(sql: str, params: list, columns: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Run ``sql`` and return its columns as numpy arrays; ``columns`` = [(name, kind)] with kind in
    i8/i4/i2/f8/b, in the order the query selects them. Values must be non-null.

    On PostgreSQL the server packs every row into one ``bytea`` (``string_agg`` of the binary send
    functions), so a million rows reach numpy as one buffer instead of a million Python objects.
    """
    if connection.vendor == "postgresql":
        names = [f"c{i}" for i in range(len(columns))]
        packed = " || ".join(f"{_PG_SEND[kind][0]}(q.{n}::{_PG_SEND[kind][1]})"
                             for n, (_, kind) in zip(names, columns, strict=True))
        query = f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS q({', '.join(names)})"  # noqa: S608  # nosec B608 # identifiers from models, values are params
        with connection.cursor() as cursor:
            cursor.execute(query, params or None)
            data = cursor.fetchone()[0]
        dtype = np.dtype([(name, _PG_TYPES[kind]) for name, kind in columns])
        rows = np.frombuffer(bytes(data), dtype=dtype) if data else np.empty(0, dtype=dtype)
        return {name: rows[name].astype(np.dtype(_PG_TYPES[kind]).newbyteorder("=")) for name, kind in columns}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    out = {}
    for i, (name, kind) in enumerate(columns):
        dtype = {"i8": np.int64, "i4": np.int32, "i2": np.int16, "f8": np.float64, "b": np.bool_}[kind]
        out[name] = np.fromiter((r[i] for r in records), dtype=dtype, count=len(records))
    return out


def _only(columns: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """The rows of ``columns`` where ``keep`` is true."""
    return {name: values[keep] for name, values in columns.items()}


def _csr(row_of: np.ndarray, n_rows: int, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Group values by row (stable) into CSR form: (indptr, *values sorted by row)."""
    order = np.argsort(row_of, kind="stable")
    counts = np.bincount(row_of, minlength=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return (indptr, *(v[order] for v in values))


@dataclass
class Vocabulary:
    """Dense indices for skills, languages, locations, job types and markets."""

    skill_ids: np.ndarray  # index -> Skill.pk
    language_ids: np.ndarray
    location_codes: list[str]
    job_types: list[str]
    market_codes: list[str]

    @classmethod
    def build(cls) -> Vocabulary:
        return cls(
            skill_ids=np.array(sorted(Skill.objects.filter(is_language=False).values_list("pk", flat=True)),
                               dtype=np.int64),
            language_ids=np.array(sorted(Skill.objects.filter(is_language=True).values_list("pk", flat=True)),
                                  dtype=np.int64),
            location_codes=list(Location.objects.order_by("pk").values_list("code", flat=True)),
            job_types=list(JobType.values),
            market_codes=list(Market.objects.order_by("pk").values_list("code", flat=True)),
        )

    @staticmethod
    def _known(vocabulary: np.ndarray, pks: np.ndarray) -> np.ndarray:
        pos = np.minimum(np.searchsorted(vocabulary, pks), max(vocabulary.size - 1, 0))
        return (vocabulary[pos] == pks) if vocabulary.size else np.zeros(pks.shape, dtype=bool)

    def known_skills(self, skill_pks: np.ndarray) -> np.ndarray:
        """Which of these skills the vocabulary has (a run's frozen vocabulary lacks skills added later)."""
        return self._known(self.skill_ids, skill_pks)

    def known_languages(self, language_pks: np.ndarray) -> np.ndarray:
        return self._known(self.language_ids, language_pks)

    def skill_index(self, skill_pks: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.skill_ids, skill_pks)

    def language_index(self, language_pks: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.language_ids, language_pks)

    def bitmask(self, codes, vocabulary: list[str]) -> int:
        mask = 0
        for code in codes or []:
            if code in vocabulary:
                mask |= 1 << vocabulary.index(code)
        return mask


# The loaders return the engine's own input types, so there is one definition of the arrays.
ProfileArrays = Profiles
VacancyArrays = Vacancies


def matchable_profiles_sql(profile_ids: list[int] | None = None) -> tuple[str, list]:
    profile = StudentProfile._meta.db_table
    from apps.accounts.models import User

    user = User._meta.db_table
    sql = (f"SELECT p.id FROM {profile} p JOIN {user} u ON u.id = p.user_id "  # noqa: S608  # nosec B608 # table names from models
           f"WHERE p.visibility = %s AND p.matching_opt_in AND u.is_active")
    params: list = [Visibility.FIRMS]
    if profile_ids is not None:
        sql += " AND p.id IN (" + ",".join(str(int(i)) for i in profile_ids) + ")" if profile_ids else " AND 1=0"
    return sql, params


def load_profiles(vocab: Vocabulary, profile_ids: list[int] | None = None) -> ProfileArrays:
    """Matchable profiles (visible, opted in, active user), ordered by id; all of them or the given ids."""
    base_sql, params = matchable_profiles_sql(profile_ids)
    ids = fetch_columns(base_sql + " ORDER BY p.id", params, [("id", "i8")])["id"]
    n = ids.shape[0]
    prefs = {pk: row for pk, *row in StudentProfile.objects.filter(pk__in=ids.tolist()).values_list(
        "pk", "remote_ok", "pref_locations", "pref_job_types", "pref_markets")} if n <= 5000 else None
    if prefs is None:
        prefs = {}
        table = StudentProfile._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, remote_ok, pref_locations, pref_job_types, pref_markets FROM {table}")  # noqa: S608  # nosec B608 # identifiers from models, values are params
            for pk, remote_ok, locs, jobs, markets in cursor.fetchall():
                prefs[pk] = (remote_ok, *(json.loads(v) if isinstance(v, str) else v for v in (locs, jobs, markets)))
    remote_ok = np.zeros(n, dtype=bool)
    job_mask = np.zeros(n, dtype=np.int64)
    market_mask = np.zeros(n, dtype=np.int64)
    loc_rows, loc_vals = [], []
    loc_index = {code: i for i, code in enumerate(vocab.location_codes)}
    for row, pk in enumerate(ids.tolist()):
        remote, locs, jobs, markets = prefs[pk]
        remote_ok[row] = bool(remote)
        job_mask[row] = vocab.bitmask(jobs, vocab.job_types)
        market_mask[row] = vocab.bitmask(markets, vocab.market_codes)
        for code in locs or []:
            if code in loc_index:
                loc_rows.append(row)
                loc_vals.append(loc_index[code])
    loc_indptr, loc_idx = _csr(np.array(loc_rows, dtype=np.int64), n, np.array(loc_vals, dtype=np.int64))

    table = ProfileSkill._meta.db_table
    sub = base_sql
    skills = fetch_columns(
        f"SELECT s.profile_id, s.skill_id, s.level::smallint FROM {table} s WHERE s.profile_id IN ({sub})"  # noqa: S608  # nosec B608 # identifiers from models, values are params
        if connection.vendor == "postgresql" else
        f"SELECT s.profile_id, s.skill_id, s.level FROM {table} s WHERE s.profile_id IN ({sub})",  # noqa: S608  # nosec B608 # identifiers from models, values are params
        params, [("profile_id", "i8"), ("skill_id", "i8"), ("level", "i2")])
    skills = _only(skills, vocab.known_skills(skills["skill_id"]))
    rows = np.searchsorted(ids, skills["profile_id"])
    skill_indptr, skill_idx, skill_level = _csr(rows, n, vocab.skill_index(skills["skill_id"]),
                                                skills["level"].astype(np.int8))
    ltable = ProfileLanguage._meta.db_table
    langs = fetch_columns(
        f"SELECT l.profile_id, l.language_id, l.cefr::smallint FROM {ltable} l WHERE l.profile_id IN ({sub})"  # noqa: S608  # nosec B608 # identifiers from models, values are params
        if connection.vendor == "postgresql" else
        f"SELECT l.profile_id, l.language_id, l.cefr FROM {ltable} l WHERE l.profile_id IN ({sub})",  # noqa: S608  # nosec B608 # identifiers from models, values are params
        params, [("profile_id", "i8"), ("language_id", "i8"), ("cefr", "i2")])
    langs = _only(langs, vocab.known_languages(langs["language_id"]))
    rows = np.searchsorted(ids, langs["profile_id"])
    lang_indptr, lang_idx, lang_level = _csr(rows, n, vocab.language_index(langs["language_id"]),
                                             langs["cefr"].astype(np.int8))
    return ProfileArrays(ids=ids, skill_indptr=skill_indptr, skill_idx=skill_idx, skill_level=skill_level,
                         lang_indptr=lang_indptr, lang_idx=lang_idx, lang_level=lang_level, loc_indptr=loc_indptr,
                         loc_idx=loc_idx, remote_ok=remote_ok, pref_job_types=job_mask, pref_markets=market_mask)


def open_vacancy_ids(vacancy_ids: list[int] | None = None) -> list[int]:
    qs = Vacancy.objects.open()
    if vacancy_ids is not None:
        qs = qs.filter(pk__in=vacancy_ids)
    return sorted(qs.values_list("pk", flat=True))


def load_vacancies(vocab: Vocabulary, vacancy_ids: list[int] | None = None) -> VacancyArrays:
    """Open vacancies (status open, deadline not passed, approved firm), ordered by id."""
    id_list = open_vacancy_ids(vacancy_ids)
    ids = np.array(id_list, dtype=np.int64)
    n = ids.shape[0]
    loc_index = {code: i for i, code in enumerate(vocab.location_codes)}
    location = np.full(n, -1, dtype=np.int64)
    remote = np.zeros(n, dtype=bool)
    job_type = np.zeros(n, dtype=np.int64)
    markets = np.zeros(n, dtype=np.int64)
    fields = Vacancy.objects.filter(pk__in=id_list) if n <= 5000 else Vacancy.objects.filter(
        status=VacancyStatus.OPEN)
    for pk, loc, rem, jt, mk in fields.values_list("pk", "location", "remote", "job_type", "markets").iterator(
            chunk_size=5000):
        row = int(np.searchsorted(ids, pk))
        if row >= n or ids[row] != pk:
            continue
        location[row] = loc_index.get(loc, -1)
        remote[row] = bool(rem)
        job_type[row] = vocab.job_types.index(jt) if jt in vocab.job_types else 0
        markets[row] = vocab.bitmask(mk if isinstance(mk, list) else json.loads(mk or "[]"), vocab.market_codes)
    table = VacancySkill._meta.db_table
    where = "vacancy_id IN (" + ",".join(map(str, id_list)) + ")" if id_list else "1=0"
    cast = "::smallint" if connection.vendor == "postgresql" else ""
    skills = fetch_columns(
        f"SELECT vacancy_id, skill_id, min_level{cast}, weight, required FROM {table} WHERE {where}",  # noqa: S608  # nosec B608 # identifiers from models, values are params
        [], [("vacancy_id", "i8"), ("skill_id", "i8"), ("min_level", "i2"), ("weight", "f8"), ("required", "b")])
    skills = _only(skills, vocab.known_skills(skills["skill_id"]))
    rows = np.searchsorted(ids, skills["vacancy_id"])
    idx = vocab.skill_index(skills["skill_id"])
    req = skills["required"]
    req_indptr, req_idx, req_min, req_w = _csr(rows[req], n, idx[req], skills["min_level"][req].astype(np.int8),
                                               skills["weight"][req])
    opt = ~req
    opt_indptr, opt_idx, opt_min, opt_w = _csr(rows[opt], n, idx[opt], skills["min_level"][opt].astype(np.int8),
                                               skills["weight"][opt])
    ltable = VacancyLanguage._meta.db_table
    langs = fetch_columns(
        f"SELECT vacancy_id, language_id, min_cefr{cast} FROM {ltable} WHERE {where}",  # noqa: S608  # nosec B608 # identifiers from models, values are params
        [], [("vacancy_id", "i8"), ("language_id", "i8"), ("min_cefr", "i2")])
    langs = _only(langs, vocab.known_languages(langs["language_id"]))
    rows = np.searchsorted(ids, langs["vacancy_id"])
    lang_indptr, lang_idx, lang_min = _csr(rows, n, vocab.language_index(langs["language_id"]),
                                           langs["min_cefr"].astype(np.int8))
    return VacancyArrays(ids=ids, req_indptr=req_indptr, req_idx=req_idx, req_min_level=req_min, req_weight=req_w,
                         opt_indptr=opt_indptr, opt_idx=opt_idx, opt_min_level=opt_min, opt_weight=opt_w,
                         lang_indptr=lang_indptr, lang_idx=lang_idx, lang_min_level=lang_min, location=location,
                         remote=remote, job_type=job_type, markets=markets)


def now():
    return timezone.now()
