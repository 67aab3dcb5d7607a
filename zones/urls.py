"""Pages for zones and zonal plans. Every route has a name; object routes take ``pk`` (``key`` for zones).
For the "add" routes the pk is that of the row the new one goes under."""

from django.urls import path

from zones import views, views_sections

app_name = "zones"

urlpatterns = [
    # Police zones.
    path("zones/", views.ZoneListView.as_view(), name="zone-list"),
    path("zones/<slug:key>/", views.ZoneDetailView.as_view(), name="zone"),
    path("zones/<slug:key>/plans/add/", views.ZonalPlanCreateView.as_view(), name="plan-create"),
    # Zonal security plans.
    path("plans/", views.ZonalPlanListView.as_view(), name="plan-list"),
    path("plans/<int:pk>/", views.ZonalPlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", views.ZonalPlanEditView.as_view(), name="plan-edit"),
    path("plans/<int:pk>/delete/", views.ZonalPlanDeleteView.as_view(), name="plan-delete"),
    path("plans/<int:pk>/workflow/", views.PlanTransitionView.as_view(), name="plan-transition"),
    path("plans/<int:pk>/realign/", views.RealignmentView.as_view(), name="plan-realign"),
    # National alignment.
    path("plans/<int:pk>/alignment/", views.AlignmentView.as_view(), name="plan-alignment"),
    path("alignments/<int:pk>/delete/", views.AlignmentDeleteView.as_view(), name="alignment-delete"),
    # Argumentation matrix.
    path("plans/<int:pk>/matrix/", views.MatrixView.as_view(), name="plan-matrix"),
    path("plans/<int:pk>/matrix/candidates/add/", views.MatrixCandidateCreateView.as_view(), name="candidate-add"),
    path("matrix-candidates/<int:pk>/edit/", views.MatrixCandidateEditView.as_view(), name="candidate-edit"),
    path("matrix-candidates/<int:pk>/delete/", views.MatrixCandidateDeleteView.as_view(), name="candidate-delete"),
    # Expectations of the authorities and partners.
    path("plans/<int:pk>/expectations/", views.ExpectationsView.as_view(), name="plan-expectations"),
    path("plans/<int:pk>/expectations/add/", views.ExpectationCreateView.as_view(), name="expectation-add"),
    path("expectations/<int:pk>/edit/", views.ExpectationEditView.as_view(), name="expectation-edit"),
    path("expectations/<int:pk>/delete/", views.ExpectationDeleteView.as_view(), name="expectation-delete"),
    # The plan document: its chapters and sub-headings.
    path("plans/<int:pk>/document/", views_sections.PlanDocumentView.as_view(), name="plan-document"),
    path("plans/<int:pk>/sections/add/", views_sections.PlanSectionCreateView.as_view(), name="section-add"),
    path("plans/<int:pk>/sections/preview/", views_sections.PlanSectionPreviewView.as_view(), name="section-preview"),
    path("plan-sections/<int:pk>/edit/", views_sections.PlanSectionEditView.as_view(), name="section-edit"),
    path("plan-sections/<int:pk>/move/", views_sections.PlanSectionMoveView.as_view(), name="section-move"),
    path("plan-sections/<int:pk>/delete/", views_sections.PlanSectionDeleteView.as_view(), name="section-delete"),
    # The Brussels regional security plan.
    path("regional-plans/", views.RegionalPlanListView.as_view(), name="regional-plan-list"),
    path("regional-plans/<int:pk>/", views.RegionalPlanDetailView.as_view(), name="regional-plan"),
    path("regional-plans/<int:pk>/edit/", views.RegionalPlanEditView.as_view(), name="regional-plan-edit"),
    path("nsp/<int:pk>/regional-plans/add/", views.RegionalPlanCreateView.as_view(), name="regional-plan-create"),
    # The CPPL-VCLP's local-police vision on an NSP edition.
    path("visions/<int:pk>/", views.VisionDetailView.as_view(), name="vision"),
    path("visions/<int:pk>/edit/", views.VisionEditView.as_view(), name="vision-edit"),
    path("nsp/<int:pk>/vision/add/", views.VisionCreateView.as_view(), name="vision-create"),
]
