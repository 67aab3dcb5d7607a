from rest_framework.routers import SimpleRouter

from programmes.api import views

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programmes")

urlpatterns = router.urls
