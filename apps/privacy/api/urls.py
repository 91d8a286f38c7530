from django.urls import path

from . import views

urlpatterns = [
    path("privacy/consents/", views.ConsentsView.as_view(), name="privacy-consents"),
    path("privacy/export/", views.ExportView.as_view(), name="privacy-export"),
    path("privacy/delete-account/", views.DeleteAccountView.as_view(), name="privacy-delete-account"),
    path("privacy/audit-events/", views.AuditEventListView.as_view(), name="privacy-audit-events"),
]
