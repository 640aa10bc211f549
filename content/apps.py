from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    default = True  # this module also holds the admin's config, below
    name = "content"
    verbose_name = "Recovery content"

    def ready(self) -> None:
        from .events import vocabulary
        from .models.generations import ensure_delivery_state
        from .models.locales import ensure_default_locale
        from .notifications import handlers as notifications
        from .roles import ensure_groups

        vocabulary.connect()
        notifications.connect()

        # After contrib.auth has created this app's permissions (it is earlier in INSTALLED_APPS).
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="content.ensure_groups")
        post_migrate.connect(
            ensure_delivery_state, sender=self, dispatch_uid="content.ensure_delivery_state"
        )
        post_migrate.connect(
            ensure_default_locale, sender=self, dispatch_uid="content.ensure_default_locale"
        )


class RecoveryAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the product's own site (``recovery.admin_site.RecoverySite``)."""

    default = False  # named in INSTALLED_APPS
    default_site = "recovery.admin_site.RecoverySite"
