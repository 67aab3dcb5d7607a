"""Pages of the planning core, for every plan type, and the health check. Every route has a name in the
``nsp`` namespace (``nsp:home``, ``nsp:objective``; docs/decisions.md); object routes take ``pk`` (for the
"add" routes, the pk of the row the new one goes under)."""

from django.urls import path

from nsp import health, views

app_name = "nsp"

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("", views.HomeView.as_view(), name="home"),
    # Objectives: under any plan (zonal plan, programme, regional plan).
    path("plans/<int:pk>/objectives/add/", views.ObjectiveCreateView.as_view(), name="objective-add"),
    path("objectives/<int:pk>/", views.ObjectiveDetailView.as_view(), name="objective"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEditView.as_view(), name="objective-edit"),
    path("objectives/<int:pk>/move/", views.ObjectiveMoveView.as_view(), name="objective-move"),
    path("objectives/<int:pk>/place/", views.ObjectivePlaceView.as_view(), name="objective-place"),
    path("objectives/<int:pk>/add-after/", views.ObjectiveCreateAfterView.as_view(), name="objective-add-after"),
    path("objectives/<int:pk>/delete/", views.ObjectiveDeleteView.as_view(), name="objective-delete"),
    # Indicators and their measurements.
    path("objectives/<int:pk>/indicators/add/", views.IndicatorCreateView.as_view(), name="indicator-add"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator-edit"),
    path("indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator-delete"),
    path("indicators/<int:pk>/measurements/add/", views.MeasurementRecordView.as_view(), name="measurement-add"),
    path("measurements/<int:pk>/edit/", views.MeasurementEditView.as_view(), name="measurement-edit"),
    path("measurements/<int:pk>/delete/", views.MeasurementDeleteView.as_view(), name="measurement-delete"),
    path("plans/<int:pk>/measurements/upload/", views.MeasurementUploadView.as_view(), name="measurement-upload"),
    path("plans/<int:pk>/measurements/quarter/", views.MeasurementGridView.as_view(), name="measurement-grid"),
    path("measurements/quarter/", views.MeasurementGridPickView.as_view(), name="measurement-grid-pick"),
    # Actions.
    path("objectives/<int:pk>/actions/add/", views.ActionCreateView.as_view(), name="action-add"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action"),
    path("actions/<int:pk>/edit/", views.ActionEditView.as_view(), name="action-edit"),
    path("actions/<int:pk>/progress/", views.ActionProgressView.as_view(), name="action-progress"),
    path("actions/<int:pk>/delete/", views.ActionDeleteView.as_view(), name="action-delete"),
    # Comments on a plan or one of its items.
    path("plans/<int:pk>/comments/add/", views.PlanCommentCreateView.as_view(), name="plan-comment-add"),
    path("objectives/<int:pk>/comments/add/", views.ObjectiveCommentCreateView.as_view(), name="objective-comment-add"),
    path("indicators/<int:pk>/comments/add/", views.IndicatorCommentCreateView.as_view(), name="indicator-comment-add"),
    path("actions/<int:pk>/comments/add/", views.ActionCommentCreateView.as_view(), name="action-comment-add"),
    path("comments/<int:pk>/delete/", views.CommentDeleteView.as_view(), name="comment-delete"),
    # What was deleted from a plan, to be restored within DELETED_RETENTION_DAYS.
    path("plans/<int:pk>/deleted/", views.DeletedItemsView.as_view(), name="plan-deleted-items"),
    path("deleted-items/<int:pk>/restore/", views.DeletedItemRestoreView.as_view(), name="deleted-item-restore"),
]
