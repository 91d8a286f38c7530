"""Explanations of stored matches for the pages, the API and exports: which skills a candidate meets, which
they lack and by how many levels, languages, preferences, and a one-line reason in the reader's language.

The rows shown on one page (at most a few dozen) are explained together: the vocabulary and both sides'
arrays are loaded once, the matrices are built with the idf the last full run froze (as the incremental
recomputes do), and ``engine.explain`` runs per pair, so the components shown equal the stored ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from apps.matching import engine
from apps.matching.loaders import Vocabulary, load_profiles, load_vacancies
from apps.matching.models import MatchState
from apps.matching.persist import COMPONENTS
from apps.matching.services import active_weights
from apps.matching.services.common import frozen_idf
from apps.skills.levels import CEFR
from apps.skills.models import Location, Market, Skill
from apps.talent.models import ProfileSkill, SkillSourceKind

MAX_PAIRS = 200  # a page shows at most 50; anything larger belongs in a bulk export, not here
REASON_MISSING_NAMED = 2  # missing required skills named in the one-line reason
# Looked up per skill/language line: ``Choices.values``/``.label`` rebuild the choice list on every access.
_CEFR_NAMES = {int(value): str(label) for value, label in CEFR.choices}
_SOURCE_KINDS = dict(SkillSourceKind.choices)


@dataclass(frozen=True)
class SkillLine:
    """One skill a vacancy asks for, seen from one candidate."""

    skill: Skill
    required: bool
    have: int  # 0 = the candidate does not hold the skill
    need: int
    weight: float
    credit: float
    source: str = ""  # how the candidate's level was established (ProfileSkill.source); "" when not held

    @property
    def gap(self) -> int:
        return max(0, self.need - self.have)

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def source_label(self) -> str:
        label = _SOURCE_KINDS.get(self.source)
        return str(label) if label is not None else ""


@dataclass(frozen=True)
class LanguageLine:
    """One language a vacancy asks for, at a minimum CEFR level, seen from one candidate."""

    language: Skill
    have: int  # 0 = not spoken
    need: int

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def have_name(self) -> str:
        return cefr_name(self.have)

    @property
    def need_name(self) -> str:
        return cefr_name(self.need)


@dataclass(frozen=True)
class MatchExplanation:
    """Why one candidate scores what they do against one vacancy.

    ``available`` is False when the pair can no longer be recomputed (the profile left matching or the
    vacancy closed since the list was stored): the stored components are kept, the skill details are empty.
    """

    profile_id: int
    vacancy_id: int
    available: bool
    score: float
    components: dict[str, float]
    reason: str
    matched_required: tuple[SkillLine, ...] = ()
    missing_required: tuple[SkillLine, ...] = ()
    matched_optional: tuple[SkillLine, ...] = ()
    missing_optional: tuple[SkillLine, ...] = ()
    languages_met: tuple[LanguageLine, ...] = ()
    languages_missing: tuple[LanguageLine, ...] = ()
    location_ok: bool = True
    job_type_ok: bool = True
    market_ok: bool = True
    location: Location | None = None
    location_preferred: bool = False  # the vacancy is in one of the candidate's preferred locations
    remote_fit: bool = False  # the vacancy allows remote work and the candidate is open to it
    shared_markets: tuple[Market, ...] = field(default_factory=tuple)

    @property
    def matched(self) -> tuple[SkillLine, ...]:
        return self.matched_required + self.matched_optional

    @property
    def missing(self) -> tuple[SkillLine, ...]:
        return self.missing_required + self.missing_optional

    @property
    def required_total(self) -> int:
        return len(self.matched_required) + len(self.missing_required)


def cefr_name(level: int) -> str:
    """'B2' for 4; '—' for 0 (not spoken)."""
    return _CEFR_NAMES.get(level, "—")


# --- entry points -----------------------------------------------------------------------------------------


def explain_for_vacancy(vacancy, rows: Sequence, *, state: MatchState | None = None) -> list[MatchExplanation]:
    """Explanations for a vacancy's stored candidate rows (``CandidateMatch``), in the order given."""
    return explain_pairs([(row.profile_id, vacancy.pk, row) for row in rows], state=state)


def explain_for_profile(profile, rows: Sequence, *, state: MatchState | None = None) -> list[MatchExplanation]:
    """Explanations for a profile's stored vacancy rows (``VacancyMatch``), in the order given."""
    return explain_pairs([(profile.pk, row.vacancy_id, row) for row in rows], state=state)


def explain_pairs(pairs: Sequence[tuple[int, int, object]], *,
                  state: MatchState | None = None) -> list[MatchExplanation]:
    """Explain ``(profile_id, vacancy_id, stored_row)`` triples; ``stored_row`` may be None.

    One load of the vocabulary and of both sides' arrays for all pairs, then ``engine.explain`` per pair.
    ``state`` is the ``MatchState`` row when the caller already read it (saves a query).
    """
    if len(pairs) > MAX_PAIRS:
        raise ValueError(f"explain at most {MAX_PAIRS} pairs at once (got {len(pairs)}); export in bulk instead")
    if not pairs:
        return []
    if state is None:
        state = MatchState.get()
    reference = _reference()
    vocab = reference.vocab
    profile_ids = sorted({p for p, _, _ in pairs})
    vacancy_ids = sorted({v for _, v, _ in pairs})
    profiles = load_profiles(vocab, profile_ids=profile_ids)
    vacancies = load_vacancies(vocab, vacancy_ids=vacancy_ids)
    pm = engine.build_profile_matrix(profiles, vocab.skill_ids.size, max(vocab.language_ids.size, 1),
                                     idf=frozen_idf(vocab, state))
    vm = engine.build_vacancy_matrix(vacancies, pm)
    p_row = {int(pk): i for i, pk in enumerate(pm.ids.tolist())}
    v_row = {int(pk): i for i, pk in enumerate(vm.ids.tolist())}
    weights = reference.weights
    context = _Context.load(reference, [p for p, _, _ in pairs], vacancies)
    out = []
    for profile_id, vacancy_id, stored in pairs:
        if profile_id in p_row and vacancy_id in v_row:
            why = engine.explain(pm.profiles, vm.vacancies, p_row[profile_id], v_row[vacancy_id], weights,
                                 profile_matrix=pm, vacancy_matrix=vm)
            out.append(_from_engine(why, context, vm.vacancies, v_row[vacancy_id], pm.profiles,
                                    p_row[profile_id]))
        else:
            out.append(_unavailable(profile_id, vacancy_id, stored))
    return out


# --- reference data: vocabulary, locations, markets, weights -------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    vocab: Vocabulary
    locations: dict[str, Location]
    markets: dict[str, Market]
    weights: object  # engine MatchWeights


# On PostgreSQL one query fingerprints everything ``_Reference`` is built from (skill ids and which are
# languages, every location and market field, the active weight set); while it is unchanged the objects built
# last time are reused, so a page costs one query here instead of seven and the answer is the same.
_FINGERPRINT_SQL = """
SELECT md5(concat_ws('#',
  (SELECT string_agg(id::text || CASE WHEN is_language THEN 'L' ELSE '' END, ',' ORDER BY id) FROM {skill}),
  (SELECT string_agg(concat_ws('|', id, code, label_en, label_zh, "order"), ',' ORDER BY id) FROM {location}),
  (SELECT string_agg(concat_ws('|', id, code, label_en, label_zh, "order"), ',' ORDER BY id) FROM {market}),
  (SELECT string_agg(concat_ws('|', id, version, required, optional, similarity, language, preference), ',')
     FROM {weightset} WHERE is_active)))
"""
_reference_cache: tuple[str, _Reference] | None = None


def _build_reference() -> _Reference:
    return _Reference(vocab=Vocabulary.build(), locations={loc.code: loc for loc in Location.objects.all()},
                      markets={m.code: m for m in Market.objects.all()}, weights=active_weights())


def _reference() -> _Reference:
    """The reference data, reused from the last call while the database's fingerprint of it is unchanged."""
    global _reference_cache
    if connection.vendor != "postgresql":
        return _build_reference()
    from apps.matching.models import WeightSet

    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL.format(  # noqa: S608  # nosec B608 # table names from models
            skill=Skill._meta.db_table, location=Location._meta.db_table, market=Market._meta.db_table,
            weightset=WeightSet._meta.db_table))
        fingerprint = cursor.fetchone()[0]
    cached = _reference_cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    reference = _build_reference()
    _reference_cache = (fingerprint, reference)
    return reference


# --- building the plain results -----------------------------------------------------------------------------


@dataclass
class _Context:
    """Django objects the explanations refer to, fetched in bulk once per call."""

    vocab: Vocabulary
    skills: dict[int, Skill]
    sources: dict[tuple[int, int], str]
    locations: dict[str, Location]
    markets: dict[str, Market]

    @classmethod
    def load(cls, reference: _Reference, profile_ids: Iterable[int], vacancies) -> _Context:
        vocab = reference.vocab
        skill_pks = set(vocab.skill_ids[np.concatenate([vacancies.req_idx, vacancies.opt_idx])
                                        .astype(np.int64)].tolist()) if vocab.skill_ids.size else set()
        skill_pks |= set(vocab.language_ids[vacancies.lang_idx.astype(np.int64)].tolist()) \
            if vocab.language_ids.size else set()
        profile_ids = set(profile_ids)
        sources = {(p, s): src for p, s, src in ProfileSkill.objects.filter(
            profile_id__in=profile_ids, skill_id__in=skill_pks).values_list("profile_id", "skill_id", "source")}
        return cls(vocab=vocab, skills=Skill.objects.in_bulk(skill_pks), sources=sources,
                   locations=reference.locations, markets=reference.markets)


def _skill_lines(context: _Context, profile_id: int, items, required: bool) -> tuple[SkillLine, ...]:
    lines = []
    for item in items:
        pk = int(context.vocab.skill_ids[item.skill])
        lines.append(SkillLine(skill=context.skills[pk], required=required, have=item.have, need=item.need,
                               weight=float(item.weight), credit=float(item.credit),
                               source=context.sources.get((profile_id, pk), "") if item.have else ""))
    # most important first, then the largest gap, then the code (stable across languages)
    return tuple(sorted(lines, key=lambda line: (-line.weight, -line.gap, line.skill.code)))


def _language_lines(context: _Context, items) -> tuple[LanguageLine, ...]:
    lines = [LanguageLine(language=context.skills[int(context.vocab.language_ids[item.language])],
                          have=item.have, need=item.need) for item in items]
    return tuple(sorted(lines, key=lambda line: line.language.code))


def _from_engine(why, context: _Context, vacancies, v_row: int, profiles, p_row: int) -> MatchExplanation:
    profile_id = why.profile_id
    location_index = int(vacancies.location[v_row])
    location_code = context.vocab.location_codes[location_index] if location_index >= 0 else None
    a, b = int(profiles.loc_indptr[p_row]), int(profiles.loc_indptr[p_row + 1])
    preferred = set(profiles.loc_idx[a:b].tolist())
    shared_mask = int(vacancies.markets[v_row]) & int(profiles.pref_markets[p_row])
    shared = tuple(context.markets[code] for i, code in enumerate(context.vocab.market_codes)
                   if (shared_mask >> i) & 1 and code in context.markets)
    explanation = MatchExplanation(
        profile_id=profile_id, vacancy_id=why.vacancy_id, available=True, score=why.score,
        components={name: float(getattr(why, name)) for name in COMPONENTS}, reason="",
        matched_required=_skill_lines(context, profile_id, why.matched_required, True),
        missing_required=_skill_lines(context, profile_id, why.missing_required, True),
        matched_optional=_skill_lines(context, profile_id, why.matched_optional, False),
        missing_optional=_skill_lines(context, profile_id, why.missing_optional, False),
        languages_met=_language_lines(context, why.languages_met),
        languages_missing=_language_lines(context, why.languages_missing),
        location_ok=why.location_ok, job_type_ok=why.job_type_ok, market_ok=why.market_ok,
        location=context.locations.get(location_code) if location_code else None,
        location_preferred=location_index >= 0 and location_index in preferred,
        remote_fit=bool(vacancies.remote[v_row]) and bool(profiles.remote_ok[p_row]),
        shared_markets=shared if int(profiles.pref_markets[p_row]) else (),
    )
    return _with_reason(explanation)


def _unavailable(profile_id: int, vacancy_id: int, stored) -> MatchExplanation:
    components = {name: float(getattr(stored, name)) for name in COMPONENTS} if stored is not None else {
        name: 0.0 for name in COMPONENTS}
    return MatchExplanation(
        profile_id=profile_id, vacancy_id=vacancy_id, available=False,
        score=float(stored.score) if stored is not None else 0.0, components=components,
        reason=_("Details are not available: this profile or vacancy has left matching since the list was "
                 "computed."))


def _with_reason(e: MatchExplanation) -> MatchExplanation:
    from dataclasses import replace

    return replace(e, reason=reason_line(e))


def reason_line(e: MatchExplanation) -> str:
    """One line saying why, in the active language: required skills met, what is lacking and by how much,
    languages, and the preferences that fit or do not."""
    parts = []
    total, met = e.required_total, len(e.matched_required)
    if total == 0:
        opt_total = len(e.matched_optional) + len(e.missing_optional)
        parts.append(_("No required skills") if not opt_total else ngettext(
            "Meets %(met)d of %(total)d optional skill", "Meets %(met)d of %(total)d optional skills",
            opt_total) % {"met": len(e.matched_optional), "total": opt_total})
    elif met == total:
        parts.append(ngettext("Meets the %(total)d required skill", "Meets all %(total)d required skills",
                              total) % {"total": total})
    else:
        parts.append(ngettext("Meets %(met)d of %(total)d required skill",
                              "Meets %(met)d of %(total)d required skills", total) % {"met": met, "total": total})
    for line in e.missing_required[:REASON_MISSING_NAMED]:
        if line.have:
            parts.append(_("lacks %(skill)s (needs level %(need)d, has %(have)d)")
                         % {"skill": line.skill.label, "need": line.need, "have": line.have})
        else:
            parts.append(_("lacks %(skill)s (needs level %(need)d)") % {"skill": line.skill.label, "need": line.need})
    more = len(e.missing_required) - REASON_MISSING_NAMED
    if more > 0:
        parts.append(ngettext("%(count)d more required skill short", "%(count)d more required skills short",
                              more) % {"count": more})
    for lang in e.languages_met:
        parts.append(_("%(language)s %(level)s as required") % {"language": lang.language.label,
                                                                 "level": lang.have_name})
    for lang in e.languages_missing:
        if lang.have:
            parts.append(_("%(language)s %(have)s, needs %(need)s") % {
                "language": lang.language.label, "have": lang.have_name, "need": lang.need_name})
        else:
            parts.append(_("no %(language)s (needs %(need)s)") % {"language": lang.language.label,
                                                                 "need": lang.need_name})
    if e.location_preferred and e.location is not None:
        parts.append(_("prefers %(location)s") % {"location": e.location.label})
    elif e.remote_fit:
        parts.append(_("remote work possible"))
    elif not e.location_ok:
        parts.append(_("outside the preferred locations"))
    if not e.job_type_ok:
        parts.append(_("prefers another job type"))
    if e.shared_markets:
        parts.append(_("targets %(markets)s") % {
            "markets": pgettext("list of names", ", ").join(m.label for m in e.shared_markets)})
    elif not e.market_ok:
        parts.append(_("prefers other markets"))
    return pgettext("reason separator", "; ").join(parts)
