"""The editorial API's routes, under ``/api/manage/v1/`` (mounted at the root of the
URLconf, as the delivery routes are)."""

from __future__ import annotations

from django.urls import path

from . import items, library, people, preview_links, versions
from .openapi import EditorialSchemaView
from .transitions import transition_views

BASE = "api/manage/v1/"
ITEM = BASE + "items/<str:slug>/"
VERSION = ITEM + "versions/<int:number>/"

urlpatterns = [
    path(BASE + "items/", items.ItemList.as_view(), name="manage-items"),
    path(ITEM, items.ItemDetail.as_view(), name="manage-item"),
    path(ITEM + "allowed-actions/", items.AllowedActions.as_view(), name="manage-allowed"),
    path(ITEM + "audit/", items.AuditLog.as_view(), name="manage-audit"),
    path(
        ITEM + "translations/<str:locale>/",
        items.StartTranslation.as_view(),
        name="manage-translate",
    ),
    path(ITEM + "versions/", versions.VersionList.as_view(), name="manage-versions"),
    path(VERSION, versions.VersionDetail.as_view(), name="manage-version"),
    *[
        path(f"{VERSION}{name}/", view.as_view(), name=f"manage-{name}")
        for name, view in transition_views().items()
    ],
    path(
        VERSION + "preview-links/",
        preview_links.PreviewLinks.as_view(),
        name="manage-preview-links",
    ),
    path(BASE + "review-queue/", people.ReviewQueue.as_view(), name="manage-review-queue"),
    path(BASE + "notifications/", people.NotificationList.as_view(), name="manage-notifications"),
    path(
        BASE + "notifications/<int:id>/read/",
        people.NotificationRead.as_view(),
        name="manage-notification-read",
    ),
    path(BASE + "media/", library.MediaList.as_view(), name="manage-media"),
    path(BASE + "media/<str:sha256>/", library.MediaDetail.as_view(), name="manage-asset"),
    path(BASE + "locales/", library.LocaleList.as_view(), name="manage-locales"),
    *[
        route
        for vocabulary in library.VOCABULARIES
        for route in (
            path(
                f"{BASE}{vocabulary}/",
                library.vocabulary_view(vocabulary, "list"),
                name=f"manage-{vocabulary}",
            ),
            path(
                f"{BASE}{vocabulary}/<slug:slug>/translations/<str:locale>/",
                library.vocabulary_view(vocabulary, "translate"),
                name=f"manage-{vocabulary}-translation",
            ),
            path(
                f"{BASE}{vocabulary}/<slug:slug>/translations/<str:locale>/approve/",
                library.vocabulary_view(vocabulary, "approve"),
                name=f"manage-{vocabulary}-approve",
            ),
        )
    ],
    path(BASE + "schema/", EditorialSchemaView.as_view(), name="manage-schema"),
]
