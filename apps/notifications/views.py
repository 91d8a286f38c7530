"""Notification pages: the user's notifications, their email settings, and the unsubscribe link from emails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import SettingsForm
from .models import Notification

PAGE_SIZE = 30


@login_required
def notification_list(request):
    """The user's notifications, newest first; unread ones stand out."""
    rows = Notification.objects.for_user(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page_obj": page, "unread": rows.unread().count()})


@login_required
def notification_open(request, pk: int):
    """Mark one notification read and go where it points."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@login_required
def mark_all_read(request):
    count = services.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("notifications:list")


@login_required
def settings_page(request):
    """Which notifications come by email, and from which score a new match counts as strong."""
    row = services.settings_for(request.user)
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(user=request.user, data=form.settings_data())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


def unsubscribe(request, token: str):
    """The link in every email: confirm, then switch that kind of email off (no sign-in needed)."""
    parsed = services.unsubscribe_parse(token)
    user = get_user_model().objects.filter(pk=parsed.user_id).first() if parsed else None
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe_apply(user=user, kind=parsed.kind)
        done = True
    return render(request, "notifications/unsubscribe.html", {"kind": parsed.kind, "done": done, "email": user.email})
