"""S3-compatible object storage (django-storages), named by the settings when S3_BUCKET
is set; imported only then, so boto3 is loaded only where it is used."""

from typing import Any

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Private files on object storage. They have no URL to give: a signed URL would
    work for anyone holding it; their views stream them (press.core.storage)."""

    def url(
        self, name: Any, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        raise ValueError(
            f"{name}: private files have no URL; serve them through their permission-checked view."
        )
