"""Small-group suppression: the one function every report goes through before it leaves the app.

Government users see aggregates only. In the copy ``suppress`` returns, every count of people (students,
candidates, trainees, graduates, placements, applications, interviews, offers, hires...) below the threshold
(``REPORTS["SUPPRESS_BELOW"]``, 5) — zero included — becomes the string ``"<5"``, and every rate, median, index
or per-head figure derived from such a group becomes ``None``. Keys that could carry a person's identity or
contact details are dropped and e-mail-like strings blanked, although the build never stores any.
Counts of vacancies, openings and money are not people and stay as they are.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django.conf import settings

# Keys whose integer value counts people (or pairs/events of people) wherever they appear in a report.
PEOPLE_KEYS = frozenset({
    "students", "supply", "qualified_candidates", "candidates", "pairs", "applications", "interviews", "offers",
    "hires", "filled_vacancies", "trained", "completed", "placed",
})
# Values computed from people counts in the same row: suppressed when any of those counts is small.
DERIVED_FROM = {
    "shortage_index": ("supply",),
    "placement_rate": ("completed", "placed"),
    "meets_target": ("completed", "placed"),
    "median_days_to_placement": ("placed",),
    "funding_per_placement": ("placed",),
    "median_days_to_fill": ("filled_vacancies", "hires"),
}
# Never part of a government report.
FORBIDDEN_KEYS = frozenset({"email", "phone", "full_name", "contact", "user", "user_id", "profile_id", "name"})
EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def threshold() -> int:
    return int(getattr(settings, "REPORTS", {}).get("SUPPRESS_BELOW", 5))


def small_marker() -> str:
    return f"<{threshold()}"


def is_small(value: Any) -> bool:
    """A people count below the threshold (already suppressed counts too)."""
    if isinstance(value, str):
        return value == small_marker()
    return isinstance(value, int) and not isinstance(value, bool) and value < threshold()


def _suppress_dict(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if key in FORBIDDEN_KEYS:
            continue
        if key in PEOPLE_KEYS and is_small(value):
            out[key] = small_marker()
        else:
            out[key] = _walk(value)
    for key, bases in DERIVED_FROM.items():
        if key in out and any(is_small(row.get(base)) for base in bases if base in row):
            out[key] = None
    return out


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        return _suppress_dict(value)
    if isinstance(value, list):
        return [_walk(item) for item in value]
    if isinstance(value, str) and EMAIL_RE.search(value):
        return ""
    return copy.copy(value)


def suppress(data: dict) -> dict:
    """A government-safe deep copy of a report's ``data`` (see the module docstring)."""
    return _walk(data or {})
