"""The delivery routes, mounted at the root of the URLconf (not under ``include()``): each
resolver level costs the hot path a ResolverMatch."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

# Swagger UI with its set-up script served from a URL (no inline script, so the page runs
# under the Content Security Policy); its page keeps one small inline <style> block.
docs = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

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
    path("api/v1/locales/", views.LocaleList.as_view(), name="locale-list"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs, name="docs"),
]
