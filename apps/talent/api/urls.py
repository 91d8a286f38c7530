from django.urls import path, re_path

from apps.skills.api.views import CODE_REGEX

from . import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/skills/", views.ProfileSkillsView.as_view(), name="profile-skills"),
    re_path(rf"^profile/skills/(?P<code>{CODE_REGEX})/$", views.ProfileSkillDetailView.as_view(),
            name="profile-skill"),
]
