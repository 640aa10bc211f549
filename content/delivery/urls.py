from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

urlpatterns = [
    path("v1/components/", views.ComponentList.as_view(), name="component-list"),
    path("v1/components/<slug:slug>/", views.ComponentDetail.as_view(), name="component-detail"),
    path(
        "v1/components/<slug:slug>/versions/",
        views.ComponentHistory.as_view(),
        name="component-history",
    ),
    path(
        "v1/components/<slug:slug>/versions/<int:number>/",
        views.ComponentVersion.as_view(),
        name="component-version",
    ),
    path(
        "v1/contraindications/",
        views.ContraindicationList.as_view(),
        name="contraindication-list",
    ),
    path("v1/goals/", views.GoalList.as_view(), name="goal-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]
