"""What the admin's read-only screens share."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to read and follow links from: nothing is added, changed or deleted through it
    (whatever changes goes through the workflow or a screen's own buttons)."""

    list_display_links = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
