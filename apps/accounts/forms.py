"""Sign-up and sign-in forms. They check input and give translated messages; writes go through services."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import AccountType, FirmCategory, Organisation, User

ORGANISATION_ROLES = {AccountType.FIRM, AccountType.UNIVERSITY, AccountType.GOVERNMENT}

ORGANISATION_LABELS = {
    AccountType.FIRM: _("Firm name"),
    AccountType.UNIVERSITY: _("University or training provider name"),
    AccountType.GOVERNMENT: _("Agency name"),
}


class SignUpForm(forms.Form):
    """One form for every role; the organisation fields appear for firm, university and government."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200, required=False)
    firm_category = forms.ChoiceField(label=_("What kind of firm?"), required=False,
                                      choices=[("", "—")] + list(FirmCategory.choices))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, account_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_type = account_type
        self.fields["password1"].help_text = _("At least 12 characters; not only digits and not a common password.")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if account_type in ORGANISATION_ROLES:
            self.fields["organisation_name"].required = True
            self.fields["organisation_name"].label = ORGANISATION_LABELS[account_type]
            self.fields["organisation_name"].help_text = _(
                "The full registered name. A platform admin checks it before your organisation can publish."
            )
        else:
            del self.fields["organisation_name"]
        if account_type != AccountType.FIRM:
            del self.fields["firm_category"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists. Try logging in."))
        return email

    def clean_organisation_name(self):
        name = self.cleaned_data.get("organisation_name", "").strip()
        if name and Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("This organisation is already registered; ask its administrator to add you.")
            )
        return name

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address, whatever its letter case."""

    username = forms.EmailField(label=_("Email address"), max_length=254,
                                widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))

    error_messages = {
        "invalid_login": _("The email address or password is wrong."),
        "inactive": _("This account is inactive."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
