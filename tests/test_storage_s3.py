"""Files on S3-compatible object storage, against moto's S3 server started here on
127.0.0.1. Skipped only when moto cannot start (and then not under CI=true)."""

import importlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from contacts.enums import ImportState
from contacts.models import ContactImport, Journalist
from press.core.storage import private_storage
from tests.factories.accreditation import BadgeRequestFactory, image_bytes

pytestmark = pytest.mark.django_db

PORTS = range(8760, 8800)
KEY, SECRET, REGION = "presse-test", "presse-test-secret", "eu-west-1"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8760-8799")


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"moto's S3 server is needed in CI: {reason}")
    pytest.skip(f"moto's S3 server could not start: {reason}")


@pytest.fixture(scope="session")
def s3_endpoint():
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as error:
        _unavailable(str(error))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            if server.poll() is not None:
                _unavailable(f"it exited with code {server.returncode}")
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            _unavailable("it did not answer within 10 seconds")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3(settings, s3_endpoint):
    """Public media and private files in two fresh buckets; returns a boto3 client."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        region_name=REGION,
    )
    media, private = f"media-{uuid.uuid4().hex[:8]}", f"private-{uuid.uuid4().hex[:8]}"
    for bucket in (media, private):
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    common = {
        "endpoint_url": s3_endpoint,
        "access_key": KEY,
        "secret_key": SECRET,
        "region_name": REGION,
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": media,
                "location": "media",
                "querystring_auth": False,
            },
        },
        "private": {
            "BACKEND": "press.core.s3.PrivateS3Storage",
            "OPTIONS": {**common, "bucket_name": private, "location": "private"},
        },
    }
    client.buckets = {"media": media, "private": private}
    return client


def keys(client, bucket: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_private_files_go_to_their_bucket_and_are_streamed_to_staff_only(
    s3, client, staff_user, tmp_path
):
    photo = image_bytes()
    badge_request = BadgeRequestFactory(photo=ContentFile(photo, name="photo.jpg"))
    url = reverse("badge_request_file", args=[badge_request.pk, "photo"])

    anonymous = client.get(url)
    client.force_login(staff_user("Accreditation reviewer"))
    response = client.get(url)

    stored = keys(s3, s3.buckets["private"])
    photo_key = f"private/{badge_request.photo.name}"
    assert photo_key in stored
    assert keys(s3, s3.buckets["media"]) == []
    assert not (tmp_path / "private").exists()
    assert anonymous.status_code in (302, 403)
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        == s3.get_object(Bucket=s3.buckets["private"], Key=photo_key)["Body"].read()
    )
    assert response["Cache-Control"] == "private, no-store"


def test_private_files_on_object_storage_have_no_url(s3):
    name = private_storage().save("cards/card.pdf", ContentFile(b"%PDF-1.4"))

    with pytest.raises(ValueError, match="private files have no URL"):
        private_storage().url(name)


def test_public_media_get_a_plain_url_that_serves_them(s3):
    # What the README asks of the operator: the media prefix readable by anyone.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{s3.buckets['media']}/media/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=s3.buckets["media"], Policy=json.dumps(policy))
    name = storages["default"].save("releases/note.txt", ContentFile(b"Communique"))

    url = storages["default"].url(name)

    assert url == f"{s3.meta.endpoint_url}/{s3.buckets['media']}/media/{name}"
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - the local stand-in
        assert answer.read() == b"Communique"


def test_import_reads_its_upload_from_object_storage_and_deletes_it(
    s3, officer_client, django_capture_on_commit_callbacks
):
    upload = io.BytesIO(b"Email,Ville\nobjet@media.example,Gent\n")
    upload.name = "contacts.csv"
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post("/admin/contacts/journalist/import/", {"file": upload})
    contact_import = ContactImport.objects.get()
    assert contact_import.state == ImportState.PREVIEWED
    assert keys(s3, s3.buckets["private"]) == [f"private/{contact_import.file_path}"]

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/admin/contacts/journalist/import/{contact_import.pk}/apply/")

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.DONE
    assert list(Journalist.objects.values_list("email", "city")) == [
        ("objet@media.example", "Gent")
    ]
    assert keys(s3, s3.buckets["private"]) == []


def test_settings_choose_object_storage_from_the_environment():
    from press import settings as module

    env = {
        "S3_BUCKET": "presse-media",
        "S3_PRIVATE_BUCKET": "presse-private",
        "S3_ENDPOINT_URL": "https://s3.example.org",
        "S3_ACCESS_KEY_ID": "key",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_REGION": "fr-par",
        "S3_MEDIA_DOMAIN": "media.example.org",
    }
    try:
        with mock.patch.dict(os.environ, env):
            configured = importlib.reload(module).STORAGES
        with mock.patch.dict(os.environ, {"S3_BUCKET": ""}):
            default = importlib.reload(module).STORAGES
    finally:
        importlib.reload(module)

    media, private = configured["default"], configured["private"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"] == {
        "endpoint_url": "https://s3.example.org",
        "access_key": "key",
        "secret_key": "secret",
        "region_name": "fr-par",
        "addressing_style": None,
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,
        "bucket_name": "presse-media",
        "location": "media",
        "querystring_auth": False,
        "custom_domain": "media.example.org",
    }
    assert private["BACKEND"] == "press.core.s3.PrivateS3Storage"
    assert (private["OPTIONS"]["bucket_name"], private["OPTIONS"]["location"]) == (
        "presse-private",
        "private",
    )
    assert default["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
