"""The admin site: the product's name on every page, where "View site" leads, and the
home page, which opens with what waits for the person logged in (``home``).

``RecoverySite`` is the project's default admin site (``content.apps.RecoveryAdminConfig``
in INSTALLED_APPS), so every ``admin.register`` registers on it. It lives outside
``content.admin``: building the site must not import the modules that register on it.

Django's "Recent actions" box reads Django's LogEntry, which the workflow does not write (the
audit log is the record); the home page shows the person's audit entries instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse_lazy

PRODUCT = "Recovery content"


class RecoverySite(admin.AdminSite):
    site_header = PRODUCT
    site_title = f"{PRODUCT} admin"
    index_title = "Editing and review"
    # The service has no public pages; its readers are app developers, who read the API docs.
    site_url = reverse_lazy("docs")
    # Not "admin/index.html": Django's admin app comes before ``content`` in INSTALLED_APPS,
    # so its own template of that name would be found first.
    index_template = "admin/home.html"

    def index(self, request, extra_context=None):
        """Django's admin index, with the person's desk (``home.Desk``) in its context."""
        from content.admin.home import desk_for  # registered on this site: not at import

        context = {"desk": desk_for(request.user), **(extra_context or {})}
        return super().index(request, context)
