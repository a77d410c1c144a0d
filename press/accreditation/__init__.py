"""Accreditation: how a journalist's badge request is received, reviewed and decided.

Views, admin actions, commands and tasks all call these functions:
`requests` (the public form and the status page), `decisions` (one function per
move), `invitations`, `emails`, `privacy`; `forms`, `uploads`, `calendar` and
`export` serve the pages, the approval email and the spreadsheet.
"""

from press.accreditation.decisions import (
    ACTIONS,
    accreditation_approve,
    accreditation_cancel,
    accreditation_reject,
    accreditation_waitlist,
    accreditation_withdraw,
    move_is_allowed,
)
from press.accreditation.emails import EMAIL_FOR_STATE, badge_request_email_send, status_url
from press.accreditation.errors import AccreditationError
from press.accreditation.invitations import (
    INVITATION_KIND,
    invitation_find,
    invitation_followed,
    invitation_reminder_create,
    invitation_states,
)
from press.accreditation.privacy import (
    IDENTITY_DOCUMENTS,
    badge_requests_erase,
    badge_requests_personal_data,
    identity_documents_purge,
    purge_due_on,
)
from press.accreditation.requests import (
    PRIVACY_NOTICE_VERSION,
    REQUEST_FIELDS,
    Submission,
    badge_request_by_token,
    badge_request_submit,
    badge_request_update,
    field_visits_full,
    outlet_match,
)

__all__ = [
    "ACTIONS",
    "EMAIL_FOR_STATE",
    "IDENTITY_DOCUMENTS",
    "INVITATION_KIND",
    "PRIVACY_NOTICE_VERSION",
    "REQUEST_FIELDS",
    "AccreditationError",
    "Submission",
    "accreditation_approve",
    "accreditation_cancel",
    "accreditation_reject",
    "accreditation_waitlist",
    "accreditation_withdraw",
    "badge_request_by_token",
    "badge_request_email_send",
    "badge_request_submit",
    "badge_request_update",
    "badge_requests_erase",
    "badge_requests_personal_data",
    "field_visits_full",
    "identity_documents_purge",
    "invitation_find",
    "invitation_followed",
    "invitation_reminder_create",
    "invitation_states",
    "move_is_allowed",
    "outlet_match",
    "purge_due_on",
    "status_url",
]
