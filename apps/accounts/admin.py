"""Admin for people and organisations; approving an organisation goes through ``organisation_set_status``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApprovalStatus, Membership, Organisation, User
from .services import organisation_set_status


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "account_type")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "account_type", "is_active", "is_staff", "date_joined"]
    list_filter = ["account_type", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name", "phone"]
    readonly_fields = ["date_joined", "last_login"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name", "phone", "account_type", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "account_type", "password1", "password2")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "firm_category", "status", "registered", "approved"]
    list_filter = ["status", "kind", "firm_category"]
    search_fields = ["name", "name_en"]
    readonly_fields = ["status", "approved_at", "approved_by", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    actions = ["approve", "reject"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("registered"), ordering="created_at")
    def registered(self, obj):
        return obj.created_at

    @admin.display(description=_("approved at"), ordering="approved_at")
    def approved(self, obj):
        return obj.approved_at

    def _set_status(self, request, queryset, status: str) -> int:
        changed = 0
        for organisation in queryset:
            try:
                organisation_set_status(organisation=organisation, status=status, actor=request.user)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{organisation}: {error}", messages.ERROR)
            else:
                changed += 1
        return changed

    @admin.action(description=_("Approve the selected organisations"))
    def approve(self, request, queryset):
        changed = self._set_status(request, queryset, ApprovalStatus.APPROVED)
        self.message_user(request, ngettext("%d organisation approved.", "%d organisations approved.", changed)
                          % changed, messages.SUCCESS)

    @admin.action(description=_("Reject the selected organisations"))
    def reject(self, request, queryset):
        changed = self._set_status(request, queryset, ApprovalStatus.REJECTED)
        self.message_user(request, ngettext("%d organisation rejected.", "%d organisations rejected.", changed)
                          % changed, messages.WARNING)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
