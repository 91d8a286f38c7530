"""Bulk import of vacancies from CSV (``manage.py import_vacancies`` and the firms' upload page).

Columns: ``external_id, firm, title, description, required_skills, optional_skills, languages, location,
job_type, openings`` plus optional ``salary_min, salary_max, deadline, markets, remote, status``. Skill
items are ``skill:level[:weight]``. Idempotent on (firm, external_id); a re-import replaces the
vacancy's fields and requirements. Imported vacancies are open unless the ``status`` column says otherwise.

The command runs as an operator: ``firm`` names the firm, created (approved) when missing. The upload
page passes the uploader's own firm, and the ``firm`` column is then ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation
from apps.accounts.services import organisation_get_or_create_firm
from apps.core.text import normalize
from apps.imports.csvio import CsvRow, CsvSource
from apps.imports.items import (
    CellError,
    ItemParser,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    split_items,
)
from apps.imports.report import ImportReport
from apps.imports.runner import BATCH_SIZE, BatchResult, RowErrors, run_import
from apps.skills.levels import CEFR
from apps.skills.models import Location, Market
from apps.talent.models import JobType

from .models import Vacancy, VacancyLanguage, VacancySkill, VacancyStatus

REQUIRED_COLUMNS = ("external_id", "title", "required_skills")
OPTIONAL_COLUMNS = ("firm", "description", "optional_skills", "languages", "location", "job_type", "openings",
                    "salary_min", "salary_max", "deadline", "markets", "remote", "status")
COLUMNS = ("external_id", "firm", "title", "description", "required_skills", "optional_skills", "languages",
           "location", "job_type", "openings", "salary_min", "salary_max", "deadline", "markets", "remote", "status")
TEMPLATE_EXAMPLE = ["JOB-001", "", "亚马逊运营专员", "负责亚马逊店铺日常运营", "Amazon Seller Central:4:2; 选品:3",
                    "TikTok Shop:2", "English:B2", "", "full_time", "2", "6000", "9000", "", "", "no", "open"]
JOB_TYPES = {
    **dict.fromkeys(("full_time", "fulltime", "full", "全职"), JobType.FULL_TIME),
    **dict.fromkeys(("part_time", "parttime", "part", "兼职"), JobType.PART_TIME),
    **dict.fromkeys(("internship", "intern", "实习"), JobType.INTERNSHIP),
}
STATUSES = {
    "open": VacancyStatus.OPEN, "published": VacancyStatus.OPEN, "开放": VacancyStatus.OPEN,
    "招聘中": VacancyStatus.OPEN, "发布": VacancyStatus.OPEN,
    "draft": VacancyStatus.DRAFT, "草稿": VacancyStatus.DRAFT,
    "closed": VacancyStatus.CLOSED, "关闭": VacancyStatus.CLOSED, "已关闭": VacancyStatus.CLOSED,
}
COMPARED_FIELDS = ("title", "description", "location", "remote", "job_type", "openings", "salary_min", "salary_max",
                   "markets", "deadline", "status")


@dataclass
class VacancyRow:
    """One parsed vacancy row: fields, requirements and (command only) the firm's name."""

    number: int
    external_id: str
    firm_name: str
    fields: dict
    skills: set[tuple[int, int, float, bool]] = field(default_factory=set)
    languages: set[tuple[int, int]] = field(default_factory=set)


def _code_map(model) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, label_en, label_zh in model.objects.values_list("code", "label_en", "label_zh"):
        for name in (code, label_en, label_zh):
            if name:
                out[normalize(name)] = code
    return out


class VacancyImporter:
    """Parses and writes vacancy rows for one run; ``firm`` fixes the firm (upload page), else the column."""

    required_columns = REQUIRED_COLUMNS
    optional_columns = OPTIONAL_COLUMNS

    def __init__(self, *, header: list[str], firm: Organisation | None = None, actor=None):
        self.header = set(header)
        self.firm = firm
        if firm is None:
            self.required_columns = (*REQUIRED_COLUMNS, "firm")
        self.actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        self.parser = ItemParser()
        self.locations = _code_map(Location)
        self.markets = _code_map(Market)
        self.seen: dict[tuple[str, str], int] = {}
        self.firms: dict[str, Organisation] = {}
        self.today = timezone.localdate()

    def row_number(self, item: VacancyRow) -> int:
        return item.number

    def forget(self) -> None:
        """Firms created in a rolled-back batch no longer exist: look them up again."""
        self.firms.clear()

    def _markets(self, cell: str) -> list[str]:
        codes = []
        for item in split_items(cell):
            code = self.markets.get(normalize(item))
            if code is None:
                raise CellError(_("unknown market %(value)s; use one of %(allowed)s")
                                % {"value": item, "allowed": ", ".join(sorted(set(self.markets.values())))},
                                value=item)
            if code not in codes:
                codes.append(code)
        return codes

    def _location(self, cell: str) -> str:
        if not cell:
            return ""
        code = self.locations.get(normalize(cell))
        if code is None:
            raise CellError(_("unknown location %(value)s; use one of %(allowed)s")
                            % {"value": cell, "allowed": ", ".join(sorted(set(self.locations.values())))}, value=cell)
        return code

    def parse(self, row: CsvRow, errors: RowErrors) -> VacancyRow | None:
        external_id = errors.require("external_id", 100)
        firm_name = "" if self.firm is not None else errors.require("firm", 200)
        title = errors.require("title", 200)
        required = errors.cell("required_skills", self.parser.skill_list, row.get("required_skills"),
                               with_weight=True) or []
        optional = errors.cell("optional_skills", self.parser.skill_list, row.get("optional_skills"),
                               with_weight=True) or []
        both = {s.skill_id for s in required} & {s.skill_id for s in optional}
        if both:
            errors.add("optional_skills", _("%(skills)s is both required and optional") % {
                "skills": ", ".join(self.parser.resolver.describe(pk) for pk in sorted(both))})
        languages = errors.cell("languages", self.parser.language_list, row.get("languages"),
                                default_cefr=CEFR.B1) or []
        fields = {
            "title": title,
            "description": row.get("description"),
            "location": errors.cell("location", self._location, row.get("location")) or "",
            "job_type": errors.cell("job_type", parse_choice, row.get("job_type"), JOB_TYPES,
                                    default=JobType.FULL_TIME, name="job_type"),
            "openings": errors.cell("openings", parse_int, row.get("openings"), minimum=1, maximum=100000) or 1,
            "salary_min": errors.cell("salary_min", parse_int, row.get("salary_min"), minimum=0),
            "salary_max": errors.cell("salary_max", parse_int, row.get("salary_max"), minimum=0),
            "deadline": errors.cell("deadline", parse_date, row.get("deadline")),
            "markets": errors.cell("markets", self._markets, row.get("markets")) or [],
            "remote": errors.cell("remote", parse_bool, row.get("remote")),
            "status": errors.cell("status", parse_choice, row.get("status"), STATUSES, default=VacancyStatus.OPEN,
                                  name="status"),
        }
        if fields["salary_min"] and fields["salary_max"] and fields["salary_max"] < fields["salary_min"]:
            errors.add("salary_max", _("salary_max is below salary_min"), value=row.get("salary_max"))
        if fields["status"] == VacancyStatus.OPEN:
            if not (required or optional) and not errors.bad:
                errors.add("required_skills", _("an open vacancy needs at least one skill"))
            deadline: dt.date | None = fields["deadline"]
            if deadline and deadline < self.today:
                errors.add("deadline", _("the deadline %(date)s has passed; import it as closed or change the date")
                           % {"date": deadline.isoformat()}, value=row.get("deadline"))
        key = (normalize(firm_name), external_id)
        if external_id and not errors.bad:
            first = self.seen.get(key)
            if first:
                errors.add("external_id", _("external id %(id)s of this firm is already used on row %(row)s")
                           % {"id": external_id, "row": first}, value=external_id)
            else:
                self.seen[key] = row.number
        if errors.bad:
            return None
        return VacancyRow(
            number=row.number, external_id=external_id, firm_name=firm_name, fields=fields,
            skills={(s.skill_id, s.level, s.weight, True) for s in required}
            | {(s.skill_id, s.level, s.weight, False) for s in optional},
            languages={(lang.language_id, lang.cefr) for lang in languages},
        )

    def _firm_for(self, item: VacancyRow, result: BatchResult) -> Organisation | None:
        if self.firm is not None:
            return self.firm
        key = normalize(item.firm_name)
        if key not in self.firms:
            try:
                self.firms[key] = organisation_get_or_create_firm(name=item.firm_name)[0]
            except ValidationError as exc:
                result.error(item.number, "firm", "; ".join(exc.messages), value=item.firm_name)
                return None
        return self.firms[key]

    def write(self, items: list[VacancyRow]) -> BatchResult:
        """Write one batch: existing vacancies and their requirements are loaded with one query each."""
        result = BatchResult()
        now = timezone.now()
        located: list[tuple[VacancyRow, Organisation]] = []
        for item in items:
            firm = self._firm_for(item, result)
            if firm is None:
                continue
            if item.fields["status"] == VacancyStatus.OPEN and not firm.is_approved:
                result.error(item.number, "status", _("%(firm)s is not approved yet, so its vacancies cannot be "
                             "open; import them as draft") % {"firm": firm.name}, value=item.fields["status"])
                continue
            located.append((item, firm))
        existing = {(v.firm_id, v.external_id): v for v in Vacancy.objects.filter(
            firm_id__in={firm.pk for _i, firm in located}, external_id__in=[i.external_id for i, _f in located])}
        ids = [v.pk for v in existing.values()]
        current_skills: dict[int, set] = {}
        for vacancy_id, *req in VacancySkill.objects.filter(vacancy_id__in=ids).values_list(
                "vacancy_id", "skill_id", "min_level", "weight", "required"):
            current_skills.setdefault(vacancy_id, set()).add(tuple(req))
        current_languages: dict[int, set] = {}
        for vacancy_id, *req in VacancyLanguage.objects.filter(vacancy_id__in=ids).values_list(
                "vacancy_id", "language_id", "min_cefr"):
            current_languages.setdefault(vacancy_id, set()).add(tuple(req))

        new, changed, changed_fields, requirements = [], [], {"updated_at"}, []
        for item, firm in located:
            vacancy = existing.get((firm.pk, item.external_id))
            opening = item.fields["status"] == VacancyStatus.OPEN
            if vacancy is None:
                vacancy = Vacancy(firm=firm, external_id=item.external_id, created_by=self.actor,
                                  published_at=now if opening else None, **item.fields)
                new.append(vacancy)
                requirements.append((vacancy, item))
                continue
            fields = [name for name in COMPARED_FIELDS if getattr(vacancy, name) != item.fields[name]]
            for name in fields:
                setattr(vacancy, name, item.fields[name])
            if opening and vacancy.published_at is None:
                vacancy.published_at = now
                fields.append("published_at")
            same_requirements = (current_skills.get(vacancy.pk, set()) == item.skills
                                 and current_languages.get(vacancy.pk, set()) == item.languages)
            if not same_requirements:
                requirements.append((vacancy, item))
            if fields or not same_requirements:
                vacancy.updated_at = now
                changed.append(vacancy)
                changed_fields.update(fields)
                result.updated += 1
            else:
                result.unchanged += 1
        Vacancy.objects.bulk_create(new, batch_size=BATCH_SIZE)
        result.created += len(new)
        if changed:
            Vacancy.objects.bulk_update(changed, sorted(changed_fields), batch_size=500)
        replaced = [v.pk for v, _item in requirements]
        VacancySkill.objects.filter(vacancy_id__in=replaced).delete()
        VacancyLanguage.objects.filter(vacancy_id__in=replaced).delete()
        VacancySkill.objects.bulk_create(
            [VacancySkill(vacancy=v, skill_id=skill_id, min_level=level, weight=weight, required=required)
             for v, item in requirements for skill_id, level, weight, required in sorted(item.skills)],
            batch_size=BATCH_SIZE)
        VacancyLanguage.objects.bulk_create(
            [VacancyLanguage(vacancy=v, language_id=language_id, min_cefr=cefr)
             for v, item in requirements for language_id, cefr in sorted(item.languages)], batch_size=BATCH_SIZE)
        return result


def vacancies_import(*, rows_source: CsvSource, strict: bool = False, firm: Organisation | None = None, actor=None,
                     batch_size: int = BATCH_SIZE) -> ImportReport:
    """Import vacancies (command and upload page share this); with ``firm`` every row goes into that firm."""
    importer = VacancyImporter(header=rows_source.header, firm=firm, actor=actor)
    return run_import(source=rows_source, importer=importer, strict=strict, batch_size=batch_size)
