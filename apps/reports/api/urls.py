from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("reports", views.ReportSnapshotViewSet, basename="report")

urlpatterns = router.urls
