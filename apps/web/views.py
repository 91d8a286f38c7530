"""Home and role dashboards."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from apps.accounts.models import AccountType, ApprovalStatus, Organisation
from apps.jobs.models import Vacancy, VacancyStatus
from apps.skills.models import Skill
from apps.talent.models import StudentProfile


def home(request):
    """What the platform is, for whom, with a few live counts."""
    counts = {
        "vacancies": Vacancy.objects.open().count(),
        "students": StudentProfile.objects.filter(user__is_active=True).count(),
        "skills": Skill.objects.active().count(),
    }
    latest = Vacancy.objects.for_user(request.user).open().select_related("firm").order_by("-published_at")[:5]
    return render(request, "web/home.html", {"counts": counts, "latest": latest})


@login_required
def dashboard(request):
    """What each role can do next; organisations see their approval status."""
    user = request.user
    context = {"organisation": user.primary_organisation}
    if user.account_type == AccountType.STUDENT:
        profile = StudentProfile.objects.for_user(user).filter(user=user).first()
        context["profile"] = profile
        if profile:
            context["skill_count"] = profile.skills.count()
            context["language_count"] = profile.languages.count()
    elif user.account_type == AccountType.FIRM:
        context["vacancy_counts"] = Vacancy.objects.editable_by(user).aggregate(
            draft=Count("pk", filter=Q(status=VacancyStatus.DRAFT)),
            open=Count("pk", filter=Q(status=VacancyStatus.OPEN)),
            closed=Count("pk", filter=Q(status=VacancyStatus.CLOSED)),
        )
    elif user.account_type == AccountType.UNIVERSITY:
        context["student_count"] = StudentProfile.objects.for_user(user).count()
    if user.is_platform_admin:
        context["pending_organisations"] = Organisation.objects.filter(status=ApprovalStatus.PENDING).count()
    return render(request, "web/dashboard.html", context)
