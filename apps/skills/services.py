"""Writes for the taxonomy: loading the shipped taxonomy and importing ESCO/native skill files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from apps.core.text import normalize

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


@dataclass
class ImportReport:
    """What an import did: counts plus one message per rejected row (row numbers count the header as 1)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.rejected} rejected")


def _split_alt_labels(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\r", "\n").split("\n") if part.strip()]


def skills_import(*, path: str | Path, fmt: str, strict: bool = False) -> ImportReport:
    """Import skills from ESCO's skills CSV or the native JSON/CSV format; re-running updates, never duplicates.

    ESCO: columns ``conceptUri, preferredLabel, altLabels`` (alt labels newline-separated); other columns
    are ignored. Skills are keyed by URI; codes are ``esco:<uuid>``. Native: the shipped JSON shape, or a
    CSV with ``code, category, label_en, label_zh, aliases_en, aliases_zh, description_en, description_zh``.
    """
    path = Path(path)
    if fmt == "native":
        return _native_import(path=path, strict=strict)
    if fmt != "esco":
        raise ValueError(f"Unknown format {fmt!r}: use esco or native.")
    report = ImportReport()
    rows: list[tuple[int, str, str, list[str], str]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"conceptUri", "preferredLabel"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        for number, row in enumerate(reader, start=2):
            uri = (row.get("conceptUri") or "").strip()
            label = (row.get("preferredLabel") or "").strip()
            if not uri or not label:
                report.errors.append((number, "conceptUri and preferredLabel are required"))
                continue
            if uri in seen:
                report.errors.append((number, f"duplicate conceptUri {uri} in this file"))
                continue
            seen.add(uri)
            rows.append((number, uri, label, _split_alt_labels(row.get("altLabels", "")),
                         (row.get("description") or "").strip()))
    if strict and report.errors:
        return report
    category, _ = SkillCategory.objects.get_or_create(
        code=ESCO_CATEGORY[0], defaults={"label_en": ESCO_CATEGORY[1], "label_zh": ESCO_CATEGORY[2], "order": 99}
    )
    with transaction.atomic():
        existing = {uri: (pk, label_en, desc) for pk, uri, label_en, desc in
                    Skill.objects.filter(esco_uri__isnull=False).values_list("pk", "esco_uri", "label_en",
                                                                             "description_en")}
        to_create, to_update = [], []
        for _number, uri, label, _alts, description in rows:
            if uri in existing:
                pk, old_label, old_desc = existing[uri]
                if old_label != label[:255] or (description and old_desc != description):
                    to_update.append(Skill(pk=pk, label_en=label[:255], description_en=description or old_desc))
                else:
                    report.unchanged += 1
            else:
                code = "esco:" + uri.rstrip("/").rsplit("/", 1)[-1]
                to_create.append(Skill(code=code[:255], esco_uri=uri, label_en=label[:255], category=category,
                                       description_en=description, source=SkillSource.ESCO))
        Skill.objects.bulk_create(to_create, batch_size=BATCH)
        Skill.objects.bulk_update(to_update, ["label_en", "description_en"], batch_size=BATCH)
        report.created = len(to_create)
        report.updated = len(to_update)
        ids = dict(Skill.objects.filter(esco_uri__in=[r[1] for r in rows]).values_list("esco_uri", "pk"))
        existing_names = set(SkillAlias.objects.filter(skill_id__in=ids.values()).values_list("skill_id", "normalized"))
        wanted = []
        for _number, uri, label, alts, _description in rows:
            for name in _names_for(ids[uri], label, "", alts, []):
                if (name.skill_id, name.normalized) not in existing_names:
                    wanted.append(name)
        SkillAlias.objects.bulk_create(wanted, batch_size=BATCH, ignore_conflicts=True)
    return report


def _native_import(*, path: Path, strict: bool) -> ImportReport:
    report = ImportReport()
    if path.suffix.lower() == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            items = []
            for number, row in enumerate(csv.DictReader(handle), start=2):
                if not (row.get("code") and row.get("category") and row.get("label_en")):
                    report.errors.append((number, "code, category and label_en are required"))
                    continue
                row["aliases_en"] = [a.strip() for a in (row.get("aliases_en") or "").split(";") if a.strip()]
                row["aliases_zh"] = [a.strip() for a in (row.get("aliases_zh") or "").split(";") if a.strip()]
                items.append(row)
        known = set(SkillCategory.objects.values_list("code", flat=True))
        categories = [{"code": c, "label_en": c, "label_zh": c} for c in {i["category"] for i in items} - known]
        categories += [{"code": c.code, "label_en": c.label_en, "label_zh": c.label_zh, "order": c.order}
                       for c in SkillCategory.objects.filter(code__in={i["category"] for i in items})]
        data = {"categories": categories, "skills": items, "version": "import"}
    if strict and report.errors:
        return report
    before = Skill.objects.count()
    counts = taxonomy_load(data={**data, "version": data.get("version", "import")})
    report.created = Skill.objects.count() - before
    report.updated = counts["skills_updated"]
    report.unchanged = len(data["skills"]) - report.created - report.updated
    # A native import must not make the shipped taxonomy look loaded at another version.
    return report
