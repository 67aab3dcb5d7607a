from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("reports/", views.RunListView.as_view(), name="run-list"),
    path("reports/new/", views.RunCreateView.as_view(), name="run-new"),
    path("reports/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("reports/<int:pk>/download/", views.RunDownloadView.as_view(), name="run-download"),
    path("reports/<int:pk>/cancel/", views.RunCancelView.as_view(), name="run-cancel"),
    path("reports/<int:pk>/delete/", views.RunDeleteView.as_view(), name="run-delete"),
    path("reports/subscriptions/", views.SubscriptionListView.as_view(), name="subscription-list"),
    path("reports/subscriptions/<int:pk>/delete/", views.SubscriptionDeleteView.as_view(), name="subscription-delete"),
    path("reports/schedules/", views.ScheduleListView.as_view(), name="schedules"),
    path("reports/schedules/<slug:name>/", views.ScheduleEditView.as_view(), name="schedule-edit"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/csv/<slug:table>/", views.DashboardCsvView.as_view(), name="dashboard-csv"),
    path("dashboard/trend/", views.TrendView.as_view(), name="trend"),
    path("dashboard/collection/", views.CollectionView.as_view(), name="collection"),
    path("dashboard/coverage/", views.CoverageView.as_view(), name="coverage"),
    path("dashboard/coverage/<str:format>/", views.CoverageFileView.as_view(), name="coverage-file"),
    path(
        "dashboard/coverage/<int:nsp>/<slug:kind>/<int:priority>/",
        views.CoveragePriorityView.as_view(),
        name="coverage-priority",
    ),
    path(
        "dashboard/coverage/<int:nsp>/<slug:kind>/<int:priority>/<slug:zone>/",
        views.CoverageCellView.as_view(),
        name="coverage-cell",
    ),
]
