from rest_framework.routers import SimpleRouter

from zones.api import views

router = SimpleRouter()
router.register("zones", views.PoliceZoneViewSet, basename="zones")
router.register("districts", views.DistrictViewSet, basename="districts")
router.register("zonal-plans", views.ZonalPlanViewSet, basename="zonal-plans")
router.register("regional-plans", views.RegionalPlanViewSet, basename="regional-plans")
router.register("expectations", views.ExpectationViewSet, basename="expectations")
router.register("plan-sections", views.PlanSectionViewSet, basename="plan-sections")
router.register("matrix-candidates", views.MatrixCandidateViewSet, basename="matrix-candidates")
router.register("alignments", views.NationalAlignmentViewSet, basename="alignments")
router.register("transitions", views.PlanTransitionViewSet, basename="transitions")
router.register("visions", views.LocalPoliceVisionViewSet, basename="visions")

urlpatterns = router.urls
