from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.data, name="data"),
    path("consent/", views.consent, name="consent"),
    path("consent/firm/", views.firm_withdraw, name="firm_withdraw"),
    path("export.json", views.export_json, name="export_json"),
    path("export/", views.export_html, name="export_html"),
    path("delete/", views.delete_account, name="delete"),
    path("audit/", views.audit_log, name="audit"),
]
