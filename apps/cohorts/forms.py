"""Forms of the training pages. They validate with translated messages; ``apps.cohorts.services`` writes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ApprovalStatus, Organisation, OrganisationKind
from apps.imports.items import CellError, ItemParser
from apps.skills.models import Skill

from .models import Cohort, Course, CourseMode, EnrollmentStatus, Programme, ProgrammeStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _organisations(kind: str):
    return Organisation.objects.filter(kind=kind, status=ApprovalStatus.APPROVED).order_by("name")


class _OwnerMixin:
    """Adds a choice of the user's university when they belong to several."""

    def add_owner_field(self, organisations, label):
        organisations = list(organisations)
        self.owner_choices = organisations
        if len(organisations) > 1:
            self.fields["owner"] = forms.TypedChoiceField(label=label, coerce=int,
                                                          choices=[(o.pk, o.name) for o in organisations])
            self.order_fields(["owner"])

    def owner(self) -> Organisation | None:
        if "owner" in self.fields:
            return next(o for o in self.owner_choices if o.pk == self.cleaned_data["owner"])
        return self.owner_choices[0] if self.owner_choices else None


class ProgrammeForm(_OwnerMixin, forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    description_zh = forms.CharField(label=_("Chinese description"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    description_en = forms.CharField(label=_("English description"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    government = forms.ModelChoiceField(label=_("Funded by"), queryset=None, required=False,
                                        empty_label=_("No government funding"))
    funding_amount = forms.DecimalField(label=_("Funding (CNY)"), min_value=0, max_digits=14, decimal_places=2,
                                        initial=0)
    target_trained = forms.IntegerField(label=_("Target: people trained"), min_value=0, initial=0)
    target_placement_rate = forms.DecimalField(label=_("Target: placement rate (%)"), min_value=0, max_value=100,
                                               decimal_places=2, initial=0)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ProgrammeStatus.choices, initial=ProgrammeStatus.DRAFT)

    def __init__(self, *args, universities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["government"].queryset = _organisations(OrganisationKind.GOVERNMENT)
        self.add_owner_field(universities, _("Run by"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned

    def programme_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        return data

    @classmethod
    def initial_from(cls, programme: Programme) -> dict:
        return {name: getattr(programme, name) for name in (
            "name_zh", "name_en", "description_zh", "description_en", "government", "funding_amount",
            "target_trained", "target_placement_rate", "starts_on", "ends_on", "status")}


class PartnerForm(forms.Form):
    firm = forms.ModelChoiceField(label=_("Firm"), queryset=None)
    reserved_places = forms.IntegerField(label=_("Reserved places (订单班)"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = _organisations(OrganisationKind.FIRM)


class CourseForm(_OwnerMixin, forms.Form):
    title_zh = forms.CharField(label=_("Chinese title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    description_zh = forms.CharField(label=_("Chinese description"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    description_en = forms.CharField(label=_("English description"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    skills = forms.CharField(
        label=_("Skills taught"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("skill:level items separated by ; — the skill by code or any name in Chinese or English, the "
                    "level (1-5) students reach on completing the course. Example: 亚马逊:4; SEO:3"))
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=5000, initial=0)
    mode = forms.ChoiceField(label=_("Mode"), choices=CourseMode.choices, initial=CourseMode.ON_SITE)
    fee = forms.DecimalField(label=_("Fee (CNY)"), min_value=0, max_digits=10, decimal_places=2, initial=0,
                             help_text=_("The public training centre's courses are free."))
    is_active = forms.BooleanField(label=_("Offered now"), required=False, initial=True)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_owner_field(providers, _("Provider"))

    def clean_skills(self) -> list[tuple[Skill, int]]:
        parser = ItemParser()
        try:
            items = parser.skill_list(self.cleaned_data["skills"])
        except CellError as error:
            raise forms.ValidationError(str(error)) from None
        if not items:
            raise forms.ValidationError(_("Name at least one skill the course teaches."))
        skills = Skill.objects.in_bulk([item.skill_id for item in items])
        return [(skills[item.skill_id], item.level) for item in items]

    def course_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner", None)
        data.pop("skills", None)
        return data

    @classmethod
    def initial_from(cls, course: Course) -> dict:
        initial = {name: getattr(course, name) for name in (
            "title_zh", "title_en", "description_zh", "description_en", "hours", "mode", "fee", "is_active")}
        initial["skills"] = "; ".join(f"{row.skill.code}:{row.level}" for row in course.skills.select_related("skill"))
        return initial


class CohortForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, required=False,
                                       empty_label=_("Not part of a programme"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False,
                           help_text=_("For example “2026 spring, evening class”."))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000, initial=30)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    instructor = forms.CharField(label=_("Instructor"), max_length=150, required=False)
    enrollment_opens_on = forms.DateField(label=_("Enrollment opens on"), required=False, widget=DATE)
    enrollment_closes_on = forms.DateField(label=_("Enrollment closes on"), required=False, widget=DATE,
                                           help_text=_("Empty: enrollment closes when the cohort starts."))
    requires_approval = forms.BooleanField(label=_("Staff approve each application"), required=False)
    is_cancelled = forms.BooleanField(label=_("Cancelled"), required=False)

    def __init__(self, *args, courses, programmes, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["programme"].queryset = programmes
        if editing:
            del self.fields["course"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned

    def cohort_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("course", None)
        return data

    @classmethod
    def initial_from(cls, cohort: Cohort) -> dict:
        return {name: getattr(cohort, name) for name in (
            "programme", "name", "starts_on", "ends_on", "capacity", "place", "instructor", "enrollment_opens_on",
            "enrollment_closes_on", "requires_approval", "is_cancelled")}


class RosterAddForm(forms.Form):
    student = forms.CharField(label=_("Student's email or external id"), max_length=254)
    status = forms.ChoiceField(label=_("Status"), choices=EnrollmentStatus.choices,
                               initial=EnrollmentStatus.ENROLLED)


class EnrollmentForm(forms.Form):
    """One roster line; ``form_id`` ties the inputs (in separate table cells) to their ``<form>``."""

    status = forms.ChoiceField(label=_("Status"), choices=EnrollmentStatus.choices)
    attendance = forms.DecimalField(label=_("Attendance (%)"), min_value=0, max_value=100, decimal_places=2,
                                    required=False)
    grade = forms.CharField(label=_("Grade"), max_length=16, required=False)

    def __init__(self, *args, form_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if form_id:
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id


class CompleteAllForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE,
                                   help_text=_("Today when left empty."))


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 (with or without BOM) or GBK, as Excel saves it."))
    strict = forms.BooleanField(label=_("Strict: import nothing if any row has a problem"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is %(size).1f MB; uploads are limited to %(limit).1f MB."),
                                        params={"size": upload.size / 1e6, "limit": settings.UPLOAD_MAX_BYTES / 1e6})
        return upload


class PlacementForm(forms.Form):
    student = forms.CharField(label=_("Student's email or external id"), max_length=254)
    firm = forms.ModelChoiceField(label=_("Firm"), queryset=None)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = _organisations(OrganisationKind.FIRM)
