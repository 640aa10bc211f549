import os

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("content.delivery.urls")),
]

if os.environ.get("BENCHMARK_CEILING_FILE"):  # only while bench/delivery.py runs
    from .benchmark_ceiling import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling))
