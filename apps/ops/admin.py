from django.contrib import admin

from .models import FailedTask


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    list_display = ("created_at", "task_name", "reason", "deliveries", "retries", "task_id", "hostname")
    list_filter = ("reason", "task_name")
    search_fields = ("task_id", "task_name", "error")
    readonly_fields = [f.name for f in FailedTask._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
