from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("skills", views.SkillViewSet, basename="skill")
router.register("skill-categories", views.SkillCategoryViewSet, basename="skill-category")
router.register("markets", views.MarketViewSet, basename="market")
router.register("locations", views.LocationViewSet, basename="location")

urlpatterns = router.urls
