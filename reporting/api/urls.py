from rest_framework.routers import SimpleRouter

from reporting.api import views

router = SimpleRouter()
router.register("reports", views.ReportRunViewSet, basename="reports")

urlpatterns = router.urls
