"""Names for types the domain modules share (for annotations; nothing at run time)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

    # Who did something in the back office: a staff user, or None (the journalist, a
    # script, the demo).
    StaffMember = User | None
else:
    StrOrPromise = str
    StaffMember = object

__all__ = ["StaffMember", "StrOrPromise"]
