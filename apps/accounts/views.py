"""Sign-up per role, sign-in/out, password reset and change, and the page a pending organisation sees."""

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from .forms import ORGANISATION_ROLES, EmailAuthenticationForm, SignUpForm
from .models import AccountType
from .services import user_sign_up

SIGN_UP_ROLES = (AccountType.STUDENT, AccountType.FIRM, AccountType.UNIVERSITY, AccountType.GOVERNMENT)


def signup_choose(request):
    """Pick which kind of account to create."""
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    return render(request, "accounts/signup_choose.html")


@sensitive_post_parameters("password1", "password2")
def signup(request, role: str):
    """Create an account of one role; organisations start pending approval."""
    if role not in SIGN_UP_ROLES:
        raise Http404
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    form = SignUpForm(request.POST or None, account_type=role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_sign_up(
                email=data["email"], password=data["password1"], full_name=data["full_name"], account_type=role,
                organisation_name=data.get("organisation_name", ""), firm_category=data.get("firm_category", ""),
                preferred_language=get_language() or "zh-hans",
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if role in ORGANISATION_ROLES:
                return redirect("accounts:pending")
            messages.success(request, _("Welcome! Add your skills so firms can find you."))
            return redirect("talent:skills")
    return render(request, "accounts/signup.html", {"form": form, "role": role,
                                                    "role_label": AccountType(role).label})


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("password1" if "password1" in form.fields else None, error.messages)


@login_required
def pending(request):
    """What happens next for a newly registered organisation."""
    return render(request, "accounts/pending.html", {"organisation": request.user.primary_organisation})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("web:home")


class ClaimAccountPasswordResetForm(auth_forms.PasswordResetForm):
    """Also reaches accounts created by an import (no usable password yet): resetting is how a student
    claims the profile their university imported."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if _email_matches(u.email, email))


def _email_matches(stored: str, given: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(stored.casefold(), given.casefold())


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ClaimAccountPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
