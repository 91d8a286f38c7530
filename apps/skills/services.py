"""Writes for the taxonomy: loading the shipped taxonomy and importing ESCO/native skill files."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.core.text import normalize
from apps.imports.csvio import CsvSource, ImportFileError
from apps.imports.report import ImportReport as _ImportReport

from .models import LanguageExam, Location, Market, Skill, SkillAlias, SkillCategory, SkillSource, TaxonomyVersion

SHIPPED_TAXONOMY = Path(__file__).resolve().parent / "data" / "taxonomy.json"
ESCO_CATEGORY = ("esco", "ESCO skills", "ESCO技能")
BATCH = 2000


def _names_for(skill_id: int, label_en: str, label_zh: str, aliases_en, aliases_zh) -> list[SkillAlias]:
    rows: dict[str, SkillAlias] = {}
    for text, lang, kind in (
        [(label_en, "en", "label"), (label_zh, "zh", "label")]
        + [(a, "en", "alias") for a in aliases_en or []]
        + [(a, "zh", "alias") for a in aliases_zh or []]
    ):
        norm = normalize(text)
        if norm and norm not in rows:
            rows[norm] = SkillAlias(skill_id=skill_id, alias=text.strip()[:255], language=lang, kind=kind,
                                    normalized=norm[:255])
    return list(rows.values())


@transaction.atomic
def taxonomy_load(*, data: dict, using: str = "default") -> dict[str, int]:
    """Upsert categories, skills, names, markets, locations and exams from the shipped JSON; idempotent."""
    counts = {"categories": 0, "skills_created": 0, "skills_updated": 0, "markets": 0, "locations": 0}
    categories = {}
    for item in data["categories"]:
        category, _ = SkillCategory.objects.using(using).update_or_create(
            code=item["code"],
            defaults={"label_en": item["label_en"], "label_zh": item["label_zh"], "order": item.get("order", 0)},
        )
        categories[item["code"]] = category
        counts["categories"] += 1
    existing = {s.code: s for s in Skill.objects.using(using).filter(code__in=[s["code"] for s in data["skills"]])}
    for item in data["skills"]:
        values = {
            "category": categories[item["category"]],
            "label_en": item["label_en"],
            "label_zh": item.get("label_zh", ""),
            "description_en": item.get("description_en", ""),
            "description_zh": item.get("description_zh", ""),
            "esco_uri": item.get("esco_uri") or None,
            "is_language": item["category"] == "language",
            "source": SkillSource.NATIVE,
            "is_active": True,
        }
        skill = existing.get(item["code"])
        if skill is None:
            skill = Skill.objects.using(using).create(code=item["code"], **values)
            counts["skills_created"] += 1
        else:
            changed = [k for k, v in values.items() if getattr(skill, k if k != "category" else "category_id")
                       != (v.pk if k == "category" else v)]
            if changed:
                for k in changed:
                    setattr(skill, k, values[k])
                skill.save(using=using)
                counts["skills_updated"] += 1
        names = _names_for(skill.pk, item["label_en"], item.get("label_zh", ""),
                           item.get("aliases_en"), item.get("aliases_zh"))
        SkillAlias.objects.using(using).filter(skill=skill).exclude(
            normalized__in=[n.normalized for n in names]
        ).delete()
        SkillAlias.objects.using(using).bulk_create(names, ignore_conflicts=True)
    for model, key in ((Market, "markets"), (Location, "locations")):
        for order, item in enumerate(data.get(key, []), start=1):
            model.objects.using(using).update_or_create(
                code=item["code"],
                defaults={"label_en": item["label_en"], "label_zh": item["label_zh"], "order": order},
            )
            counts[key] += 1
    for item in data.get("language_exams", []):
        language = Skill.objects.using(using).filter(code=item["language"]).first()
        if language is None:
            continue
        from .levels import CEFR_BY_LABEL

        LanguageExam.objects.using(using).update_or_create(
            code=item["code"].lower().replace("-", ""),
            defaults={"label": item["label"], "language": language, "cefr": CEFR_BY_LABEL[item["cefr"].upper()]},
        )
    TaxonomyVersion.objects.using(using).update_or_create(pk=1, defaults={"version": data.get("version", "")})
    return counts


def taxonomy_load_shipped(*, only_if_changed: bool = False, using: str = "default") -> dict[str, int] | None:
    """Load ``data/taxonomy.json``; with ``only_if_changed`` skip when that version is already loaded."""
    if not SHIPPED_TAXONOMY.exists():
        return None
    data = json.loads(SHIPPED_TAXONOMY.read_text(encoding="utf-8"))
    if only_if_changed:
        current = TaxonomyVersion.objects.using(using).filter(pk=1).first()
        if current and current.version == data.get("version") and Skill.objects.using(using).exists():
            return None
    return taxonomy_load(data=data, using=using)


# The report every bulk import returns (counts plus per-row problems); kept importable from here.
ImportReport = _ImportReport


def _split_alt_labels(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\r", "\n").split("\n") if part.strip()]


@dataclass
class _EscoRow:
    number: int
    uri: str
    label: str
    alt_labels: list[str]
    description: str


def _esco_code(uri: str, used: set[str]) -> str:
    code = ("esco:" + uri.rstrip("/").rsplit("/", 1)[-1])[:255]
    if code in used:
        code = "esco:" + hashlib.sha1(uri.encode(), usedforsecurity=False).hexdigest()
    used.add(code)
    return code


def skills_import(*, path: str | Path | None = None, fmt: str, strict: bool = False,
                  rows_source: CsvSource | None = None) -> ImportReport:
    """Import skills from ESCO's skills CSV or the native JSON/CSV format; re-running updates, never duplicates.

    ESCO: columns ``conceptUri, preferredLabel, altLabels`` (alt labels newline-separated; ``description``
    is kept when present, other columns are ignored). Skills are keyed by URI; new codes are ``esco:<uuid>``.
    A native skill that carries the same ESCO URI keeps its own labels and gains ESCO's names as aliases.
    Native: the shipped JSON shape, or a CSV with ``code, category, label_en, label_zh, aliases_en, aliases_zh,
    description_en, description_zh``. Files may be UTF-8 (BOM optional) or GBK/GB18030.
    """
    started = time.monotonic()
    if fmt == "native":
        if path is None:
            raise ValueError("The native format needs a path (a .json or .csv file).")
        report = _native_import(path=Path(path), strict=strict, rows_source=rows_source)
    elif fmt == "esco":
        source = rows_source or CsvSource.from_path(path)
        report = _esco_import(source=source, strict=strict)
    else:
        raise ValueError(f"Unknown format {fmt!r}: use esco or native.")
    report.strict = strict
    report.seconds = time.monotonic() - started
    return report


def _esco_rows(source: CsvSource, report: ImportReport) -> list[_EscoRow]:
    source.check_columns(["concepturi", "preferredlabel"])
    rows: list[_EscoRow] = []
    seen: dict[str, int] = {}
    for row in source.rows():
        report.rows_read += 1
        uri, label = row.get("concepturi"), row.get("preferredlabel")
        if not uri or not label:
            for column, value in (("conceptUri", uri), ("preferredLabel", label)):
                if not value:
                    report.error(row.number, column, _("%(column)s is required") % {"column": column})
            continue
        if len(uri) > 255:
            report.error(row.number, "conceptUri", _("the URI is longer than 255 characters"), value=uri[:60])
            continue
        if uri in seen:
            report.error(row.number, "conceptUri", _("%(uri)s is already on row %(row)s of this file")
                         % {"uri": uri, "row": seen[uri]}, value=uri)
            continue
        seen[uri] = row.number
        rows.append(_EscoRow(row.number, uri, label[:255], _split_alt_labels(row.get("altlabels")),
                             row.get("description") or row.get("definition")))
    return rows


def _esco_import(*, source: CsvSource, strict: bool) -> ImportReport:
    report = ImportReport()
    rows = _esco_rows(source, report)
    if strict and report.errors:
        report.rolled_back = True
        return report
    with transaction.atomic():
        category, _created = SkillCategory.objects.get_or_create(
            code=ESCO_CATEGORY[0], defaults={"label_en": ESCO_CATEGORY[1], "label_zh": ESCO_CATEGORY[2], "order": 99}
        )
        existing = {uri: (pk, source_kind, label_en, description) for pk, uri, source_kind, label_en, description
                    in Skill.objects.filter(esco_uri__isnull=False).values_list(
                        "pk", "esco_uri", "source", "label_en", "description_en")}
        used_codes = set(Skill.objects.filter(code__startswith="esco:").values_list("code", flat=True))
        to_create, to_update, changed = [], [], set()
        for row in rows:
            current = existing.get(row.uri)
            if current is None:
                to_create.append(Skill(code=_esco_code(row.uri, used_codes), esco_uri=row.uri, label_en=row.label,
                                       category=category, description_en=row.description, source=SkillSource.ESCO))
                continue
            pk, source_kind, label_en, description = current
            if source_kind != SkillSource.ESCO:
                continue  # a native skill keeps its own labels; ESCO's names become its aliases below
            if label_en != row.label or (row.description and description != row.description):
                to_update.append(Skill(pk=pk, label_en=row.label, description_en=row.description or description))
                changed.add(row.uri)
        Skill.objects.bulk_create(to_create, batch_size=BATCH)
        Skill.objects.bulk_update(to_update, ["label_en", "description_en"], batch_size=BATCH)
        skills = {uri: (pk, source_kind) for pk, uri, source_kind in
                  Skill.objects.filter(esco_uri__isnull=False).values_list("pk", "esco_uri", "source")}
        current_names: dict[int, dict[str, int]] = {}
        for pk, skill_id, norm in SkillAlias.objects.filter(skill__esco_uri__isnull=False).values_list(
                "pk", "skill_id", "normalized"):
            current_names.setdefault(skill_id, {})[norm] = pk
        new_names, stale = [], []
        for row in rows:
            skill_id, source_kind = skills[row.uri]
            have = current_names.get(skill_id, {})
            if source_kind == SkillSource.ESCO:
                wanted = _names_for(skill_id, row.label, "", row.alt_labels, [])
            else:
                wanted = _names_for(skill_id, "", "", [row.label, *row.alt_labels], [])
            wanted_norms = {name.normalized for name in wanted}
            additions = [name for name in wanted if name.normalized not in have]
            removals = [pk for norm, pk in have.items() if norm not in wanted_norms] \
                if source_kind == SkillSource.ESCO else []
            new_names.extend(additions)
            stale.extend(removals)
            if (additions or removals) and row.uri in existing:
                changed.add(row.uri)
        for start in range(0, len(stale), 900):
            SkillAlias.objects.filter(pk__in=stale[start:start + 900]).delete()
        SkillAlias.objects.bulk_create(new_names, batch_size=BATCH, ignore_conflicts=True)
    report.created = len(to_create)
    report.updated = len(changed)
    report.unchanged = len(rows) - report.created - report.updated
    file_names = {normalize(name) for row in rows for name in (row.label, *row.alt_labels)}
    shared = sorted(
        name for name in SkillAlias.objects.values("normalized")
        .annotate(skills=Count("skill_id", distinct=True), labels=Count("pk", filter=Q(kind="label")))
        .filter(skills__gt=1).exclude(labels=1).values_list("normalized", flat=True)
        if name in file_names
    )
    if shared:
        report.notices.append(
            _("%(count)s name(s) in this file are aliases of more than one skill: they resolve only by code, URI "
              "or label, and an import naming one of them reports it as ambiguous, e.g. %(examples)s.")
            % {"count": len(shared), "examples": ", ".join(repr(name) for name in shared[:5])}
        )
    return report


def _native_import(*, path: Path, strict: bool, rows_source: CsvSource | None = None) -> ImportReport:
    report = ImportReport()
    if path.suffix.lower() == ".json" and rows_source is None:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise ImportFileError(_("%(name)s is not a readable taxonomy JSON file: %(error)s")
                                  % {"name": path.name, "error": exc}) from exc
        report.rows_read = len(data.get("skills", []))
    else:
        source = rows_source or CsvSource.from_path(path)
        source.check_columns(["code", "category", "label_en"])
        items = []
        for row in source.rows():
            report.rows_read += 1
            item = dict(row.values)
            missing = [c for c in ("code", "category", "label_en") if not item.get(c)]
            for column in missing:
                report.error(row.number, column, _("%(column)s is required") % {"column": column})
            if missing:
                continue
            item["aliases_en"] = [a.strip() for a in (item.get("aliases_en") or "").split(";") if a.strip()]
            item["aliases_zh"] = [a.strip() for a in (item.get("aliases_zh") or "").split(";") if a.strip()]
            items.append(item)
        known = set(SkillCategory.objects.values_list("code", flat=True))
        categories = [{"code": c, "label_en": c, "label_zh": c} for c in {i["category"] for i in items} - known]
        categories += [{"code": c.code, "label_en": c.label_en, "label_zh": c.label_zh, "order": c.order}
                       for c in SkillCategory.objects.filter(code__in={i["category"] for i in items})]
        data = {"categories": categories, "skills": items}
    if strict and report.errors:
        report.rolled_back = True
        return report
    # A native import must not make the shipped taxonomy look loaded at another version.
    version = TaxonomyVersion.objects.filter(pk=1).first()
    before = Skill.objects.count()
    with transaction.atomic():
        counts = taxonomy_load(data={**data, "version": data.get("version", "import")})
        if version is not None:
            TaxonomyVersion.objects.filter(pk=1).update(version=version.version)
        else:
            TaxonomyVersion.objects.filter(pk=1).delete()
    report.created = Skill.objects.count() - before
    report.updated = counts["skills_updated"]
    report.unchanged = len(data["skills"]) - report.created - report.updated
    return report
