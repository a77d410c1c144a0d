"""The public newsroom: the list of releases, a release, its files. Every read goes
through Release.objects.public(), so an embargoed or scheduled release stays hidden
until its time without any job running. The staff preview renders the same page."""

import shutil
import tempfile
import zipfile
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from contacts.forms import SubscriptionForm
from contacts.subscriptions import (
    SubscriptionError,
    subscription_ask,
    subscription_by_token,
    subscription_confirm,
    subscription_is_expired,
)
from contacts.tasks import subscription_confirmation_task
from press.core.clients import client_address
from press.core.queue import enqueue_on_commit
from press.core.ratelimit import rate_limit_hit
from press.core.translated import content_languages, language_name
from press.core.typing import StrOrPromise
from press.releases.access import release_access_open, release_access_readable
from press.releases.forms import newsroom_filter_form
from press.releases.models import (
    Attachment,
    PressContact,
    Release,
    ReleaseAccess,
    ReleaseVersion,
)
from press.releases.selectors import newsroom_releases, release_access_by_token
from press.releases.vcard import press_contact_vcard

PAGE_SIZE = 20
# Media kits are assembled in memory up to this size, then in a temporary file.
KIT_SPOOL_BYTES = 16 * 1024 * 1024


def index(request):
    """Published releases, newest first, searched (`?q=`) and filtered by topic, event
    and year, in a constant number of queries however many there are."""
    form = newsroom_filter_form(request.GET)
    filters = form.filters()
    releases = newsroom_releases(**filters).select_related("event").prefetch_related("versions")
    page = Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language()
    entries = [{"release": release, "version": release.version_in(language)} for release in page]
    query = request.GET.copy()
    query.pop("page", None)
    feed_query = urlencode(filters)
    return render(
        request,
        "newsroom/index.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query": query.urlencode(),
            "feed_query": feed_query,
            "filtered": bool(filters),
        },
    )


def _release_context(request, version: ReleaseVersion, *, preview: bool) -> dict:
    release = version.release
    versions = list(release.versions.all())
    alternates = [other for other in versions if other.language != version.language]
    attachments = list(release.attachments.all())
    contacts = list(release.contacts.all())
    featured_url = release.featured_image.url if release.featured_image else ""
    return {
        "version": version,
        "release": release,
        "alternates": alternates,
        "attachments": attachments,
        "has_media_kit": len(attachments) > 1,
        "contacts": contacts,
        "boilerplate": release.boilerplate.text_in(version.language) if release.boilerplate else "",
        "canonical_url": request.build_absolute_uri(version.get_absolute_url()),
        "alternate_urls": [
            (other.language, request.build_absolute_uri(other.get_absolute_url()))
            for other in versions
        ],
        # Readers whose language has no version land on the site's default language.
        "default_url": next(
            (
                request.build_absolute_uri(other.get_absolute_url())
                for other in versions
                if other.language == settings.LANGUAGE_CODE
            ),
            "",
        ),
        "og_image": request.build_absolute_uri(featured_url) if featured_url else "",
        "preview": preview,
        "embargoed": release.is_embargoed(),
        "embargo_when": embargo_when(release.embargo_until) if release.embargo_until else "",
        "share_links": []
        if preview
        else share_links(
            url=request.build_absolute_uri(version.get_absolute_url()), title=version.title
        ),
        **({"current_event": release.event} if release.event_id else {}),
    }


def share_links(*, url: str, title: str) -> list[tuple[StrOrPromise, str]]:
    """Plain links to share a release: no third-party script, nothing loaded from the
    networks until the reader clicks."""
    return [
        (_("Email"), "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{title} {url}"})),
        ("X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
    ]


def embargo_when(moment) -> str:
    """An embargo's end in the active language, in the office's time zone with its name
    (the page's script adds the reader's own time)."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def _public_versions():
    return ReleaseVersion.objects.filter(release__in=Release.objects.public()).select_related(
        "release", "release__event", "release__boilerplate"
    )


def release(request, slug):
    """A release in the page's language. A slug from another language leads to this
    language's version when there is one, else to a page that offers the existing ones."""
    language = translation.get_language()
    version = _public_versions().filter(language=language, slug=slug).first()
    if version is not None:
        return render(
            request, "newsroom/release.html", _release_context(request, version, preview=False)
        )
    other = _public_versions().filter(slug=slug).order_by("language").first()
    if other is None:
        raise Http404(_("No published release has this address."))
    own = other.release.versions.filter(language=language).first()
    if own is not None:
        return redirect(own.get_absolute_url())
    versions = list(other.release.versions.all())
    return render(
        request,
        "newsroom/missing_language.html",
        {
            "release": other.release,
            "versions": [(language_name(v.language), v) for v in versions],
            "missing_language": language_name(language),
        },
    )


@staff_member_required
@permission_required("releases.view_release", raise_exception=True)
def release_preview(request, pk, language):
    """The exact public page of one version, for staff, whatever its status or embargo."""
    if language not in content_languages():
        raise Http404(_("Unknown language."))
    version = get_object_or_404(
        ReleaseVersion.objects.select_related("release", "release__event", "release__boilerplate"),
        release_id=pk,
        language=language,
    )
    with translation.override(language):
        response = render(
            request, "newsroom/release.html", _release_context(request, version, preview=True)
        )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _visible_release(request, pk) -> Release:
    release = get_object_or_404(Release, pk=pk)
    if release.is_public() or (
        request.user.is_staff and request.user.has_perm("releases.view_release")
    ):
        return release
    raise Http404(_("No published release has this file."))


def attachment_download(request, pk):
    """The original file, under its original name, once its release is public."""
    attachment = get_object_or_404(Attachment, pk=pk)
    _visible_release(request, attachment.release_id)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename
    )


def media_kit(request, pk):
    """Every attachment of a release in one zip file."""
    return _media_kit_response(_visible_release(request, pk))


def _media_kit_response(release: Release) -> FileResponse:
    attachments = list(release.attachments.all())
    if not attachments:
        raise Http404(_("This release has no files."))
    # FileResponse closes the archive once it is sent.
    archive = tempfile.SpooledTemporaryFile(max_size=KIT_SPOOL_BYTES)  # noqa: SIM115
    used: set[str] = set()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as kit:
        for number, attachment in enumerate(attachments, start=1):
            name = attachment.filename
            if name in used:
                name = f"{number}-{name}"
            used.add(name)
            with attachment.file.open("rb") as source, kit.open(name, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
    archive.seek(0)
    version = release.version_in(translation.get_language())
    stem = slugify(version.title)[:60] if version else f"release-{release.pk}"
    return FileResponse(archive, as_attachment=True, filename=f"{stem}-media-kit.zip")


def _personal_access(token: str) -> ReleaseAccess:
    access = release_access_by_token(token)
    if access is None or not release_access_readable(access=access):
        raise Http404(_("This personal link does not lead to a release."))
    return access


def _private(response):
    # A personal page: never kept by a shared cache, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def release_personal(request, token):
    """A recipient's personal link: the full release with its files and an embargo
    banner while the embargo holds (each opening recorded), the public page afterwards.
    An unknown token, or a release back to draft or archived, answers 404."""
    access = _personal_access(token)
    release = access.release
    if not release_access_open(access=access):
        version = release.version_in(translation.get_language())
        if version is None:
            raise Http404(_("This personal link does not lead to a release."))
        return redirect(version.get_absolute_url())
    version = release.version_in(translation.get_language())
    if version is None:
        raise Http404(_("This personal link does not lead to a release."))
    context = _release_context(request, version, preview=False)
    context.update({"access_token": access.token, "personal": True, "embargoed": True})
    return _private(render(request, "newsroom/release.html", context))


def _personal_release(token: str) -> Release:
    access = _personal_access(token)
    return access.release


def release_personal_attachment(request, token, pk):
    """A file of the release of a personal link, embargo or not."""
    release = _personal_release(token)
    attachment = get_object_or_404(Attachment, pk=pk, release=release)
    return _private(
        FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.filename)
    )


def release_personal_media_kit(request, token):
    """The media kit of the release of a personal link, embargo or not."""
    return _private(_media_kit_response(_personal_release(token)))


def contact_card(request, pk):
    """A press contact of a public release as a vCard (RFC 6350) for the reader's
    address book; 404 for a contact no public release shows."""
    contact = get_object_or_404(
        PressContact.objects.filter(releases__in=Release.objects.public()).distinct(), pk=pk
    )
    response = HttpResponse(
        press_contact_vcard(contact=contact, language=translation.get_language()),
        content_type="text/vcard; charset=utf-8",
    )
    filename = slugify(contact.name) or f"contact-{contact.pk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    return response


def _subscribe_rate_limited(request) -> bool:
    return rate_limit_hit(
        scope="newsroom-subscribe",
        client=client_address(request),
        limit=settings.NEWSROOM_SUBSCRIPTIONS_PER_HOUR,
        window_seconds=3600,
    )


def subscribe(request):
    """The newsroom's subscription form. Whatever the address (new, known, already
    subscribed), a valid form leads to the same "check your mailbox" page: the form
    tells nobody who is in the media file."""
    if request.method == "POST":
        if _subscribe_rate_limited(request):
            return render(request, "newsroom/subscribe_too_many.html", status=429)
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            subscription = subscription_ask(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                outlet_name=data["outlet_name"],
                **form.choices(),
            )
            if subscription is not None:
                enqueue_on_commit(subscription_confirmation_task, subscription.pk)
            return redirect("newsroom:subscribe_sent")
    else:
        form = SubscriptionForm(initial={"language": translation.get_language()})
    return render(request, "newsroom/subscribe.html", {"form": form})


def subscribe_sent(request):
    return render(request, "newsroom/subscribe_sent.html")


@require_http_methods(["GET", "POST"])
def subscribe_confirm(request, token):
    """GET shows a button (a mail scanner following the link confirms nothing); POST
    confirms the subscription."""
    subscription = subscription_by_token(token)
    if subscription is None:
        return render(
            request, "newsroom/subscribe_confirm.html", {"problem": "unknown"}, status=404
        )
    problem = None
    if request.method == "POST":
        try:
            subscription = subscription_confirm(token=token)
        except SubscriptionError as error:
            problem = error.code
    elif subscription_is_expired(subscription, at=timezone.now()):
        problem = "expired"
    return render(
        request,
        "newsroom/subscribe_confirm.html",
        {"subscription": subscription, "problem": problem},
        status=410 if problem == "expired" else 200,
    )
