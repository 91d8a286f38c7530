"""Forms of the report pages: the scope of a report (period and filters) and the match-run review.

They only check the shape of input (a known district, market and programme, a valid period); building goes
through ``apps.reports.services.requests.report_request`` and reviews through ``apps.reports.review``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.cohorts.models import Programme
from apps.skills.models import Location, Market

from .models import ReviewStatus, current_period, period_bounds


class ReportScopeForm(forms.Form):
    """Period, district, programme and market of a report; blank filters mean the whole city."""

    period = forms.CharField(label=_("Period"), max_length=8, required=False,
                             help_text=_("A month (2026-11) or an ISO week (2026-W47)."),
                             widget=forms.TextInput(attrs={"placeholder": "2026-11", "inputmode": "text"}))
    district = forms.ChoiceField(label=_("District"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    market = forms.ChoiceField(label=_("Market"), required=False)

    period_required = False

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["district"].choices = everything + [(loc.code, loc.label) for loc in Location.objects.all()]
        self.fields["market"].choices = everything + [(m.code, m.label) for m in Market.objects.all()]
        programmes = Programme.objects.for_user(user) if user is not None else Programme.objects.none()
        self.fields["programme"].choices = everything + [(str(p.pk), p.name) for p in programmes.order_by("pk")]
        self.fields["period"].required = self.period_required

    def clean_period(self) -> str:
        period = (self.cleaned_data.get("period") or "").strip().upper()
        if not period:
            return ""
        period_bounds(period)
        return period

    @property
    def filters(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in ("district", "programme", "market")}


class BuildReportForm(ReportScopeForm):
    """The scope of a report to build now (the period defaults to this month)."""

    period_required = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"period": current_period()})
        super().__init__(*args, **kwargs)


class RunReviewForm(forms.Form):
    """A platform admin's verdict on a match run."""

    status = forms.ChoiceField(label=_("Review status"), choices=ReviewStatus.choices)


class RunCommentForm(forms.Form):
    """A comment on a match run."""

    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write a comment first."), code="blank")
        return text


class RunFilterForm(forms.Form):
    """Which runs the review list shows."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    review = forms.ChoiceField(label=_("Review status"), required=False,
                               choices=[("", _("All")), *ReviewStatus.choices])

    def __init__(self, *args, **kwargs):
        from apps.matching.models import RunKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *RunKind.choices]
