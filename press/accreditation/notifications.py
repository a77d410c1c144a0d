"""Queueing the emails a badge request sends: one row per email, sent by a task after
the transaction that caused it commits."""

from press.accreditation.models import BadgeRequest, BadgeRequestEmail
from press.accreditation.tasks import badge_request_email
from press.core.queue import enqueue_on_commit


def badge_request_notify(
    *, badge_request: BadgeRequest, template: str, variant: str = ""
) -> BadgeRequestEmail:
    """Record an email to the request's address (templates/emails/<template>) and queue
    its sending once the current transaction commits; nothing goes if it rolls back."""
    email = BadgeRequestEmail.objects.create(
        badge_request=badge_request, template=template, variant=variant, to=badge_request.email
    )
    enqueue_on_commit(badge_request_email, email.pk)
    return email
