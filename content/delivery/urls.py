"""The delivery routes, mounted at the root of the URLconf (not under ``include()``): each
resolver level costs the hot path a ResolverMatch."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views

urlpatterns = [
    path("api/v1/components/", views.ComponentList.as_view(), name="component-list"),
    path(
        "api/v1/components/<slug:slug>/", views.ComponentDetail.as_view(), name="component-detail"
    ),
    path(
        "api/v1/components/<slug:slug>/versions/",
        views.ComponentHistory.as_view(),
        name="component-history",
    ),
    path(
        "api/v1/components/<slug:slug>/versions/<int:number>/",
        views.ComponentVersion.as_view(),
        name="component-version",
    ),
    path(
        "api/v1/contraindications/",
        views.ContraindicationList.as_view(),
        name="contraindication-list",
    ),
    path("api/v1/goals/", views.GoalList.as_view(), name="goal-list"),
    path("api/v1/plans/", views.PlanList.as_view(), name="plan-list"),
    path("api/v1/plans/<slug:slug>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("api/v1/sync/", views.Sync.as_view(), name="sync"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]
