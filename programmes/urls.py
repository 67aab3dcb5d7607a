"""Programme pages (included at ``programmes/``). Every route has a name; object routes take ``pk``."""

from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme-list"),
    path("add/", views.ProgrammeCreateView.as_view(), name="programme-create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="programme-edit"),
    path("<int:pk>/delete/", views.ProgrammeDeleteView.as_view(), name="programme-delete"),
]
