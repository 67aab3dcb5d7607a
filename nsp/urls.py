"""The project's URL map. Apps are included by dotted path; each app owns its own urls module, and its names
are in the app's namespace (``app_name``): ``nsp:``, ``accounts:``, ``api:``, ``clusters:``, ``zones:``,
``programmes:``, ``reporting:`` (docs/decisions.md, "One URL naming convention")."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("nsp.urls_accounts")),
    # The REST API: every app registers its resources under /api/v1/.
    path("api/", include("nsp.api.urls")),
    # Pages, and the health check (/healthz/).
    path("", include("nsp.urls_pages")),
    path("reference/", include("clusters.urls")),
    path("", include("zones.urls")),
    path("programmes/", include("programmes.urls")),
    path("", include("reporting.urls")),
]

# Under /api/ these answer JSON in the API's error shape; elsewhere the site's pages.
handler400 = "nsp.errors.bad_request"
handler403 = "nsp.errors.permission_denied"
handler404 = "nsp.errors.page_not_found"
handler500 = "nsp.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
