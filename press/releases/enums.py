from django.db import models
from django.utils.translation import gettext_lazy as _


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")

    @classmethod
    def may_be_public(cls):
        """States in which a release shows once its publish time and embargo have passed."""
        return [cls.SCHEDULED, cls.PUBLISHED]


class AttachmentKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Image")
