"""Query filters for the organisation list (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ApprovalStatus, Organisation, OrganisationKind


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    status = django_filters.ChoiceFilter(choices=ApprovalStatus.choices,
                                         help_text=_("Pending ones are listed only to their members."))
    q = django_filters.CharFilter(method="filter_text", help_text=_("Text in the Chinese or English name."))

    class Meta:
        model = Organisation
        fields = ["kind", "status"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(name_en__icontains=value))
