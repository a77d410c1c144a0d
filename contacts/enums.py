from django.db import models
from django.utils.translation import gettext_lazy as _


class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", _("Newspaper")
    MAGAZINE = "magazine", _("Magazine")
    AGENCY = "agency", _("News agency")
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    ONLINE = "online", _("Online media")
    PHOTO_AGENCY = "photo_agency", _("Photo agency")
    OTHER = "other", _("Freelance / other")


class ContactSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Spreadsheet import")
    ACCREDITATION = "accreditation", _("Accreditation form")
    SUBSCRIPTION = "subscription", _("Newsroom subscription")


class ConsentBasis(models.TextChoices):
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (professional contact)")
    CONSENT = "consent", _("Consent given")
    CONTRACT = "contract", _("Accreditation request")


class SuppressionReason(models.TextChoices):
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Marked as spam")
    ERASED = "erased", _("Erased on request")


class ImportState(models.TextChoices):
    """An import is previewed, then (once its uploader confirms) applied; both run in
    the background: queued → reading → checking → previewed, then queued → reading →
    writing → done. Failed at any step; cancelled when a preview is not applied."""

    QUEUED = "queued", _("Waiting to start")
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking rows against the media file")
    PREVIEWED = "previewed", _("Ready to apply")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not applied")

    @classmethod
    def finished(cls) -> set[str]:
        return {cls.DONE, cls.FAILED, cls.CANCELLED}

    @classmethod
    def running(cls) -> set[str]:
        return {cls.READING, cls.CHECKING, cls.WRITING}
