from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("vacancies", views.VacancyViewSet, basename="vacancy")

urlpatterns = router.urls
