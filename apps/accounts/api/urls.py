from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("auth/token/", views.AuthTokenView.as_view(), name="auth-token"),
    path("auth/sign-up/", views.SignUpView.as_view(), name="auth-sign-up"),
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
