"""The Editors, Reviewers and Translators groups and their permissions, kept in step after
every migrate."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

VIEW_ALL = [
    "view_contentitem",
    "view_version",
    "view_contraindication",
    "view_contraindicationalias",
    "view_goal",
    "view_approval",
    "view_auditentry",
    "view_reviewerprofile",
    "view_locale",
    "view_contraindicationtranslation",
    "view_goaltranslation",
    "view_asset",
]

ROLES: dict[str, list[str]] = {
    "Editors": [
        *VIEW_ALL,
        "add_contentitem",
        "add_version",
        "change_version",
        "submit_version",
        "rollback_version",
        "add_asset",
        "change_asset",
    ],
    "Reviewers": [
        *VIEW_ALL,
        "review_version",
        "publish_version",
        "withdraw_version",
        "add_contraindication",
        "change_contraindication",
        "add_contraindicationalias",
        "change_contraindicationalias",
        "delete_contraindicationalias",
        "add_goal",
        "change_goal",
        "view_deliverykey",
        "add_deliverykey",
        "change_deliverykey",
        "add_locale",
        "change_locale",
        "change_contraindicationtranslation",
        "change_goaltranslation",
        "view_webhookendpoint",
        "add_webhookendpoint",
        "change_webhookendpoint",
        "delete_webhookendpoint",
    ],
    # Translators write translations of published content and of the vocabularies; reviewers
    # review them like any change.
    "Translators": [
        *VIEW_ALL,
        "translate_version",
        "add_contraindicationtranslation",
        "change_contraindicationtranslation",
        "add_goaltranslation",
        "change_goaltranslation",
    ],
}


def ensure_groups(**_kwargs) -> None:
    """Create the groups if missing and give each exactly its permissions."""
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="content", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:  # the permissions are created in the same post_migrate run, just before
            continue
        group.permissions.set(permissions)
