from django.urls import path

from . import views

app_name = "talent"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("edit/", views.edit, name="edit"),
    path("privacy/", views.privacy, name="privacy"),
    path("skills/", views.skills, name="skills"),
    path("skills/add/", views.skill_add, name="skill_add"),
    path("skills/add-suggested/", views.skill_add_many, name="skill_add_many"),
    path("skills/suggest/", views.skill_suggest, name="skill_suggest"),
    path("skills/<int:skill_id>/level/", views.skill_level, name="skill_level"),
    path("skills/<int:skill_id>/remove/", views.skill_remove, name="skill_remove"),
    path("languages/add/", views.language_add, name="language_add"),
    path("languages/<int:language_id>/remove/", views.language_remove, name="language_remove"),
    path("students/", views.students, name="students"),
]
