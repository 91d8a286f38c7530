"""Parsing the cells of import files: ``skill:level[:weight]`` and ``language:CEFR`` lists, numbers, dates.

Level and weight are the trailing numeric fields of an item, read from the right, so a skill named by
an ESCO URI (``http://data.europa.eu/esco/skill/…``) or a label containing a colon still parses. When
a label itself ends in ``:<number>`` (``ISO 9001:2015``) the split whose name resolves wins.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.text import normalize
from apps.skills.levels import parse_cefr
from apps.skills.models import LanguageExam
from apps.skills.selectors import SkillResolutionError, SkillResolver

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
TRUE_WORDS = {"1", "true", "yes", "y", "t", "是", "对", "可", "可以", "远程"}
FALSE_WORDS = {"0", "false", "no", "n", "f", "否", "不", "不可", "不可以"}


class CellError(ValueError):
    """A problem with one cell (or one item in it), with the resolver's suggestions when it has any."""

    def __init__(self, message: str, *, value: str = "", suggestions: list[str] | None = None):
        super().__init__(message)
        self.value = value
        self.suggestions = list(suggestions or [])


@dataclass(frozen=True)
class SkillItem:
    skill_id: int
    level: int
    weight: float = 1.0


@dataclass(frozen=True)
class LanguageItem:
    language_id: int
    cefr: int


def split_items(cell: str) -> list[str]:
    """``a:3; b：4；c`` -> ``["a:3", "b:4", "c"]`` (full-width punctuation folded first)."""
    text = unicodedata.normalize("NFKC", cell or "")
    return [item.strip() for item in text.split(";") if item.strip()]


def _splits(item: str, max_numbers: int) -> list[tuple[str, list[str]]]:
    """Every way to read up to ``max_numbers`` trailing numeric fields off ``item``, most numbers first."""
    out = [(item.strip(), [])]
    name, numbers = item, []
    while len(numbers) < max_numbers and ":" in name:
        head, tail = name.rsplit(":", 1)
        if not _NUMBER.match(tail.strip()):
            break
        numbers = [tail.strip(), *numbers]
        name = head
        out.append((name.strip(), list(numbers)))
    return list(reversed(out))


def _level(token: str | None, *, default: int = 3) -> int:
    if token is None or token == "":
        return default
    if not token.isdigit():
        raise CellError(_("level %(value)s is not a whole number from 1 to 5") % {"value": token}, value=token)
    value = int(token)
    if not 1 <= value <= 5:
        raise CellError(_("level %(value)s is outside 1-5") % {"value": value}, value=token)
    return value


def _weight(token: str | None) -> float:
    if token is None or token == "":
        return 1.0
    value = float(token)
    if not 0 < value <= 10:
        raise CellError(_("weight %(value)s must be above 0 and at most 10") % {"value": token}, value=token)
    return value


class ItemParser:
    """Parses skill and language lists for one import run, with one resolver and memoised CEFR parsing."""

    def __init__(self, resolver: SkillResolver | None = None):
        self.resolver = resolver or SkillResolver()
        self._cefr: dict[str, int | str] = {}
        self._items: dict[tuple[str, bool], SkillItem | CellError] = {}
        self._languages: dict[tuple[str, int | None], LanguageItem | CellError] = {}
        self.exams: dict[str, tuple[int, int]] = {}
        for code, label, language_id, cefr in LanguageExam.objects.values_list("code", "label", "language_id",
                                                                               "cefr"):
            self.exams[self._exam_key(code)] = (language_id, cefr)
            self.exams[self._exam_key(label)] = (language_id, cefr)

    @staticmethod
    def _exam_key(text: str) -> str:
        return normalize(text).replace("-", "").replace(" ", "")

    def resolve(self, name: str, *, languages: bool) -> int:
        try:
            return self.resolver.resolve(name, languages=languages)
        except SkillResolutionError as exc:
            raise CellError(str(exc), value=name, suggestions=exc.suggestions) from None

    def parse_cefr(self, token: str) -> int:
        """``B2`` / ``b2`` / ``4`` / ``CET-6`` -> 1..6 through ``apps.skills.levels.parse_cefr``, memoised."""
        key = normalize(token)
        if key not in self._cefr:
            try:
                self._cefr[key] = parse_cefr(token)
            except ValueError:
                self._cefr[key] = _("%(value)r is not a CEFR level (A1, A2, B1, B2, C1, C2) or a known language "
                                    "exam.") % {"value": token}
        value = self._cefr[key]
        if isinstance(value, str):
            raise CellError(value, value=token)
        return value

    def skill_item(self, item: str, *, with_weight: bool) -> SkillItem:
        """One ``skill[:level[:weight]]`` item: the first reading (most numbers first) whose name resolves
        and whose numbers are valid. Errors name the most specific problem found.

        Results are memoised per run: a roster repeats the same few thousand items across 100,000 rows.
        """
        key = (item, with_weight)
        cached = self._items.get(key)
        if cached is None:
            try:
                cached = self._skill_item(item, with_weight=with_weight)
            except CellError as exc:
                cached = exc
            self._items[key] = cached
        if isinstance(cached, CellError):
            raise CellError(str(cached), value=cached.value, suggestions=cached.suggestions)
        return cached

    def _skill_item(self, item: str, *, with_weight: bool) -> SkillItem:
        name_error: CellError | None = None
        number_error: CellError | None = None
        for name, numbers in _splits(item, 2 if with_weight else 1):
            if not name:
                continue
            try:
                skill_id = self.resolve(name, languages=False)
            except CellError as exc:
                name_error = name_error or exc
                continue
            try:
                level = _level(numbers[0] if numbers else None)
                weight = _weight(numbers[1] if len(numbers) > 1 else None)
            except CellError as exc:
                number_error = number_error or exc
                continue
            return SkillItem(skill_id=skill_id, level=level, weight=weight)
        if number_error:
            raise number_error
        if ":" in item:
            # "amazon:high": a known name followed by a level that is not a number.
            head, tail = item.rsplit(":", 1)
            try:
                self.resolve(head, languages=False)
            except CellError:
                pass
            else:
                _level(tail.strip())
        raise name_error or CellError(_("cannot read %(item)s") % {"item": item}, value=item)

    def skill_list(self, cell: str, *, with_weight: bool = False) -> list[SkillItem]:
        """A ``;``-separated list; raises ``CellError`` naming the first bad item (duplicates included)."""
        out: list[SkillItem] = []
        seen: set[int] = set()
        for item in split_items(cell):
            parsed = self.skill_item(item, with_weight=with_weight)
            if parsed.skill_id in seen:
                raise CellError(_("%(skill)s is listed twice") % {"skill": self.resolver.describe(parsed.skill_id)},
                                value=item)
            seen.add(parsed.skill_id)
            out.append(parsed)
        return out

    def language_item(self, item: str, *, default_cefr: int | None) -> LanguageItem:
        """``English:B2`` / ``英语:CET-6`` / ``CET-6`` (the exam names its language) / ``English`` (default)."""
        key = (item, default_cefr)
        cached = self._languages.get(key)
        if cached is None:
            try:
                cached = self._language_item(item, default_cefr=default_cefr)
            except CellError as exc:
                cached = exc
            self._languages[key] = cached
        if isinstance(cached, CellError):
            raise CellError(str(cached), value=cached.value, suggestions=cached.suggestions)
        return cached

    def _language_item(self, item: str, *, default_cefr: int | None) -> LanguageItem:
        exam = self.exams.get(self._exam_key(item))
        if exam:
            return LanguageItem(language_id=exam[0], cefr=exam[1])
        if ":" in item:
            name, token = (part.strip() for part in item.rsplit(":", 1))
            language_id = self.resolve(name, languages=True)
            if not token:
                raise CellError(_("give a CEFR level (A1-C2) or an exam after %(name)s:") % {"name": name},
                                value=item)
            cefr = self.parse_cefr(token)
            exam = self.exams.get(self._exam_key(token))
            if exam and exam[0] != language_id:
                raise CellError(_("%(exam)s is an exam of %(exam_language)s, not of %(language)s") % {
                    "exam": token, "exam_language": self.resolver.label(exam[0]),
                    "language": self.resolver.label(language_id)}, value=item)
            return LanguageItem(language_id=language_id, cefr=cefr)
        language_id = self.resolve(item, languages=True)
        if default_cefr is None:
            raise CellError(_("give a CEFR level for %(name)s, e.g. %(name)s:B2") % {"name": item}, value=item)
        return LanguageItem(language_id=language_id, cefr=default_cefr)

    def language_list(self, cell: str, *, default_cefr: int | None = None) -> list[LanguageItem]:
        out: list[LanguageItem] = []
        seen: set[int] = set()
        for item in split_items(cell):
            parsed = self.language_item(item, default_cefr=default_cefr)
            if parsed.language_id in seen:
                raise CellError(_("%(language)s is listed twice") % {
                    "language": self.resolver.describe(parsed.language_id)}, value=item)
            seen.add(parsed.language_id)
            out.append(parsed)
        return out


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number (full-width digits and thousands separators accepted); empty is ``None``."""
    token = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not token:
        return None
    if token.endswith(".0"):
        token = token[:-2]  # Excel writes 2025 as 2025.0 after a number-format round trip
    if not token.isdigit():
        raise CellError(_("%(value)s is not a whole number") % {"value": text}, value=text)
    value = int(token)
    if minimum is not None and value < minimum:
        raise CellError(_("%(value)s is below %(minimum)s") % {"value": value, "minimum": minimum}, value=text)
    if maximum is not None and value > maximum:
        raise CellError(_("%(value)s is above %(maximum)s") % {"value": value, "maximum": maximum}, value=text)
    return value


def parse_bool(text: str, *, default: bool = False) -> bool:
    token = normalize(text)
    if not token:
        return default
    if token in TRUE_WORDS:
        return True
    if token in FALSE_WORDS:
        return False
    raise CellError(_("%(value)s is not yes or no") % {"value": text}, value=text)


def parse_date(text: str) -> dt.date | None:
    """``2026-09-30``, ``2026/9/30`` or ``2026年9月30日``; empty is ``None``."""
    token = unicodedata.normalize("NFKC", text or "").strip()
    if not token:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", token)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(_("%(value)s is not a date like 2026-09-30") % {"value": text}, value=text)


def parse_choice(text: str, choices: dict[str, str], *, default: str, name: str) -> str:
    """Map a cell to a stored choice value through ``choices`` (normalised spelling -> value)."""
    token = normalize(text)
    if not token:
        return default
    value = choices.get(token) or choices.get(token.replace(" ", "_").replace("-", "_"))
    if value is None:
        allowed = sorted(set(choices.values()))
        raise CellError(_("%(value)s is not a valid %(column)s; use one of %(allowed)s") % {
            "value": text, "column": name, "allowed": ", ".join(allowed)}, value=text)
    return value
