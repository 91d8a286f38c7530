"""Match pages: a firm's ranked candidates for one of its vacancies, a student's ranked vacancies.

Both lists are the stored top-K of the current generation (``apps.matching.selectors``), narrowed to what
the reader may see (``StudentProfile.for_user`` / ``Vacancy.for_user``), explained per page
(``apps.matching.explain``), and can be refreshed: the refresh enqueues a recompute through
``apps.matching.triggers`` and comes back with a message.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.models import AccountType
from apps.core.security import throttle_view
from apps.jobs.models import Vacancy
from apps.privacy import audit
from apps.skills.models import Location
from apps.talent.models import StudentProfile, Visibility

from . import selectors, triggers
from .explain import explain_for_profile, explain_for_vacancy

log = logging.getLogger(__name__)
PAGE_SIZE = 25

COMPONENT_LABELS = (
    ("required", gettext_lazy("Required skills")),
    ("optional", gettext_lazy("Optional skills")),
    ("similarity", gettext_lazy("Skill similarity")),
    ("language", gettext_lazy("Languages")),
    ("preference", gettext_lazy("Preferences")),
)


def _applications():
    """The applications app's selectors when that app is installed, else None (the pages work without it)."""
    from django.apps import apps

    if not apps.is_installed("apps.applications"):
        return None
    from apps.applications import selectors as application_selectors

    return application_selectors


def applied_candidates(*, vacancy: Vacancy, user) -> list[StudentProfile]:
    """Hook: students who already applied to ``vacancy``, shown apart from the ranked list with their contact.

    None until the applications app provides ``selectors.vacancy_applicants`` (the matcher already leaves
    applied pairs out of the ranked lists, see ``services.common.exclusion_pairs``).
    """
    found = _applications()
    if found is None or not hasattr(found, "vacancy_applicants"):
        return []
    return list(found.vacancy_applicants(vacancy=vacancy, user=user))


def contact_visible_ids(*, user, profiles) -> set[int]:
    """Of ``profiles`` (one page), those whose email and phone ``user`` may read: the student shares them with
    firms (``StudentProfile.contact_visible_to``) or consented to the reader's firm (applications app)."""
    visible = {p.pk for p in profiles if p.contact_visible_to(user)}
    found = _applications()
    if found is not None and hasattr(found, "consented_profile_ids"):
        visible |= set(found.consented_profile_ids(user=user, profile_ids=[p.pk for p in profiles]))
    return visible


def _components(explanation) -> list[tuple[str, str, float]]:
    return [(key, str(label), explanation.components.get(key, 0.0)) for key, label in COMPONENT_LABELS]


def _request_recompute(request, kind: str, object_id: int) -> None:
    """Enqueue one recompute and say so; a failure to enqueue is a message, never an error page."""
    try:
        (triggers.vacancy_changed if kind == "vacancy" else triggers.profile_changed)(object_id)
    except Exception:
        log.exception("refreshing %s %s failed", kind, object_id)
        messages.error(request, _("The list could not be recomputed just now. Please try again later; the "
                                  "nightly run will also bring it up to date."))
        return
    if settings.CELERY_TASK_ALWAYS_EAGER:
        messages.success(request, _("The list was recomputed."))
    else:
        messages.success(request, _("The list is being recomputed. Reload this page in a few seconds to see it."))


# --- firm: one vacancy's candidates ------------------------------------------------------------------------


def _firm_vacancy(request, vacancy_id: int) -> Vacancy:
    """The vacancy, if the caller may manage it: firm members of its firm and platform admins."""
    user = request.user
    if not (user.is_platform_admin or user.account_type == AccountType.FIRM):
        raise PermissionDenied(_("Only the firm that posted a vacancy sees its candidates."))
    return get_object_or_404(Vacancy.objects.editable_by(user).select_related("firm"), pk=vacancy_id)


@login_required
def vacancy_candidates(request, vacancy_id: int):
    """Ranked candidates for one of the firm's vacancies, with scores, skills met and lacking, and why."""
    vacancy = _firm_vacancy(request, vacancy_id)
    visible = StudentProfile.objects.for_user(request.user)
    rows = selectors.vacancy_candidates(vacancy_id=vacancy.pk).filter(profile__in=visible.values("pk"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = list(page.object_list)
    contact_ids = contact_visible_ids(user=request.user, profiles=[row.profile for row in page_rows])
    items = []
    for offset, (row, why) in enumerate(zip(page_rows, explain_for_vacancy(vacancy, page_rows), strict=True)):
        items.append({
            "rank": page.start_index() + offset, "row": row, "why": why, "profile": row.profile,
            "components": _components(why), "contact": row.profile_id in contact_ids,
        })
    applied = applied_candidates(vacancy=vacancy, user=request.user)
    audit.contact_viewed(request.user, [row.profile for row in page_rows if row.profile_id in contact_ids] + applied)
    return render(request, "matching/vacancy_candidates.html", {
        "vacancy": vacancy, "items": items, "page_obj": page,
        "computed_at": selectors.last_computed(vacancy_id=vacancy.pk),
        "applied": applied,
        "location": Location.objects.filter(code=vacancy.location).first() if vacancy.location else None,
    })


@require_POST
@login_required
@throttle_view("rematch")
def vacancy_refresh(request, vacancy_id: int):
    """Recompute this vacancy's candidates now (through the workers when there is a broker)."""
    vacancy = _firm_vacancy(request, vacancy_id)
    _request_recompute(request, "vacancy", vacancy.pk)
    return redirect("matching:vacancy", vacancy_id=vacancy.pk)


# --- student: my vacancies -----------------------------------------------------------------------------------


def _student(request) -> None:
    if request.user.account_type != AccountType.STUDENT:
        raise PermissionDenied(_("Only student and trainee accounts have matches."))


def matching_status(profile: StudentProfile | None) -> str:
    """Why a student's list may be empty: no profile, hidden, opted out, or ``ok``."""
    if profile is None:
        return "no_profile"
    if profile.visibility == Visibility.HIDDEN:
        return "hidden"
    if not profile.matching_opt_in:
        return "opted_out"
    return "ok"


@login_required
def my_matches(request):
    """The logged-in student's ranked vacancies, with why they fit and what they lack."""
    _student(request)
    profile = StudentProfile.objects.for_user(request.user).filter(user=request.user).first()
    status = matching_status(profile)
    items, page = [], None
    if status == "ok":
        visible = Vacancy.objects.for_user(request.user)
        rows = selectors.profile_vacancies(profile_id=profile.pk).filter(vacancy__in=visible.values("pk"))
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page_rows = list(page.object_list)
        locations = {loc.code: loc for loc in Location.objects.all()}
        for offset, (row, why) in enumerate(zip(page_rows, explain_for_profile(profile, page_rows), strict=True)):
            items.append({
                "rank": page.start_index() + offset, "row": row, "why": why, "vacancy": row.vacancy,
                "components": _components(why), "location": locations.get(row.vacancy.location),
            })
    return render(request, "matching/mine.html", {
        "profile": profile, "status": status, "items": items, "page_obj": page,
        "skill_count": profile.skills.count() if profile else 0,
        "computed_at": selectors.last_computed(profile_id=profile.pk) if profile else None,
    })


@require_POST
@login_required
@throttle_view("rematch")
def my_refresh(request):
    """Recompute the student's own list now."""
    _student(request)
    profile = StudentProfile.objects.for_user(request.user).filter(user=request.user).first()
    if profile is None:
        messages.info(request, _("Create your profile first: matches are computed from its skills."))
    else:
        _request_recompute(request, "profile", profile.pk)
    return redirect("matching:mine")
