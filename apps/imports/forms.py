"""The upload form: a CSV file, strict mode, and (for people in several organisations) which one."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    """Upload one CSV file into one of the user's approved organisations."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Import into"), empty_label=None)
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("CSV in UTF-8 (with or without BOM) or GBK, as Excel saves it, or an .xlsx workbook."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    strict = forms.BooleanField(
        label=_("Strict: import nothing if any row has a problem"), required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.only_organisation = organisations.first() if organisations.count() == 1 else None
        if self.only_organisation is not None:
            del self.fields["organisation"]

    @property
    def target_organisation(self):
        """The organisation chosen (or the only one the user may import into)."""
        return self.only_organisation or self.cleaned_data["organisation"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; uploads are limited to %(limit).1f MB."),
                params={"size": upload.size / 1e6, "limit": settings.UPLOAD_MAX_BYTES / 1e6},
            )
        return upload
