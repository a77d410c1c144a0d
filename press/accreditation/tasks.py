"""Background work for accreditation: the emails a badge request's moves send."""

from django.tasks import task

from press.accreditation.emails import badge_request_email_send
from press.models.accreditation import BadgeRequest


@task
def badge_request_email(request_id: int, template: str, variant: str = "") -> None:
    """Send one accreditation email; a request deleted meanwhile (erasure) sends nothing."""
    request = BadgeRequest.objects.select_related("event").filter(pk=request_id).first()
    if request is not None:
        badge_request_email_send(request=request, template=template, variant=variant)
