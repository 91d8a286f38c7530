"""The daily digest of new strong matches (run by beat, at most once per user and day).

Students hear about open vacancies in their ranked list that score at least their threshold and that no
earlier digest named; firm members about such candidates for their firm's open vacancies. Only users who
want the digest get one (``NotificationSettings.email_digest``, on by default); the idempotency key
``digest:<user>:<date>`` makes a second run on the same day a no-op.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Membership, User
from apps.jobs.models import Vacancy
from apps.matching.models import CandidateMatch, VacancyMatch
from apps.matching.selectors import current_generation
from apps.talent.models import StudentProfile

from .models import Notification, NotificationSettings
from .services import notify, user_language

SHOWN = 8  # items named in one digest
SEEN_CAP = 2000  # remembered items per user (oldest forgotten first)
DEFAULT_MIN = NotificationSettings._meta.get_field("digest_min_score").default


@dataclass(frozen=True)
class DigestItem:
    key: str
    title: str
    score: float


def _opted_out_ids() -> set[int]:
    return set(NotificationSettings.objects.filter(email_digest=False).values_list("user_id", flat=True))


def _settings_by_user(user_ids) -> dict[int, NotificationSettings]:
    return {row.user_id: row for row in NotificationSettings.objects.filter(user_id__in=list(user_ids))}


def _lowest_threshold() -> float:
    lowest = NotificationSettings.objects.filter(email_digest=True).aggregate(m=Min("digest_min_score"))["m"]
    return min(DEFAULT_MIN, lowest) if lowest is not None else DEFAULT_MIN


def student_items(generation: int, floor: float) -> dict[int, list[DigestItem]]:
    """user id → strong open vacancies in their ranked list (score ≥ ``floor``), best first."""
    open_ids = Vacancy.objects.open().values("pk")
    rows = (VacancyMatch.objects.filter(generation=generation, score__gte=floor, vacancy_id__in=open_ids,
                                        profile__in=StudentProfile.objects.matchable())
            .values_list("profile__user_id", "vacancy_id", "vacancy__title", "vacancy__firm__name", "score")
            .order_by("profile_id", "-score", "vacancy_id"))
    out: dict[int, list[DigestItem]] = defaultdict(list)
    for user_id, vacancy_id, title, firm, score in rows.iterator(chunk_size=5000):
        out[user_id].append(DigestItem(str(vacancy_id), f"{title} · {firm}", float(score)))
    return out


def firm_items(generation: int, floor: float) -> dict[int, list[DigestItem]]:
    """firm member's user id → strong candidates for their firm's open vacancies, best first."""
    rows = (CandidateMatch.objects.filter(generation=generation, score__gte=floor,
                                          vacancy__in=Vacancy.objects.open().values("pk"),
                                          profile__in=StudentProfile.objects.matchable())
            .values_list("vacancy__firm_id", "vacancy_id", "vacancy__title", "profile_id", "profile__user__full_name",
                         "score").order_by("vacancy_id", "-score", "profile_id"))
    by_firm: dict[int, list[DigestItem]] = defaultdict(list)
    for firm_id, vacancy_id, title, profile_id, name, score in rows.iterator(chunk_size=5000):
        label = f"{name or _('Student %(number)s') % {'number': profile_id}} → {title}"
        by_firm[firm_id].append(DigestItem(f"{vacancy_id}:{profile_id}", label, float(score)))
    out: dict[int, list[DigestItem]] = {}
    for user_id, firm_id in Membership.objects.filter(organisation_id__in=list(by_firm),
                                                      user__is_active=True).values_list("user_id", "organisation_id"):
        out.setdefault(user_id, []).extend(by_firm[firm_id])
    for items in out.values():
        items.sort(key=lambda item: -item.score)
    return out


def _digest_for(user: User, items: list[DigestItem], prefs: NotificationSettings | None, today) -> bool:
    threshold = prefs.digest_min_score if prefs else DEFAULT_MIN
    seen = set(prefs.digest_seen) if prefs else set()
    fresh = [item for item in items if item.score >= threshold and item.key not in seen]
    key = f"digest:{user.pk}:{today.isoformat()}"
    if not fresh or Notification.objects.filter(event_key=key).exists():
        return False
    with translation.override(user_language(user)):
        is_student = user.account_type == "student"
        subject = ngettext("%(count)d new strong match", "%(count)d new strong matches", len(fresh)) % {
            "count": len(fresh)}
        lines = [f"· {item.title} ({round(item.score * 100)}%)" for item in fresh[:SHOWN]]
        if len(fresh) > SHOWN:
            lines.append(_("… and %(count)d more.") % {"count": len(fresh) - SHOWN})
        intro = (_("Vacancies that fit your profile well and are new since your last digest:") if is_student else
                 _("Strong candidates for your open vacancies, new since your last digest:"))
        url = reverse("matching:mine") if is_student else reverse("jobs:mine")
        with transaction.atomic():
            created = notify(user=user, kind="digest", event_key=key,
                             subject=subject, body=intro + "\n" + "\n".join(lines), url=url)
            if created is None:
                return False
            row, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
            remembered = [key for key in row.digest_seen if key not in {item.key for item in fresh}]
            row.digest_seen = (remembered + [item.key for item in fresh])[-SEEN_CAP:]
            row.last_digest_at = timezone.now()
            row.save(update_fields=["digest_seen", "last_digest_at", "updated_at"])
    return True


def digests_send(*, today=None) -> dict:
    """Write the day's digests; returns counts. Safe to run twice a day: the second run writes nothing new."""
    today = today or timezone.localdate()
    generation = current_generation()
    floor = _lowest_threshold()
    opted_out = _opted_out_ids()
    sent = {"students": 0, "firm_members": 0}
    for key, items_by_user in (("students", student_items(generation, floor)),
                               ("firm_members", firm_items(generation, floor))):
        user_ids = [uid for uid in items_by_user if uid not in opted_out]
        prefs = _settings_by_user(user_ids)
        users = User.objects.in_bulk(user_ids)
        for user_id in user_ids:
            user = users.get(user_id)
            if user is None or not user.is_active:
                continue
            if _digest_for(user, items_by_user[user_id], prefs.get(user_id), today):
                sent[key] += 1
    return sent
