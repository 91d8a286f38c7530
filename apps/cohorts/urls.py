from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.cohort_create, name="create"),
    path("mine/", views.my_cohorts, name="mine"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("insights/", views.insights, name="insights"),
    path("<int:pk>/", views.cohort_detail, name="detail"),
    path("<int:pk>/edit/", views.cohort_edit, name="edit"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/roster/add/", views.roster_add, name="roster_add"),
    path("<int:pk>/roster/import/", views.roster_import, name="roster_import"),
    path("<int:pk>/roster/template.csv", views.roster_template, name="roster_template"),
    path("<int:pk>/complete-all/", views.complete_all, name="complete_all"),
    path("<int:pk>/outcomes/", views.cohort_outcomes, name="outcomes"),
    path("enrollments/<int:pk>/", views.enrollment_edit, name="enrollment_edit"),
    path("roster-imports/<int:pk>/", views.roster_import_detail, name="roster_import_detail"),
    path("roster-imports/<int:pk>/problems.csv", views.roster_import_errors, name="roster_import_errors"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/partners/", views.partner_set, name="partner_set"),
    path("programmes/<int:pk>/partners/<int:firm_id>/remove/", views.partner_remove, name="partner_remove"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("placements/", views.placement_list, name="placements"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/delete/", views.placement_delete, name="placement_delete"),
]
