"""Private storage: photos, press cards, letters, badge PDFs and clippings.

Files here never have a public URL; each area serves its own through a
permission-checked view. On object storage (S3_BUCKET set; press.core.s3) the view
streams the object too: a signed URL would be a link that works for anyone who holds
it, and would skip the view's permission check and response headers.
"""

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """storages["private"], looked up when first used and again after a settings change,
    so that a file field never holds on to a storage configured before the settings."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]  # LazyObject's own marker


def private_storage() -> Storage:
    """The storage for FileField(storage=private_storage)."""
    return _private  # type: ignore[return-value]  # a lazy proxy of a Storage
