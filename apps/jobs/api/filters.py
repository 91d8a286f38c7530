"""Query filters for the vacancy list (django-filter)."""

import django_filters
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import Vacancy, VacancyStatus
from apps.talent.models import JobType


class VacancyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VacancyStatus.choices,
                                         help_text=_("Drafts and closed vacancies are listed only to their firm."))
    job_type = django_filters.ChoiceFilter(choices=JobType.choices)
    location = django_filters.CharFilter(help_text=_("Location code."))
    remote = django_filters.BooleanFilter()
    firm = django_filters.NumberFilter(field_name="firm_id", help_text=_("Organisation id of the firm."))
    market = django_filters.CharFilter(method="filter_market", help_text=_("Market code the vacancy targets."))
    skill = django_filters.CharFilter(method="filter_skill",
                                      help_text=_("Skill code the vacancy asks for (required or optional)."))
    q = django_filters.CharFilter(method="filter_text", help_text=_("Text in the title or description."))
    ordering = django_filters.OrderingFilter(
        fields=(("published_at", "published_at"), ("deadline", "deadline"), ("salary_min", "salary")),
        help_text=_("published_at, deadline or salary; prefix - for descending."),
    )

    class Meta:
        model = Vacancy
        fields = ["status", "job_type", "location", "remote", "firm"]

    def filter_market(self, queryset, name, value):
        if connection.features.supports_json_field_contains:
            return queryset.filter(markets__contains=[value])
        # SQLite stores the list as JSON text: match the quoted code so "eu" does not match "eu_east".
        return queryset.filter(markets__icontains=f'"{value}"')

    def filter_skill(self, queryset, name, value):
        return queryset.filter(skills__skill__code=value).distinct()

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
