"""What the coverage area does when something happens elsewhere: a journalist is
erased, or a subject access export is made."""

from contacts.models import Journalist
from contacts.privacy import PERSONAL_DATA_SECTIONS
from contacts.signals import journalist_erased
from press.coverage.items import coverage_erase, coverage_personal_data


def on_journalist_erased(sender: object, journalist: Journalist, **kwargs: object) -> None:
    """An erased journalist's coverage loses its link to them."""
    coverage_erase(journalist=journalist)


def connect() -> None:
    """Hook the receivers up (from CoverageConfig.ready)."""
    journalist_erased.connect(on_journalist_erased, dispatch_uid="press.coverage.erased")
    if coverage_personal_data not in PERSONAL_DATA_SECTIONS:
        PERSONAL_DATA_SECTIONS.append(coverage_personal_data)
