"""Pictures in an S3-compatible bucket (``MEDIA_STORAGE=s3``, django-storages): a real S3 API
over HTTP (moto's server, started by the test), configured the way the README says."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from content.media.renditions import crops, make_renditions
from content.models import PublishedDocument, Rendition
from content.workflow.snapshot import MediaSpec
from recovery import media
from tests import builders
from tests.media.conftest import AssetFactory
from tests.media.images import exif_of, photo_with_gps
from tests.servers import free_port

pytestmark = pytest.mark.django_db

BUCKET = "recovery-media"


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a port of its own, for this module's tests."""
    command = Path(sys.executable).parent / "moto_server"
    if not command.exists() and not shutil.which("moto_server"):
        pytest.skip("moto[server] is not installed (pip install -e '.[dev]')")
    port = free_port()
    server = subprocess.Popen(
        [str(command), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(address, timeout=1)
                break
            except urllib.error.HTTPError:  # it answers
                break
            except OSError:
                time.sleep(0.1)
        yield address
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    """The default storage as ``MEDIA_STORAGE=s3`` configures it, on an empty bucket."""
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": s3_server,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    # As the README asks of an operator: renditions (and nothing else) readable by anyone.
    public_renditions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/renditions/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_renditions))
    settings.STORAGES = {**settings.STORAGES, **media.storages()}
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for entry in objects:
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_pictures_live_in_the_bucket_and_apps_fetch_them_from_it(
    s3_storage, s3_server, editor, reviewer, client
):
    asset = AssetFactory(data=photo_with_gps(), user=editor)
    original = s3_storage.get_object(Bucket=BUCKET, Key=asset.file.name)["Body"].read()
    assert exif_of(original) == {}

    for crop in crops(asset):
        make_renditions.call(asset.pk, crop)
    for rendition in Rendition.objects.filter(asset=asset):
        head = s3_storage.head_object(Bucket=BUCKET, Key=rendition.file.name)
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
        assert head["ContentLength"] == rendition.size

    version = builders.published(
        editor,
        reviewer,
        media=(MediaSpec(asset=asset.sha256, role="hero", alt="A mat unrolled on a floor"),),
    )
    document = json.loads(PublishedDocument.objects.get(version=version).body)
    rendition = document["media"][0]["renditions"][0]
    assert rendition["url"].startswith(f"{s3_server}/{BUCKET}/renditions/")
    assert "?" not in rendition["url"]  # unsigned: cacheable, and valid for ever
    with urllib.request.urlopen(rendition["url"], timeout=10) as answer:
        served = answer.read()
    key = rendition["url"].removeprefix(f"{s3_server}/{BUCKET}/")
    assert served == s3_storage.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    # The uploaded original is not public.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_server}/{BUCKET}/{asset.file.name}", timeout=10)
    assert refused.value.code == 403


def test_the_storage_setting_says_what_is_missing(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.delenv("MEDIA_S3_BUCKET", raising=False)
    with pytest.raises(RuntimeError, match="MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET"):
        media.storages()
    monkeypatch.setenv("MEDIA_STORAGE", "ftp")
    with pytest.raises(RuntimeError, match="must be 'filesystem' or 's3', not 'ftp'"):
        media.storages()


def test_the_admin_may_show_thumbnails_from_the_bucket_or_a_cdn(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("MEDIA_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.delenv("MEDIA_S3_CUSTOM_DOMAIN", raising=False)
    assert media.image_origins("/media/") == ["http://127.0.0.1:9000"]
    monkeypatch.setenv("MEDIA_S3_CUSTOM_DOMAIN", "cdn.example.org")
    assert media.image_origins("https://cdn.example.org/media/") == ["https://cdn.example.org"]
    monkeypatch.setenv("MEDIA_STORAGE", "filesystem")
    assert media.image_origins("/media/") == []
