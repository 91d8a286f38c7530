"""What the HTTP benches (``load.py``, ``endpoints.py``) request, picked from the database they run against.

``fixtures()``: the firms owning the longest ranked-candidate lists, up to ``per_firm`` of each firm's
vacancies with a list (each with an API token of a member of the firm, created if missing), a student's
token, and vacancy-browse queries over filters, orderings and pages (those the API answers: a small data
set has fewer pages).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentmatch.settings.base")
    os.environ["TALENTMATCH_EAGER_NOTICE"] = "0"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fixtures(n_firms: int = 10, per_firm: int = 4) -> dict:
    """{"vacancies": [{"id", "token", "candidates"}], "student_token": ..., "browse": [query strings]}."""
    from django.db.models import Count
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import Membership
    from apps.jobs.models import Vacancy
    from apps.matching.models import CandidateMatch, MatchState
    from apps.talent.models import StudentProfile

    generation = MatchState.get().current_generation
    lists = (CandidateMatch.objects.filter(generation=generation).values("vacancy_id", "vacancy__firm_id")
             .annotate(n=Count("profile_id")).order_by("-n", "vacancy_id")[:2000])
    by_firm: dict[int, list[dict]] = {}
    for row in lists:
        by_firm.setdefault(row["vacancy__firm_id"], []).append(row)
    vacancies = []
    for firm_id, rows in by_firm.items():
        member = (Membership.objects.filter(organisation_id=firm_id, user__is_active=True)
                  .select_related("user").order_by("pk").first())
        if member is None:
            continue
        token, _ = Token.objects.get_or_create(user=member.user)
        vacancies += [{"id": r["vacancy_id"], "token": token.key, "candidates": r["n"]} for r in rows[:per_firm]]
        if len({v["token"] for v in vacancies}) == n_firms:
            break
    if not vacancies:
        raise SystemExit("no vacancy with ranked candidates and a firm member: seed the demo data first")
    student = StudentProfile.objects.select_related("user").filter(user__is_active=True).order_by("pk").first()
    student_token, _ = Token.objects.get_or_create(user=student.user)
    values = Vacancy.objects.filter(status="open")
    locations = list(values.values_list("location", flat=True).distinct()[:5])
    job_types = list(values.values_list("job_type", flat=True).distinct()[:3])
    browse = [f"status=open&page={page}" for page in range(1, 6)]
    browse += ["status=open&ordering=-published_at", "status=open&ordering=-published_at&page=2",
               "status=open&remote=true&ordering=-salary", "status=open&skill=marketing.seo",
               "status=open&skill=marketing.seo&page=2", "status=open&q=amazon"]
    browse += [f"status=open&location={loc}&page={page}" for loc in locations if loc for page in (1, 2)]
    browse += [f"status=open&job_type={jt}&ordering=-published_at" for jt in job_types if jt]
    return {"vacancies": vacancies, "student_token": student_token.key,
            "browse": _answered(browse, student_token.key)}


def _answered(queries: list[str], token: str) -> list[str]:
    """The browse queries the API answers with 200 (a small data set has fewer pages than these ask for)."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    kept = [q for q in queries if client.get(f"/api/v1/vacancies/?{q}").status_code == 200]
    if not kept:
        raise SystemExit("vacancy browse answers none of the bench's queries: seed the demo data first")
    return kept
