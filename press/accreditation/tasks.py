"""Background work for accreditation: the emails a badge request's moves send."""

from django.tasks import task

from press.accreditation.emails import badge_request_email_send
from press.accreditation.models import BadgeRequestEmail


@task
def badge_request_email(email_id: int) -> bool:
    """Send one queued accreditation email; one whose request was deleted meanwhile
    (erasure) or that was already sent sends nothing."""
    email = (
        BadgeRequestEmail.objects.select_related("badge_request__event").filter(pk=email_id).first()
    )
    return email is not None and badge_request_email_send(email=email)
