"""Input shapes of the privacy pages; the services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, Purpose


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices)
    granted = forms.TypedChoiceField(choices=[("1", _("Grant")), ("0", _("Withdraw"))], coerce=lambda v: v == "1")


class FirmConsentForm(forms.Form):
    firm = forms.IntegerField(min_value=1)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (email or id)"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any"))] + Action.choices)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
