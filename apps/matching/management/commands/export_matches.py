"""``manage.py export_matches PATH --top K [--direction vacancy|profile]``: the stored ranked lists as CSV.

vacancy direction: ``vacancy_external_id, rank, profile_external_id, score, matched_skills, missing_skills``;
profile direction: ``profile_external_id, rank, vacancy_external_id, ...``. External ids fall back to
``id:<pk>``; ``matched_skills`` are the codes of the vacancy's skills (required first, then optional, each by
code) held at or above the minimum level, ``missing_skills`` the others as ``code:have/need``.

Built for 20,000 lists of 50: the rows stream from the database (``iterator()``), and the matched/missing
skills of a chunk of rows are found with one vectorised lookup of (profile, skill) keys in sorted arrays
rather than by explaining each pair. Cells starting with = + - @ (or tab/CR) get a leading single quote so a
spreadsheet does not run them as formulas. The file is written next to PATH and moved into place at the end,
so a failed export leaves an existing file untouched.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.core.text import safe_cell
from apps.jobs.models import Vacancy, VacancySkill
from apps.matching import selectors
from apps.matching.models import CandidateMatch, VacancyMatch
from apps.skills.models import Skill
from apps.talent.models import ProfileSkill, StudentProfile

CHUNK = 50_000  # pairs whose skill cells are computed together
FETCH = 50_000  # rows per fetch when loading skills
MAX_LEVEL = 5  # skill levels 1-5 (0 = not held)
HEADERS = {
    "vacancy": ["vacancy_external_id", "rank", "profile_external_id", "score", "matched_skills", "missing_skills"],
    "profile": ["profile_external_id", "rank", "vacancy_external_id", "score", "matched_skills", "missing_skills"],
}


def int_columns(sql: str, n_columns: int) -> list[np.ndarray]:
    """The query's integer columns as int64 arrays, fetched in chunks (a server-side cursor on PostgreSQL), so
    no more than one chunk of rows exists as Python objects at a time."""
    parts = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH):
            parts.append(np.array(rows, dtype=np.int64).reshape(-1, n_columns))
    table = np.concatenate(parts) if parts else np.empty((0, n_columns), dtype=np.int64)
    return [np.ascontiguousarray(table[:, i]) for i in range(n_columns)]


def neutralise(value: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would read as a formula (the shared ``safe_cell``)."""
    return safe_cell(value)


def external_ids(model) -> dict[int, str]:
    """pk -> neutralised external id, or ``id:<pk>`` when it is empty."""
    return {pk: neutralise(ext) if ext else f"id:{pk}"
            for pk, ext in model.objects.values_list("pk", "external_id").iterator(chunk_size=20_000)}


@dataclass
class Requirements:
    """Every vacancy's skills as CSR over sorted vacancy ids: required first, then optional, each by code.

    ``tokens[code_index, need, have]`` is the cell text of one requirement: the code when ``have >= need``,
    else ``code:have/need`` (a few thousand distinct strings, built once).
    """

    vacancy_ids: np.ndarray
    indptr: np.ndarray
    skill: np.ndarray
    code_index: np.ndarray
    need: np.ndarray
    tokens: np.ndarray

    @classmethod
    def load(cls) -> Requirements:
        vacancy_id, skill_id, min_level, required = int_columns(
            f"SELECT vacancy_id, skill_id, min_level, CASE WHEN required THEN 1 ELSE 0 END "  # noqa: S608  # nosec B608 # identifiers from models, values are params
            f"FROM {VacancySkill._meta.db_table}", 4)
        cols = {"vacancy_id": vacancy_id, "skill_id": skill_id, "min_level": min_level, "required": required == 1}
        code_of = dict(Skill.objects.values_list("pk", "code"))
        used = sorted(set(cols["skill_id"].tolist()), key=code_of.__getitem__)
        rank = {pk: i for i, pk in enumerate(used)}  # dense index in code order
        code_index = np.fromiter((rank[s] for s in cols["skill_id"].tolist()), dtype=np.int64,
                                 count=cols["skill_id"].size)
        order = np.lexsort((code_index, ~cols["required"], cols["vacancy_id"]))
        vac = cols["vacancy_id"][order]
        vacancy_ids, starts = np.unique(vac, return_index=True)
        tokens = np.empty((len(used), MAX_LEVEL + 1, MAX_LEVEL + 1), dtype=object)
        for i, pk in enumerate(used):
            code = code_of[pk]
            for need in range(MAX_LEVEL + 1):
                for have in range(MAX_LEVEL + 1):
                    tokens[i, need, have] = code if have >= need else f"{code}:{have}/{need}"
        return cls(vacancy_ids=vacancy_ids, indptr=np.append(starts, vac.size).astype(np.int64),
                   skill=cols["skill_id"][order], code_index=code_index[order],
                   need=np.clip(cols["min_level"][order].astype(np.int64), 0, MAX_LEVEL), tokens=tokens)


@dataclass
class ProfileLevels:
    """Every profile's skill levels as a sparse (profile, skill id) matrix: a lookup is a search in one short row."""

    profile_ids: np.ndarray
    matrix: sp.csr_array

    @classmethod
    def load(cls) -> ProfileLevels:
        profile_id, skill_id, level = int_columns(
            f"SELECT profile_id, skill_id, level FROM {ProfileSkill._meta.db_table}", 3)  # noqa: S608  # nosec B608 # identifiers from models, values are params
        cols = {"profile_id": profile_id, "skill_id": skill_id, "level": level}
        profile_ids, rows = np.unique(cols["profile_id"], return_inverse=True)
        n_cols = int(cols["skill_id"].max(initial=0)) + 1
        matrix = sp.csr_array((np.clip(cols["level"], 0, MAX_LEVEL).astype(np.int8), (rows, cols["skill_id"])),
                              shape=(profile_ids.size, n_cols))
        return cls(profile_ids=profile_ids, matrix=matrix)

    def lookup(self, profile_ids: np.ndarray, skill_ids: np.ndarray) -> np.ndarray:
        """Level of each (profile, skill) pair; 0 where the profile does not hold the skill."""
        n_rows, n_cols = self.matrix.shape
        if n_rows == 0 or profile_ids.size == 0:
            return np.zeros(profile_ids.size, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.profile_ids, profile_ids), n_rows - 1)
        ok = (self.profile_ids[pos] == profile_ids) & (skill_ids < n_cols)
        levels = np.zeros(profile_ids.size, dtype=np.int64)
        if ok.any():
            levels[ok] = np.asarray(self.matrix[pos[ok], skill_ids[ok]]).ravel()
        return levels


def skill_cells(vacancy_ids: np.ndarray, profile_ids: np.ndarray, req: Requirements,
                levels: ProfileLevels) -> tuple[list[str], list[str]]:
    """(matched, missing) cells for a chunk of pairs.

    Vectorised: every (pair, requirement) item gets its level by one sparse lookup and its cell text from the
    token table; items are then grouped per pair, met ones first, so each cell is one ``join`` of a slice.
    """
    n = vacancy_ids.size
    if req.vacancy_ids.size == 0:
        return [""] * n, [""] * n
    pos = np.minimum(np.searchsorted(req.vacancy_ids, vacancy_ids), req.vacancy_ids.size - 1)
    counts = np.where(req.vacancy_ids[pos] == vacancy_ids, req.indptr[pos + 1] - req.indptr[pos], 0)
    total = int(counts.sum())
    row_of = np.repeat(np.arange(n), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    req_j = np.repeat(req.indptr[pos], counts) + (np.arange(total) - first)
    have = np.clip(levels.lookup(profile_ids[row_of], req.skill[req_j]), 0, MAX_LEVEL)
    need = req.need[req_j]
    met = have >= need
    order = np.lexsort((~met, row_of))  # per pair: met items first, each group in requirement order
    tokens = req.tokens[req.code_index[req_j], need, have][order].tolist()
    n_met = np.bincount(row_of[met], minlength=n)
    starts = (np.cumsum(counts) - counts).tolist()
    matched, missing = [], []
    for a, m, c in zip(starts, n_met.tolist(), counts.tolist(), strict=True):
        matched.append(neutralise(";".join(tokens[a:a + m])))
        missing.append(neutralise(";".join(tokens[a + m:a + c])))
    return matched, missing


def write_matches(out, *, top: int, direction: str) -> dict:
    """Write the current generation's lists (the first ``top`` of each) as CSV to ``out``; return counts."""
    by_vacancy = direction == "vacancy"
    model, owner, other = (CandidateMatch, "vacancy_id", "profile_id") if by_vacancy else \
        (VacancyMatch, "profile_id", "vacancy_id")
    started = time.perf_counter()
    req, levels = Requirements.load(), ProfileLevels.load()
    vacancy_ext, profile_ext = external_ids(Vacancy), external_ids(StudentProfile)
    owner_ext, other_ext = (vacancy_ext, profile_ext) if by_vacancy else (profile_ext, vacancy_ext)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[direction])
    rows = (model.objects.filter(generation=selectors.current_generation())
            .order_by(owner, "-score", other).values_list(owner, other, "score"))
    stats = {"rows": 0, "lists": 0}
    chunk: list[tuple[int, int, float, int]] = []
    last_owner, rank = None, 0

    def flush():
        if not chunk:
            return
        owners = np.fromiter((c[0] for c in chunk), dtype=np.int64, count=len(chunk))
        others = np.fromiter((c[1] for c in chunk), dtype=np.int64, count=len(chunk))
        vacancy_ids, profile_ids = (owners, others) if by_vacancy else (others, owners)
        matched, missing = skill_cells(vacancy_ids, profile_ids, req, levels)
        writer.writerows(
            (owner_ext.get(o, f"id:{o}"), r, other_ext.get(t, f"id:{t}"), f"{s:.6f}", mt, ms)
            for (o, t, s, r), mt, ms in zip(chunk, matched, missing, strict=True))
        stats["rows"] += len(chunk)
        chunk.clear()

    for owner_id, other_id, score in rows.iterator(chunk_size=10_000):
        if owner_id != last_owner:
            last_owner, rank = owner_id, 0
            stats["lists"] += 1
        rank += 1
        if rank > top:
            continue
        chunk.append((owner_id, other_id, score, rank))
        if len(chunk) >= CHUNK:
            flush()
    flush()
    stats["seconds"] = round(time.perf_counter() - started, 2)
    return stats


class Command(BaseCommand):
    help = ("Export the stored ranked match lists as CSV: per vacancy its top candidates (or, with --direction "
            "profile, per profile its top vacancies) with score, skills met and skills missing (code:have/need).")

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the CSV ('-' for standard output).")
        parser.add_argument("--top", type=int, default=settings.MATCHING["TOP_K"],
                            help="Rows per list (default: the stored list length, MATCH_TOP_K).")
        parser.add_argument("--direction", choices=sorted(HEADERS), default="vacancy",
                            help="vacancy: each vacancy's candidates (default); profile: each profile's vacancies.")

    def handle(self, *args, path: str, top: int, direction: str, **options):
        if top < 1:
            raise CommandError(f"--top must be at least 1 (got {top}).")
        if path == "-":
            stats = write_matches(sys.stdout, top=top, direction=direction)
            self.stderr.write(self._summary(stats, "standard output"))
            return
        target = os.path.abspath(path)
        folder = os.path.dirname(target)
        if not os.path.isdir(folder):
            raise CommandError(f"PATH: the folder {folder} does not exist.")
        if os.path.isdir(target):
            raise CommandError(f"PATH: {target} is a folder; name a file.")
        handle, temporary = tempfile.mkstemp(prefix=".export_matches-", suffix=".csv", dir=folder)
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
                stats = write_matches(out, top=top, direction=direction)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
            os.replace(temporary, target)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        self.stdout.write(self._summary(stats, target))

    @staticmethod
    def _summary(stats: dict, where: str) -> str:
        return f"Wrote {stats['rows']} rows of {stats['lists']} lists to {where} in {stats['seconds']} s."
