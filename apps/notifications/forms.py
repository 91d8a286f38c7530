"""The notification settings form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationSettings


class SettingsForm(forms.ModelForm):
    digest_min_score = forms.IntegerField(
        label=_("A match counts as strong from (percent)"), min_value=30, max_value=100,
        help_text=_("The daily digest names new matches scoring at least this much."))

    class Meta:
        model = NotificationSettings
        fields = ["email_invitations", "email_stage_changes", "email_digest"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digest_min_score"].initial = round(self.instance.digest_min_score * 100)

    def settings_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["digest_min_score"] = self.cleaned_data["digest_min_score"] / 100
        return data
