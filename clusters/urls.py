"""Pages of the NSP reference (included at ``reference/``). Every route has a name and takes ``pk``."""

from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("", views.EditionListView.as_view(), name="edition-list"),
    path("editions/<int:pk>/", views.EditionDetailView.as_view(), name="edition"),
    path("editions/<int:pk>/edit/", views.EditionEditView.as_view(), name="edition-edit"),
    path("editions/<int:pk>/extension/", views.EditionExtendView.as_view(), name="edition-extend"),
    path("editions/<int:pk>/mapping/", views.EditionMappingView.as_view(), name="edition-mapping"),
    path("ambitions/<int:pk>/edit/", views.AmbitionEditView.as_view(), name="ambition-edit"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster"),
    path("clusters/<int:pk>/edit/", views.ClusterEditView.as_view(), name="cluster-edit"),
    path("phenomena/<int:pk>/", views.PhenomenonDetailView.as_view(), name="phenomenon"),
    path("phenomena/<int:pk>/edit/", views.PhenomenonEditView.as_view(), name="phenomenon-edit"),
    path("themes/<int:pk>/", views.ThemeDetailView.as_view(), name="theme"),
    path("themes/<int:pk>/edit/", views.ThemeEditView.as_view(), name="theme-edit"),
]
