"""Reads for the taxonomy: resolving names people write, searching, suggesting skills from free text."""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.text import normalize

from .models import Skill, SkillAlias


class SkillResolutionError(ValueError):
    """A name that does not resolve to exactly one skill; the message says why and suggests."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.reason = message
        self.suggestions = suggestions or []
        if self.suggestions:
            message = _("%(message)s Did you mean: %(suggestions)s?") % {
                "message": message, "suggestions": ", ".join(self.suggestions)}
        super().__init__(message)


_MACHINE_PREFIXES = ("http://", "https://", "esco:")


def _grams(text: str) -> set[str]:
    """Character trigrams (padded), plus bigrams for short names such as most Chinese ones."""
    padded = f" {text} "
    grams = {padded[i:i + 3] for i in range(len(padded) - 2)}
    if len(text) <= 8:
        grams.update("2" + text[i:i + 2] for i in range(len(text) - 1))
    return grams


class SkillResolver:
    """Resolves skill names (code, ESCO URI, label or alias in either language) to skill ids.

    Build one per import: it loads every name once, so 100,000 rows resolve from memory. A code or
    ESCO URI always wins over a label or alias; a label or alias two skills share is reported as
    ambiguous, never guessed.
    """

    def __init__(self, queryset: QuerySet | None = None, *, languages_only: bool | None = None):
        skills = queryset if queryset is not None else Skill.objects.filter(is_active=True)
        if languages_only is not None:
            skills = skills.filter(is_language=languages_only)
        self.by_name: dict[str, set[int]] = {}
        self.by_code: dict[str, int] = {}
        self.codes: dict[int, str] = {}
        self.labels: dict[int, tuple[str, str]] = {}
        self.language_ids: set[int] = set()
        rows = skills.values_list("pk", "code", "esco_uri", "label_en", "label_zh", "is_language")
        for pk, code, uri, label_en, label_zh, is_language in rows:
            self.codes[pk] = code
            self.labels[pk] = (label_en, label_zh)
            if is_language:
                self.language_ids.add(pk)
            for key in (normalize(code), normalize(uri or "")):
                if key:
                    self.by_code[key] = pk
                    self.by_name.setdefault(key, set()).add(pk)
        self.by_label: dict[str, set[int]] = {}
        names = SkillAlias.objects.filter(skill__in=skills).values_list("skill_id", "normalized", "kind")
        for skill_id, norm, kind in names:
            self.by_name.setdefault(norm, set()).add(skill_id)
            if kind == "label":
                self.by_label.setdefault(norm, set()).add(skill_id)
        self._suggest_cache: dict[tuple[str, bool | None], list[str]] = {}
        self._gram_index: tuple[list[str], list[int], dict[str, list[int]], list[str]] | None = None

    def label(self, pk: int) -> str:
        """The skill's label in the active language (falling back to the other one)."""
        label_en, label_zh = self.labels[pk]
        lang = (get_language() or "zh-hans").lower()
        return (label_zh or label_en) if lang.startswith("zh") else (label_en or label_zh)

    def describe(self, pk: int) -> str:
        return f"{self.label(pk)} ({self.codes[pk]})"

    def resolve(self, text: str, *, languages: bool | None = None) -> int:
        """Return the skill id for ``text`` or raise ``SkillResolutionError``.

        Precedence: a code or ESCO URI, then a skill's own label, then any alias. Two skills at the same
        level (an alias both share) make the name ambiguous. ``languages=True`` accepts only language
        skills, ``False`` only other skills, ``None`` either.
        """
        norm = normalize(text)
        if not norm:
            raise SkillResolutionError(_("Empty skill name."))
        code_hit = self.by_code.get(norm)
        tiers = [{code_hit}] if code_hit is not None else []
        tiers += [self.by_label.get(norm, set()), self.by_name.get(norm, set())]
        wrong_kind = False
        for found in tiers:
            if languages is not None:
                kept = {pk for pk in found if (pk in self.language_ids) == languages}
                wrong_kind = wrong_kind or len(kept) < len(found)
                found = kept
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                names = ", ".join(sorted(self.describe(pk) for pk in found))
                raise SkillResolutionError(_("%(name)r is ambiguous: it names %(skills)s. Use the skill code.")
                                           % {"name": text.strip(), "skills": names})
        if wrong_kind:
            if languages:
                raise SkillResolutionError(_("%(name)r is a skill, not a language.") % {"name": text.strip()})
            raise SkillResolutionError(_("%(name)r is a language: list it under languages.") % {"name": text.strip()})
        unknown = _("Unknown language %(name)r.") if languages else _("Unknown skill %(name)r.")
        raise SkillResolutionError(unknown % {"name": text.strip()}, self.suggest(norm, languages=languages))

    def _candidates(self, norm: str, limit: int = 40) -> list[str]:
        """The ``limit`` names sharing most character n-grams with ``norm`` (Jaccard), for difflib to rank.

        difflib over all ~35,000 names of an ESCO-sized taxonomy takes seconds per unknown name; the n-gram
        index narrows that to a few dozen in milliseconds. ESCO URIs and ``esco:`` codes are left out of it
        (long, many, and only ever pasted): a mistyped one is compared with its alphabetical neighbours.
        """
        if self._gram_index is None:
            names, machine = [], []
            for name in self.by_name:
                (machine if name.startswith(_MACHINE_PREFIXES) else names).append(name)
            sizes: list[int] = []
            postings: dict[str, list[int]] = defaultdict(list)
            for position, name in enumerate(names):
                grams = _grams(name)
                sizes.append(len(grams))
                for gram in grams:
                    postings[gram].append(position)
            self._gram_index = (names, sizes, dict(postings), sorted(machine))
        names, sizes, postings, machine = self._gram_index
        if norm.startswith(_MACHINE_PREFIXES):
            at = bisect.bisect_left(machine, norm)
            return machine[max(0, at - limit // 2): at + limit // 2]
        grams = [g for g in _grams(norm) if g in postings]
        # Grams that a fifth of all names share say little and cost most; drop them while others remain.
        common = max(50, len(names) // 5)
        grams = [g for g in grams if len(postings[g]) <= common] or grams
        counts: Counter[int] = Counter()
        for gram in grams:
            counts.update(postings[gram])
        query_size = len(_grams(norm))
        best = heapq.nlargest(limit, counts.most_common(limit * 10),
                              key=lambda item: item[1] / (query_size + sizes[item[0]] - item[1]))
        return [names[position] for position, _hits in best]

    def suggest(self, norm: str, limit: int = 3, *, languages: bool | None = None) -> list[str]:
        """Up to ``limit`` "label (code)" strings close to ``norm``; cached per name."""
        key = (norm, languages)
        if key in self._suggest_cache:
            return self._suggest_cache[key]
        if languages:
            # Few names are languages: compare against all of them.
            candidates = [name for name, pks in self.by_name.items() if pks & self.language_ids]
        else:
            candidates = self._candidates(norm, 200 if languages is False else 40)
            if languages is False:
                candidates = [name for name in candidates if self.by_name[name] - self.language_ids][:40]
        names = difflib.get_close_matches(norm, candidates, n=limit * 3, cutoff=0.6)
        if not names:
            names = [name for name in candidates if norm in name][: limit * 3]
        out: list[str] = []
        for name in names:
            for pk in sorted(self.by_name[name]):
                if languages is not None and (pk in self.language_ids) != languages:
                    continue
                label = self.describe(pk)
                if label not in out:
                    out.append(label)
        self._suggest_cache[key] = out[:limit]
        return out[:limit]


def skill_resolve(text: str, *, languages_only: bool | None = None) -> Skill:
    """Resolve one name with indexed queries (for forms and the API), raising ``SkillResolutionError``."""
    norm = normalize(text)
    if not norm:
        raise SkillResolutionError("Empty skill name.")
    base = Skill.objects.filter(is_active=True)
    if languages_only is not None:
        base = base.filter(is_language=languages_only)
    matches = list(base.filter(Q(code__iexact=text.strip()) | Q(esco_uri=text.strip())).distinct()[:2])
    if not matches:
        # A skill's own label wins over another skill's alias (same rule as SkillResolver).
        matches = list(base.filter(aliases__normalized=norm, aliases__kind="label").distinct()[:5])
    if not matches:
        matches = list(base.filter(aliases__normalized=norm).distinct()[:5])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        codes = ", ".join(s.code for s in matches)
        raise SkillResolutionError(f"{text.strip()!r} is ambiguous: it names {codes}. Use the skill code.")
    close = list(
        base.filter(aliases__normalized__contains=norm[:40]).distinct().order_by("code")[:3]
    )
    if not close:
        names = list(SkillAlias.objects.filter(skill__in=base, skill__source="native")
                     .values_list("normalized", flat=True))
        hits = difflib.get_close_matches(norm, names, n=3, cutoff=0.6)
        close = list(base.filter(aliases__normalized__in=hits).distinct()[:3])
    raise SkillResolutionError(f"Unknown skill {text.strip()!r}.", [f"{s.label} ({s.code})" for s in close])


def skill_search(query: str, *, limit: int = 20, category: str | None = None,
                 languages_only: bool | None = None) -> QuerySet[Skill]:
    """Skills whose code, label or alias contains the query (any language, case/width-insensitive)."""
    qs = Skill.objects.filter(is_active=True).select_related("category")
    if category:
        qs = qs.filter(category__code=category)
    if languages_only is not None:
        qs = qs.filter(is_language=languages_only)
    norm = normalize(query)
    if norm:
        ids = SkillAlias.objects.filter(normalized__contains=norm).values("skill_id")
        qs = qs.filter(Q(pk__in=ids) | Q(code__icontains=norm))
    return qs.order_by("source", "category__order", "code")[:limit] if limit else qs


@dataclass(frozen=True)
class SkillSuggestion:
    skill_id: int
    code: str
    label_en: str
    label_zh: str
    matched: str
    occurrences: int


class _TextIndex:
    """Names of native-taxonomy skills for free-text scanning, rebuilt when the taxonomy changes."""

    _lock = threading.Lock()
    _cached: tuple[tuple[int, int], list[tuple[str, int, bool]]] | None = None

    @classmethod
    def get(cls) -> list[tuple[str, int, bool]]:
        names = SkillAlias.objects.filter(skill__is_active=True, skill__source="native")
        stamp = (names.count(), max(names.values_list("pk", flat=True), default=0))
        with cls._lock:
            if cls._cached is None or cls._cached[0] != stamp:
                entries = []
                for norm, skill_id in names.values_list("normalized", "skill_id"):
                    if len(norm) < 2:
                        continue
                    is_ascii = norm.isascii()
                    entries.append((norm, skill_id, is_ascii))
                # Longest first so "amazon ppc" wins over "amazon" inside the same span.
                entries.sort(key=lambda e: -len(e[0]))
                cls._cached = (stamp, entries)
            return cls._cached[1]


def skills_suggest_from_text(text: str, *, limit: int = 15) -> list[SkillSuggestion]:
    """Suggest taxonomy skills mentioned in free text (a vacancy description or a CV paragraph).

    Names are matched after normalisation; Latin-script names must stand as whole words, Chinese names
    match anywhere. A span claimed by a longer name is not counted again for a shorter one.
    """
    norm = normalize(text)
    if not norm:
        return []
    taken = [False] * len(norm)
    counts: dict[int, tuple[int, str]] = {}
    for name, skill_id, is_ascii in _TextIndex.get():
        if name not in norm:
            continue
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])") if is_ascii else re.compile(
            re.escape(name))
        for match in pattern.finditer(norm):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            count, first = counts.get(skill_id, (0, name))
            counts[skill_id] = (count + 1, first)
    if not counts:
        return []
    skills = {s.pk: s for s in Skill.objects.filter(pk__in=counts)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0], skills[kv[0]].code))
    return [
        SkillSuggestion(skill_id=pk, code=skills[pk].code, label_en=skills[pk].label_en, label_zh=skills[pk].label_zh,
                        matched=first, occurrences=count)
        for pk, (count, first) in ranked[:limit]
    ]
