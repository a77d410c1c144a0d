"""Signals the accreditation area sends for other areas to act on."""

from django.dispatch import Signal

# A badge request changed state (press.accreditation.decisions._move), sent inside the
# decision's transaction, before its email is queued; arguments: badge_request,
# from_state, to_state, by (the staff member, or None when the journalist moved it).
# A receiver that raises rolls the decision back.
badge_request_moved = Signal()

# An approval or new-code email is being prepared and shows the badge's QR code inline;
# argument: badge_request. A receiver returns the code as a
# press.core.emails.InlineImage, or None when the request has no active badge. Sent by
# press.accreditation.emails, which knows nothing of how badges are made.
badge_qr_wanted = Signal()

# A reviewer opens a request whose journalist is known; argument: badge_request. A
# receiver returns what it knows of the journalist's earlier editions as lines in the
# reader's language, newest edition first (the coverage area: accredited, attended,
# items published).
earlier_editions_wanted = Signal()
