from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.firm_overview, name="firm"),
    path("mine/", views.my_applications, name="mine"),
    path("apply/<int:vacancy_id>/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.respond, {"answer": "accept"}, name="accept"),
    path("<int:pk>/decline/", views.respond, {"answer": "decline"}, name="decline"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/withdraw-consent/", views.withdraw_consent, name="withdraw_consent"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("vacancy/<int:vacancy_id>/", views.board, name="board"),
    path("vacancy/<int:vacancy_id>/bulk/", views.bulk, name="bulk"),
    path("vacancy/<int:vacancy_id>/invite/", views.invite, name="invite"),
]
