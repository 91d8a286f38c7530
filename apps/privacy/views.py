"""Privacy pages: each user's "Privacy & data" page (consents, export, delete) and the admins' audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, selectors, services
from .forms import AuditFilterForm, ConsentForm, DeleteAccountForm, FirmConsentForm
from .models import Action, ConsentSource
from .registry import entries


@login_required
def data(request):
    """Consents with one-click withdraw/grant, the data export and account deletion."""
    return render(request, "privacy/data.html", {
        "states": selectors.consent_states(request.user),
        "firm_consents": selectors.firm_consents(request.user),
        "registry": entries(),
    })


@require_POST
@login_required
def consent(request):
    """Grant or withdraw one purpose; it takes effect at once."""
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a purpose and whether to grant or withdraw it."))
        return redirect("privacy:data")
    try:
        services.consent_set(user=request.user, purpose=form.cleaned_data["purpose"],
                             granted=form.cleaned_data["granted"], source=ConsentSource.PRIVACY_PAGE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent granted.") if form.cleaned_data["granted"] else
                         _("Consent withdrawn. It took effect at once."))
    return redirect("privacy:data")


@require_POST
@login_required
def firm_withdraw(request):
    """Stop one firm seeing the contact details shared by applying."""
    form = FirmConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a firm."))
        return redirect("privacy:data")
    count = services.firm_consent_withdraw(user=request.user, firm_id=form.cleaned_data["firm"])
    if count:
        messages.success(request, _("The firm no longer sees your contact details."))
    else:
        messages.info(request, _("This firm had no consent to withdraw."))
    return redirect("privacy:data")


@login_required
def export_json(request):
    """All the user's personal data as JSON (a download)."""
    body = services.export_json(user=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="talentmatch-my-data-{stamp}.json"'
    return response


@login_required
def export_html(request):
    """The same data as a readable page."""
    data = services.export_data(user=request.user)
    audit.record(user=request.user, action=Action.EXPORT_DATA, target_type="accounts.user",
                 target_id=request.user.pk)
    sections = [{"label": label, "title": block["title"], "count": block["count"],
                 "columns": list(block["rows"][0].keys()) if block["rows"] else [],
                 "rows": [list(row.values()) for row in block["rows"]]}
                for label, block in data["models"].items()]
    return render(request, "privacy/export.html", {"data": data, "sections": sections})


@login_required
def delete_account(request):
    """Confirm with the password; the account's personal data is deleted or anonymised and the user signed out."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.messages)
        else:
            logout(request)
            messages.success(request, _("Your account and personal data were deleted."))
            return redirect("web:home")
    return render(request, "privacy/delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def audit_log(request):
    """The audit trail with filters by actor, action and date (platform admins only)."""
    if not request.user.is_platform_admin:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/audit.html", {"form": form, "page_obj": page})
