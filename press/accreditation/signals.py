"""Signals the accreditation area sends for other areas to act on."""

from django.dispatch import Signal

# A badge request changed state (press.accreditation.decisions._move), sent inside the
# decision's transaction, before its email is queued; arguments: badge_request,
# from_state, to_state, by (the staff member, or None when the journalist moved it).
# A receiver that raises rolls the decision back.
badge_request_moved = Signal()
