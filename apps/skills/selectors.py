"""Reads for the taxonomy: resolving names people write, searching, suggesting skills from free text."""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from apps.core.text import normalize

from .models import Skill, SkillAlias


class SkillResolutionError(ValueError):
    """A name that does not resolve to exactly one skill; the message says why and suggests."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        if self.suggestions:
            message = f"{message} Did you mean: {', '.join(self.suggestions)}?"
        super().__init__(message)


class SkillResolver:
    """Resolves skill names (code, ESCO URI, label or alias in either language) to skill ids.

    Build one per import: it loads every name once, so 100,000 rows resolve from memory.
    """

    def __init__(self, queryset: QuerySet | None = None, *, languages_only: bool | None = None):
        skills = queryset if queryset is not None else Skill.objects.filter(is_active=True)
        if languages_only is not None:
            skills = skills.filter(is_language=languages_only)
        self.by_name: dict[str, set[int]] = {}
        self.codes: dict[int, str] = {}
        self.labels: dict[int, str] = {}
        for pk, code, uri, label_en, label_zh in skills.values_list("pk", "code", "esco_uri", "label_en", "label_zh"):
            self.codes[pk] = code
            self.labels[pk] = label_zh or label_en
            self.by_name.setdefault(normalize(code), set()).add(pk)
            if uri:
                self.by_name.setdefault(normalize(uri), set()).add(pk)
        for skill_id, norm in SkillAlias.objects.filter(skill__in=skills).values_list("skill_id", "normalized"):
            self.by_name.setdefault(norm, set()).add(skill_id)

    def resolve(self, text: str) -> int:
        """Return the skill id for ``text`` or raise ``SkillResolutionError``."""
        norm = normalize(text)
        if not norm:
            raise SkillResolutionError("Empty skill name.")
        found = self.by_name.get(norm)
        if not found:
            raise SkillResolutionError(f"Unknown skill {text.strip()!r}.", self.suggest(norm))
        if len(found) > 1:
            names = ", ".join(sorted(self.codes[pk] for pk in found))
            raise SkillResolutionError(f"{text.strip()!r} is ambiguous: it names {names}. Use the skill code.")
        return next(iter(found))

    def suggest(self, norm: str, limit: int = 3) -> list[str]:
        names = difflib.get_close_matches(norm, self.by_name.keys(), n=limit * 3, cutoff=0.6)
        if not names:
            names = [name for name in self.by_name if norm in name][: limit * 3]
        out: list[str] = []
        for name in names:
            for pk in self.by_name[name]:
                label = f"{self.labels[pk]} ({self.codes[pk]})"
                if label not in out:
                    out.append(label)
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
