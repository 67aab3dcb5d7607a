"""The API: ``/api/v1/`` (resources), ``/api/schema/`` (OpenAPI 3), ``/api/docs/`` (Swagger UI, local assets).

Each app owns its resources in ``<app>/api/urls.py``; they are included here by dotted path, so the
core imports no app above it. Every name is in the ``api`` namespace: ``api:root``, ``api:auth-token``,
``api:schema``, ``api:docs`` and the routers' own ``api:<basename>-list``, ``api:<basename>-detail``,
``api:<basename>-<action>`` (docs/decisions.md).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from nsp.api import views
from nsp.api.auth import TokenView
from nsp.api.root import NAMESPACE, ApiRootView, not_found

app_name = NAMESPACE

router = SimpleRouter()
router.register("nsp-editions", views.NationalSecurityPlanViewSet, basename="nsp-editions")
router.register("objectives", views.ObjectiveViewSet, basename="objectives")
router.register("indicators", views.IndicatorViewSet, basename="indicators")
router.register("measurements", views.MeasurementViewSet, basename="measurements")
router.register("actions", views.ActionViewSet, basename="actions")
router.register("comments", views.CommentViewSet, basename="comments")
router.register("deleted-items", views.DeletedItemViewSet, basename="deleted-items")

v1 = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("", include(router.urls)),
    path("", include("clusters.api.urls")),
    path("", include("zones.api.urls")),
    path("", include("programmes.api.urls")),
    path("", include("reporting.api.urls")),
    # Any other address under the API answers 404 in the API's error shape, not as an HTML page.
    re_path(r"^.*/$", not_found),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's configuration as a script file: no inline script (Content-Security-Policy).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name=f"{NAMESPACE}:schema"), name="docs"),
    re_path(r"^.*/$", not_found),
]
