"""Where pictures are stored, and how their renditions are served from this server.

Files go through Django's storage API. ``MEDIA_STORAGE=filesystem`` (the default) keeps them
under ``MEDIA_ROOT``, and this server answers ``MEDIA_URL`` for renditions only, each with a
year's immutable caching (their names carry their content's hash). ``MEDIA_STORAGE=s3``
keeps them in an S3-compatible bucket through django-storages (``pip install boto3``), which
then serves them, or a CDN in front of it (``MEDIA_URL``): every object is written with the
same immutable ``Cache-Control``.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

#: Renditions never change: their names carry the hash of their bytes.
IMMUTABLE = "public, max-age=31536000, immutable"

_TYPES = {".avif": "image/avif", ".webp": "image/webp", ".jpeg": "image/jpeg"}


def storages() -> dict:
    """The ``default`` storage, from ``MEDIA_STORAGE`` and the variables it names."""
    kind = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()
    if kind == "filesystem":
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    if kind != "s3":
        raise RuntimeError(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {kind!r}.")
    bucket = os.environ.get("MEDIA_S3_BUCKET")
    if not bucket:
        raise RuntimeError("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET (the bucket's name).")
    options = {
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("MEDIA_S3_REGION") or None,
        # Public, unsigned URLs on the CDN's or bucket's address: apps cache them for ever.
        "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
        "querystring_auth": False,
        "file_overwrite": True,  # a name is its content's hash: the same name, the same bytes
        "default_acl": None,
        "object_parameters": {"CacheControl": IMMUTABLE},
    }
    return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}


def image_origins(media_url: str) -> list[str]:
    """Where the admin's thumbnails come from besides this server: the origin of an absolute
    ``media_url`` (a CDN), and with ``MEDIA_STORAGE=s3`` the bucket's (its custom domain, or
    its endpoint); for the Content Security Policy's ``img-src``."""
    found = []
    addresses = [media_url]
    if os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower() == "s3":
        domain = os.environ.get("MEDIA_S3_CUSTOM_DOMAIN")
        endpoint = os.environ.get("MEDIA_S3_ENDPOINT_URL") or "https://*.amazonaws.com/"
        addresses.append(f"https://{domain}/" if domain else endpoint)
    for address in addresses:
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in found:
                found.append(origin)
    return found


def serve_rendition(request: HttpRequest, path: str) -> FileResponse:
    """A rendition file from the storage, cacheable for ever; nothing else under it (the
    uploaded originals are not served)."""
    name = posixpath.normpath(path).lstrip("/")
    if not name.startswith("renditions/") or ".." in name.split("/"):
        raise Http404("No such picture.")
    extension = posixpath.splitext(name)[1]
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such picture.") from None
    content_type = (
        _TYPES.get(extension) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    return response
