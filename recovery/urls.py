import os

from django.contrib import admin
from django.urls import path

from content.delivery.urls import urlpatterns as delivery_urlpatterns

urlpatterns = [
    *delivery_urlpatterns,
    path("admin/", admin.site.urls),
]

if os.environ.get("BENCHMARK_CEILING_FILE"):  # only while bench/delivery.py runs
    from .benchmark_ceiling import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling))

handler400 = "recovery.errors.bad_request"
