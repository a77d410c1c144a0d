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
    QUEUED = "queued", _("Waiting to start")
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking rows against the media file")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

    @classmethod
    def finished(cls) -> set[str]:
        return {cls.DONE, cls.FAILED}
