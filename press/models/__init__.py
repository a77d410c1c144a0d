"""Press office models, one module per aggregate."""

from press.models.accreditation import (
    AccreditationSettings,
    BadgeRequest,
    BadgeRequestTransition,
    FieldVisit,
)
from press.models.events import Event
from press.models.mailings import Delivery, Mailing
from press.models.releases import (
    Attachment,
    Boilerplate,
    PressContact,
    Release,
    ReleaseStatusChange,
    ReleaseVersion,
)

__all__ = ["Attachment", "Boilerplate", "Event", "PressContact", "Release", "ReleaseVersion"]
__all__ += ["ReleaseStatusChange"]
__all__ += ["Delivery", "Mailing"]
__all__ += ["AccreditationSettings", "BadgeRequest", "BadgeRequestTransition", "FieldVisit"]
