"""Press office models, one module per aggregate."""

from press.models.events import Event
from press.models.releases import (
    Attachment,
    Boilerplate,
    PressContact,
    Release,
    ReleaseVersion,
)

__all__ = ["Attachment", "Boilerplate", "Event", "PressContact", "Release", "ReleaseVersion"]
