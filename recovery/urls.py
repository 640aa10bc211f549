import os

from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path

from content.delivery.urls import urlpatterns as delivery_urlpatterns
from content.editorial.preview import Preview
from content.editorial.urls import urlpatterns as editorial_urlpatterns

from .media import serve_rendition

urlpatterns = [
    *delivery_urlpatterns,
    path("api/v1/preview/<str:token>/", Preview.as_view(), name="preview"),
    *editorial_urlpatterns,
    path("admin/", admin.site.urls),
]

if settings.MEDIA_URL.startswith("/"):  # renditions served from this server's storage
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>renditions/.+)$", serve_rendition)
    )

if os.environ.get("BENCHMARK_CEILING_FILE"):  # only while bench/delivery.py runs
    from .benchmark_ceiling import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling))

handler400 = "recovery.errors.bad_request"
