"""Forms of the pipeline pages; they only check shapes, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FIRM_STAGES, Stage

TRI_STATE = (("", _("Not known yet")), ("yes", _("Yes")), ("no", _("No")))


class ApplyForm(forms.Form):
    note = forms.CharField(label=_("Note to the firm (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.BooleanField(
        label=_("I agree that this firm may see my email address and phone number to contact me about this "
                "application. I can withdraw this at any time."), required=True)


class RespondForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=[(s.value, s.label) for s in Stage if s in FIRM_STAGES])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class BulkForm(forms.Form):
    action = forms.ChoiceField(label=_("With the selected"), choices=[
        (Stage.SHORTLISTED.value, _("Shortlist")), (Stage.REJECTED.value, _("Reject"))])
    reason = forms.CharField(label=_("Reason (needed to reject)"), required=False, max_length=300)
    applications = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True,
                                                  error_messages={"required": _("Select at least one candidate.")})

    def __init__(self, *args, application_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(pk, pk) for pk in application_ids]


class InviteForm(forms.Form):
    profile = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message to the student (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    stayed_3_months = forms.ChoiceField(label=_("Stayed 3 months"), choices=TRI_STATE, required=False)
    stayed_6_months = forms.ChoiceField(label=_("Stayed 6 months"), choices=TRI_STATE, required=False)

    @staticmethod
    def tri(value: str):
        return {"yes": True, "no": False}.get(value)
