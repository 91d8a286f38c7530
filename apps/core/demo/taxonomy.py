"""A read-once snapshot of the taxonomy for the demo builder: skill ids and labels, locations, markets."""

from __future__ import annotations

from apps.skills.models import Location, Market, Skill


class DemoSeedError(Exception):
    """The demo data could not be built; the message says why and what to do."""


class Taxonomy:
    """Skill ids and (Chinese, English) labels by code, plus location and market labels by code."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.labels: dict[str, tuple[str, str]] = {}
        rows = Skill.objects.filter(is_active=True).values_list("pk", "code", "label_en", "label_zh")
        for pk, code, label_en, label_zh in rows:
            self.ids[code] = pk
            self.labels[code] = (label_zh or label_en, label_en)
        if not self.ids:
            raise DemoSeedError(
                "The skills taxonomy is empty: run `manage.py migrate` (it loads apps/skills/data/taxonomy.json) "
                "or `manage.py load_taxonomy` first."
            )
        self.locations = {
            code: (zh, en) for code, en, zh in Location.objects.values_list("code", "label_en", "label_zh")
        }
        self.markets = {code: (zh, en) for code, en, zh in Market.objects.values_list("code", "label_en", "label_zh")}
        self.missing: set[str] = set()

    def has(self, code: str) -> bool:
        """Whether the skill exists; unknown codes are remembered for the summary and never written."""
        if code in self.ids:
            return True
        self.missing.add(code)
        return False

    def location(self, code: str) -> tuple[str, str]:
        return self.locations.get(code, ("", ""))
