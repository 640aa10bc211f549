from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin

from content.models import DeliveryKey


@admin.register(DeliveryKey)
class DeliveryKeyAdmin(APIKeyModelAdmin):
    """Create a key (shown once, then only its hash is kept), set its rate, revoke it."""

    list_display = [*APIKeyModelAdmin.list_display, "requests_per_minute"]
    search_fields = ["name", "prefix"]


# The library's own key model is not used here (our keys carry a rate limit): hide it so
# that reviewers find one place to manage keys.
from rest_framework_api_key.models import APIKey  # noqa: E402

if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)
