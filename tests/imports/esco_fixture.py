"""A realistic synthetic ESCO skills CSV (no downloads are possible here), for tests and ``bench/imports.py``.

It has the columns and quirks of ESCO's ``skills_en.csv``: ``conceptType, conceptUri, skillType, reuseLevel,
preferredLabel, altLabels, hiddenLabels, status, modifiedDate, scopeNote, definition, inScheme, description``;
URIs ``http://data.europa.eu/esco/skill/<uuid>``; verb-phrase labels; alt labels separated by newlines inside
a quoted cell; commas, quotes, colons (``ISO 9001:2015``) and non-ASCII letters in labels; and alt labels that
two skills share (which must resolve as ambiguous, not to either skill).
"""

from __future__ import annotations

import csv
import random
import uuid
from pathlib import Path

COLUMNS = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
           "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"]
URI_PREFIX = "http://data.europa.eu/esco/skill/"

VERBS = [
    ("manage", ["oversee", "run"]), ("analyse", ["analyze", "examine"]), ("coordinate", ["organise", "arrange"]),
    ("monitor", ["track", "follow up"]), ("negotiate", ["bargain over", "agree"]), ("plan", ["schedule", "forecast"]),
    ("prepare", ["draw up", "compile"]), ("apply", ["use", "employ"]), ("develop", ["build", "create"]),
    ("maintain", ["keep up", "upkeep"]), ("evaluate", ["assess", "appraise"]), ("implement", ["carry out", "execute"]),
    ("optimise", ["optimize", "improve"]), ("advise on", ["consult on", "counsel on"]),
    ("inspect", ["check", "audit"]),
    ("process", ["handle", "deal with"]), ("promote", ["advertise", "market"]), ("translate", ["render", "convert"]),
    ("design", ["lay out", "devise"]), ("report on", ["document", "write up"]), ("supervise", ["direct", "lead"]),
    ("calculate", ["compute", "work out"]), ("operate", ["work", "run"]), ("sell", ["retail", "trade"]),
    ("source", ["procure", "purchase"]), ("ship", ["dispatch", "send"]), ("declare", ["file", "submit"]),
    ("photograph", ["shoot", "capture"]), ("edit", ["revise", "amend"]), ("forecast", ["predict", "project"]),
    ("train staff on", ["teach staff", "instruct staff on"]), ("ensure compliance with", ["comply with", "observe"]),
    ("handle complaints about", ["resolve complaints about", "address complaints about"]),
    ("maintain records of", ["keep records of", "log"]), ("set prices for", ["price", "determine prices for"]),
    ("liaise with suppliers about", ["contact suppliers about", "coordinate suppliers for"]),
    ("write copy for", ["draft copy for", "create copy for"]), ("run campaigns for", ["launch campaigns for",
                                                                                    "conduct campaigns for"]),
]
OBJECTS = [
    "overseas warehouse inventory", "freight forwarding", "customs declarations", "export tax rebates",
    "product listings", "online store front", "search engine advertising", "social media content",
    "influencer partnerships", "live-stream sales", "short video content", "email newsletters", "customer enquiries",
    "return shipments", "payment settlement", "foreign exchange exposure", "export credit insurance",
    "trade finance", "letters of credit", "supplier contracts", "product certification", "trademark registration",
    "intellectual property", "VAT returns", "import duties", "shipping documents", "bills of lading",
    "container loading", "air cargo", "rail freight", "sea freight", "last-mile delivery", "warehouse operations",
    "stock levels", "demand planning", "purchase orders", "sales forecasts", "market research", "competitor pricing",
    "brand guidelines", "product photography", "image retouching", "video editing", "website content",
    "conversion rates", "web analytics", "spreadsheets", "databases", "SQL queries", "Python scripts", "dashboards",
    "ERP systems", "CRM records", "order fulfilment", "packaging design", "product samples", "quality inspections",
    "factory audits", "trade fair participation", "business correspondence", "sales negotiations",
    "after-sales service", "product reviews", "cross-cultural communication", "team schedules", "project budgets",
    "cost accounting", "profit margins", "cash flow", "tax compliance", "dangerous goods", "cold chain logistics",
    "textile products", "abrasive products", "consumer electronics", "household goods", "cosmetics", "toys",
    "sporting goods", "furniture", "auto parts", "garden tools", "pet supplies", "jewellery", "footwear",
    "apparel sizing", "fabric quality", "dropshipping", "marketplace fees", "platform policies", "account health",
    "advertising budgets", "keyword research", "translation memories", "subtitles", "product descriptions",
    "press releases", "crisis communication", "data privacy", "GDPR requirements", "consumer protection rules",
    "sanctions screening", "origin certificates", "HS codes", "Incoterms", "bonded warehouses",
    "free trade agreements", "RCEP rules of origin", "market entry", "distributor networks", "agency agreements",
    "franchise operations", "e-commerce regulations", "electronic invoices", "mobile payments", "chargebacks",
    "fraud prevention", "credit control", "debt collection", "insurance claims", "vehicle fleets", "route planning",
    "delivery schedules", "port operations", "tariff classifications", "export licences", "product recalls",
    "safety data sheets", "lab test reports", "sustainability reporting", "carbon footprints", "recycled packaging",
    "café operations", "naïve forecasting models", "Zürich office logistics", "Microsoft® Excel workbooks",
    "ISO 9001:2015 requirements", "IFRS 16: leases", "ratio: price to earnings", "customer data, privacy and consent",
    "\"just-in-time\" deliveries", "B2B: wholesale orders", "B2C: retail orders", "print-on-demand catalogues",
]
# Alt labels that two skills share in ESCO's data: resolving one alone must report both skills.
SHARED_ALT_LABELS = ["logistics management", "business development", "digital marketing", "office administration",
                     "data handling", "trade operations", "client service", "product management",
                     "international sales", "documentation"]
NOUNS = {"manage": "management", "analyse": "analysis", "coordinate": "coordination", "monitor": "monitoring",
         "plan": "planning", "prepare": "preparation", "develop": "development", "maintain": "maintenance",
         "evaluate": "evaluation", "inspect": "inspection", "process": "processing", "design": "design",
         "supervise": "supervision", "forecast": "forecasting", "source": "sourcing", "edit": "editing"}
DESCRIPTIONS = [
    "Handle the day-to-day tasks involved, following company procedures and the relevant regulations.",
    "Apply knowledge of the subject to plan work, solve problems and report results to managers.",
    "Use appropriate tools and methods, checking quality and keeping accurate records.",
]


def esco_rows(n: int, *, seed: int = 13) -> list[dict[str, str]]:
    """``n`` ESCO-shaped rows with unique URIs and unique preferred labels (``n`` up to ~30,000)."""
    rng = random.Random(seed)
    combos = [(v, o) for v in range(len(VERBS)) for o in range(len(OBJECTS))]
    rng.shuffle(combos)
    rows = []
    qualifiers = ["", "international ", "cross-border ", "online ", "regional "]
    labels_seen: set[str] = set()
    index = 0
    while len(rows) < n:
        verb_i, object_i = combos[index % len(combos)]
        qualifier = qualifiers[index // len(combos)]
        index += 1
        verb, synonyms = VERBS[verb_i]
        label = f"{verb} {qualifier}{OBJECTS[object_i]}"
        if label in labels_seen:
            continue
        labels_seen.add(label)
        alts = [f"{synonym} {qualifier}{OBJECTS[object_i]}" for synonym in synonyms[: rng.randint(0, 2)]]
        noun = NOUNS.get(verb)
        if noun and rng.random() < 0.5:
            alts.append(f"{qualifier}{OBJECTS[object_i]} {noun}")
        alts = [a for a in dict.fromkeys(alts) if a != label]
        concept = uuid.UUID(int=rng.getrandbits(128), version=4)
        rows.append({
            "conceptType": "KnowledgeSkillCompetence",
            "conceptUri": f"{URI_PREFIX}{concept}",
            "skillType": rng.choice(["skill/competence", "knowledge"]),
            "reuseLevel": rng.choice(["sector-specific", "cross-sector", "occupation-specific", "transversal"]),
            "preferredLabel": label,
            "altLabels": "\n".join(alts),
            "hiddenLabels": "",
            "status": "released",
            "modifiedDate": f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:{rng.randint(10, 59)}:00Z",
            "scopeNote": "",
            "definition": "",
            "inScheme": "http://data.europa.eu/esco/concept-scheme/skills, http://data.europa.eu/esco/concept-scheme/"
                        "member-skills",
            "description": f"{label.capitalize()}. {rng.choice(DESCRIPTIONS)}",
        })
    # Each shared alt label goes to exactly two skills, spread through the file.
    if n >= 2:
        for i, shared in enumerate(SHARED_ALT_LABELS):
            for position in {(i * 7919) % n, (i * 7919 + n // 2 + 1) % n}:
                rows[position]["altLabels"] = "\n".join(filter(None, [rows[position]["altLabels"], shared]))
    return rows


def write_esco_csv(path: str | Path, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    """Write rows as ESCO ships them: every field quoted, alt labels newline-separated inside the cell."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def expected_resolution(rows: list[dict[str, str]]) -> dict[str, str | None]:
    """Every name -> the URI it must resolve to, or ``None`` where it must be reported as ambiguous.

    A preferred label wins over another skill's alt label (preferred labels are unique here); an alt
    label two skills share is ambiguous.
    """
    from apps.core.text import normalize

    labels: dict[str, set[str]] = {}
    alts: dict[str, set[str]] = {}
    for row in rows:
        labels.setdefault(normalize(row["preferredLabel"]), set()).add(row["conceptUri"])
        for name in row["altLabels"].split("\n"):
            if name.strip():
                alts.setdefault(normalize(name), set()).add(row["conceptUri"])
    out: dict[str, str | None] = {}
    for name in labels.keys() | alts.keys():
        owners = labels.get(name) or alts[name]
        out[name] = next(iter(owners)) if len(owners) == 1 else None
    return out
