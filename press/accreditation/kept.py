"""Files of a request form that failed validation, kept so the journalist need not
choose them again.

A checked file (a photo re-encoded, a press card or letter) is written to private
storage under `kept-uploads/<token>/`, with its original name for the page to show. The
token is random and the browser session that uploaded it is the only one that may use it
(the view keeps the tokens in the session). A kept file is usable for 24 hours; then
`uploads_kept_purge` (run by `manage.py purge_identity_documents`) deletes it, and
`upload_kept` already refuses it.
"""

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from press.core.storage import private_storage

KEEP_FOR = dt.timedelta(hours=24)
FOLDER = "kept-uploads"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class KeptUpload:
    token: str
    original_name: str
    stored_name: str
    content: bytes

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.stored_name)


def _meta_path(token: str) -> str:
    return f"{FOLDER}/{token}/meta.json"


def upload_keep(*, file: ContentFile, original_name: str, now: dt.datetime | None = None) -> str:
    """Keep a checked file for 24 hours; returns its token."""
    token = secrets.token_urlsafe(24)
    storage = private_storage()
    file.seek(0)
    stored_name = (file.name or "file").rsplit("/", 1)[-1]
    storage.save(f"{FOLDER}/{token}/{stored_name}", ContentFile(file.read()))
    meta = {
        "original_name": original_name.rsplit("/", 1)[-1][:200],
        "stored_name": stored_name,
        "kept_at": (now or timezone.now()).isoformat(),
    }
    storage.save(_meta_path(token), ContentFile(json.dumps(meta).encode()))
    file.seek(0)
    return token


def _meta(token: str) -> dict | None:
    if not _TOKEN.match(token or ""):
        return None
    storage = private_storage()
    if not storage.exists(_meta_path(token)):
        return None
    with storage.open(_meta_path(token), "rb") as handle:
        return json.loads(handle.read())


def upload_kept(*, token: str, now: dt.datetime | None = None) -> KeptUpload | None:
    """The file kept under `token`, or None when there is none or it is over 24 hours old."""
    meta = _meta(token)
    if meta is None:
        return None
    if dt.datetime.fromisoformat(meta["kept_at"]) + KEEP_FOR <= (now or timezone.now()):
        return None
    storage = private_storage()
    path = f"{FOLDER}/{token}/{meta['stored_name']}"
    if not storage.exists(path):
        return None
    with storage.open(path, "rb") as handle:
        content = handle.read()
    return KeptUpload(
        token=token,
        original_name=meta["original_name"],
        stored_name=meta["stored_name"],
        content=content,
    )


def upload_forget(*, token: str) -> None:
    """Delete a kept file (once its request has been sent)."""
    meta = _meta(token)
    if meta is None:
        return
    storage = private_storage()
    storage.delete(f"{FOLDER}/{token}/{meta['stored_name']}")
    storage.delete(_meta_path(token))


def uploads_kept_purge(*, now: dt.datetime | None = None) -> int:
    """Delete every kept file over 24 hours old (and any folder left without its
    description); returns how many were deleted."""
    storage = private_storage()
    now = now or timezone.now()
    try:
        tokens, _files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for token in tokens:
        meta = _meta(token)
        expired = meta is None or (dt.datetime.fromisoformat(meta["kept_at"]) + KEEP_FOR <= now)
        if not expired:
            continue
        _dirs, files = storage.listdir(f"{FOLDER}/{token}")
        for name in files:
            storage.delete(f"{FOLDER}/{token}/{name}")
        removed += 1
    return removed
