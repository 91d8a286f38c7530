"""Skill levels (1-5) and CEFR language levels (A1-C2 as 1-6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillLevel(models.IntegerChoices):
    AWARE = 1, _("1 · aware")
    BASIC = 2, _("2 · basic")
    WORKING = 3, _("3 · working")
    ADVANCED = 4, _("4 · advanced")
    EXPERT = 5, _("5 · expert")


class CEFR(models.IntegerChoices):
    A1 = 1, "A1"
    A2 = 2, "A2"
    B1 = 3, "B1"
    B2 = 4, "B2"
    C1 = 5, "C1"
    C2 = 6, "C2"


CEFR_BY_LABEL = {label: value for value, label in CEFR.choices}


def parse_cefr(text: str) -> int:
    """Parse 'B2', 'b2', '４' or an exam code ('CET-6') into 1..6; raise ValueError with a clear message."""
    from apps.core.text import normalize

    token = normalize(text).upper().replace(" ", "")
    if token in CEFR_BY_LABEL:
        return CEFR_BY_LABEL[token]
    if token.isdigit() and 1 <= int(token) <= 6:
        return int(token)
    from .models import LanguageExam

    exam = LanguageExam.objects.filter(code__iexact=token.replace("-", "").lower()).first() or (
        LanguageExam.objects.filter(label__iexact=text.strip()).first()
    )
    if exam:
        return exam.cefr
    raise ValueError(f"{text!r} is not a CEFR level (A1, A2, B1, B2, C1, C2) or a known language exam.")


def parse_level(text: str, *, default: int = 3) -> int:
    """Parse a skill level 1-5; empty means ``default``."""
    token = (text or "").strip()
    if not token:
        return default
    try:
        value = int(token)
    except ValueError:
        raise ValueError(f"level {token!r} is not a whole number from 1 to 5") from None
    if not 1 <= value <= 5:
        raise ValueError(f"level {value} is outside 1-5")
    return value
