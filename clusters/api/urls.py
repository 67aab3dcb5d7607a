from rest_framework.routers import SimpleRouter

from clusters.api import views

router = SimpleRouter()
router.register("clusters", views.SecurityClusterViewSet, basename="clusters")
router.register("phenomena", views.SecurityPhenomenonViewSet, basename="phenomena")
router.register("themes", views.CrossCuttingThemeViewSet, basename="themes")

urlpatterns = router.urls
