import re
import secrets
from html import unescape
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from press.core.fields import staff_member_field
from press.core.sanitise import sanitise_html
from press.core.translated import TranslatedTextField, content_languages, fallback_order, pick
from press.core.uploads import (
    IMAGE,
    attachment_check,
    attachment_kind,
    image_thumbnail,
    photo_check,
)
from press.releases.enums import AttachmentKind, ReleaseStatus
from press.releases.text import version_search_text

FIRST_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)


def _private_folder(prefix: str, filename: str) -> str:
    """An unguessable folder per file, so that an embargoed release's files cannot be
    found by guessing their URL; the file keeps its original name inside it."""
    name = get_valid_filename(PurePosixPath(filename).name) or "file"
    return f"{prefix}/{secrets.token_urlsafe(16)}/{name}"


def featured_image_path(instance, filename):
    return _private_folder("releases/featured", filename)


def attachment_path(instance, filename):
    return _private_folder("releases/attachments", filename)


def thumbnail_path(instance, filename):
    return _private_folder("releases/thumbnails", filename)


class PressContact(models.Model):
    """A person journalists may call, shown at the foot of releases."""

    name = models.CharField(_("name"), max_length=200)
    role = TranslatedTextField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def role_in(self, language=None) -> str:
        return pick(self.role, language)


class Boilerplate(models.Model):
    """The reusable "About the organiser" paragraph, in each language."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    text = TranslatedTextField(_("text"), textarea=True)

    class Meta:
        verbose_name = _("“About” paragraph")
        verbose_name_plural = _("“About” paragraphs")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def text_in(self, language=None) -> str:
        return pick(self.text, language)


class Topic(models.Model):
    """A subject releases are filed under (security, mobility…), named in each language;
    readers filter the newsroom and its feed by it."""

    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in addresses."))
    name = TranslatedTextField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name_in()

    def name_in(self, language=None) -> str:
        return pick(self.name, language) or self.slug


class ReleaseQuerySet(models.QuerySet):
    def public(self, at=None):
        """Releases a reader may see now: the schedule and embargo are part of the query,
        so nothing has to run at the publication minute."""
        at = at or timezone.now()
        return self.filter(
            status__in=ReleaseStatus.may_be_public(),
            publish_at__lte=at,
        ).filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=at))


class Release(models.Model):
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
    )
    dateline_place = models.CharField(_("dateline place"), max_length=100, blank=True)
    dateline_date = models.DateField(_("dateline date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReleaseStatus, default=ReleaseStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_("Not public before this time, and marked as embargoed wherever it is sent."),
    )
    contacts = models.ManyToManyField(
        PressContact, verbose_name=_("press contacts"), blank=True, related_name="releases"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="releases"
    )
    boilerplate = models.ForeignKey(
        Boilerplate,
        verbose_name=_("about the organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    featured_image = models.ImageField(
        _("featured image"),
        upload_to=featured_image_path,
        blank=True,
        validators=[photo_check],
        help_text=_("Shown at the top of the release and when the link is shared."),
    )
    featured_credit = TranslatedTextField(
        _("featured image credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photo, in each language; shown under it and in emails."),
    )
    featured_thumbnail = models.ImageField(
        _("thumbnail"), upload_to=thumbnail_path, max_length=255, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = staff_member_field(_("created by"))
    updated_by = staff_member_field(_("updated by"))

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-publish_at", "-pk"]

    def __str__(self):
        version = self.version_in()
        return version.title if version else _("Release #%(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        # The newsroom's list shows a small copy of the featured image, made once per upload.
        if self.featured_image and not self.featured_image._committed:
            stem = PurePosixPath(self.featured_image.name).stem or "image"
            self.featured_thumbnail.save(
                f"{stem}.jpg", image_thumbnail(self.featured_image), save=False
            )
        elif not self.featured_image:
            self.featured_thumbnail = ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "featured_image" in update_fields:
            kwargs["update_fields"] = {*update_fields, "featured_thumbnail"}
        super().save(*args, **kwargs)

    def version_in(self, language=None):
        """The version in `language` if it exists, else the first in settings order.
        Uses prefetched versions when there are some."""
        versions = {version.language: version for version in self.versions.all()}
        for code in fallback_order(language or translation.get_language()):
            if code in versions:
                return versions[code]
        return None

    def is_embargoed(self, at=None) -> bool:
        return bool(self.embargo_until and self.embargo_until > (at or timezone.now()))

    def is_public(self, at=None) -> bool:
        """The same rule as ReleaseQuerySet.public(), for a release already loaded."""
        at = at or timezone.now()
        return (
            self.status in ReleaseStatus.may_be_public()
            and self.publish_at is not None
            and self.publish_at <= at
            and not self.is_embargoed(at)
        )

    def featured_credit_in(self, language=None) -> str:
        return pick(self.featured_credit, language)

    def languages(self) -> list[str]:
        """Codes of the versions this release has, in settings order (uses prefetched rows)."""
        present = {version.language for version in self.versions.all()}
        return [code for code in content_languages() if code in present]

    def missing_languages(self) -> list[str]:
        present = set(self.languages())
        return [code for code in content_languages() if code not in present]


class ReleaseVersion(models.Model):
    """A release in one language; a third language needs a row, not a column."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=250)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False)
    # Title, standfirst and body text without accents, for search (press.releases.search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["release", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "language"], name="one_version_per_language"
            ),
            models.UniqueConstraint(fields=["language", "slug"], name="slug_unique_per_language"),
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        # Whatever the editor (or an import, or a script) sent, only the allow-list is kept.
        self.body = sanitise_html(self.body)
        self.search_text = version_search_text(
            title=self.title, standfirst=self.standfirst, body=self.body
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body", "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("newsroom:release", kwargs={"slug": self.slug})

    def summary(self) -> str:
        """The standfirst, or the first paragraph of the body when there is none."""
        if self.standfirst.strip():
            return self.standfirst.strip()
        for paragraph in FIRST_PARAGRAPH.finditer(self.body or ""):
            text = " ".join(strip_tags(paragraph.group(1)).split())
            if text:
                return unescape(text)
        return ""

    def clean(self):
        if self.language not in content_languages():
            raise ValidationError({"language": _("Choose one of the site's languages.")})


class Attachment(models.Model):
    """A PDF or a photo published with a release; downloads keep the original file."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to=attachment_path,
        max_length=255,
        validators=[attachment_check],
        help_text=_("A PDF document or an image (JPEG, PNG, WebP or GIF)."),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=AttachmentKind, blank=True, editable=False
    )
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=thumbnail_path, max_length=255, blank=True, editable=False
    )
    title = TranslatedTextField(_("title"), max_length=200, blank=True)
    caption = TranslatedTextField(_("caption"), max_length=500, blank=True, textarea=True)
    credit = TranslatedTextField(
        _("photo credit"),
        max_length=200,
        blank=True,
        help_text=_("In each language (Ville de Bruxelles / City of Brussels)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["order", "pk"]

    def __str__(self):
        return pick(self.title) or self.filename

    def save(self, *args, **kwargs):
        # A newly uploaded file: note what it is and make the image's thumbnail once.
        if self.file and not self.file._committed:
            self.kind = attachment_kind(self.file) or ""
            self.size = self.file.size
            if self.kind == IMAGE:
                stem = PurePosixPath(self.filename).stem or "image"
                self.thumbnail.save(f"{stem}.jpg", image_thumbnail(self.file), save=False)
            else:
                self.thumbnail = ""
        super().save(*args, **kwargs)

    @property
    def filename(self) -> str:
        """The name the file was uploaded with."""
        return PurePosixPath(self.file.name or "").name

    def title_in(self, language=None) -> str:
        return pick(self.title, language) or self.filename

    def caption_in(self, language=None) -> str:
        return pick(self.caption, language)

    def credit_in(self, language=None) -> str:
        """The photo credit in `language` (default: the active one), else in another."""
        return pick(self.credit, language)

    def file_type(self) -> str:
        """What the file is, as readers know it: "PDF", "JPEG", "PNG"."""
        suffix = PurePosixPath(self.filename).suffix.lstrip(".").upper()
        return {"JPG": "JPEG", "": str(self.get_kind_display())}.get(suffix, suffix)


class ReleaseStatusChange(models.Model):
    """Who moved a release from one status to another, and when."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=ReleaseStatus)
    to_status = models.CharField(_("to"), max_length=16, choices=ReleaseStatus)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = staff_member_field(_("by"))

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def access_token() -> str:
    """192 random bits: a personal link that lets its holder read one release."""
    return secrets.token_urlsafe(24)


class ReleaseAccess(models.Model):
    """A recipient's personal link to one release: it shows the release, files included,
    while the embargo holds, and the public page afterwards. It grants nothing else (no
    unsubscribing, no other release)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="accesses")
    journalist = models.ForeignKey(
        "contacts.Journalist",
        verbose_name=_("journalist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="release_accesses",
    )
    email = models.EmailField(_("email"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=access_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        constraints = [
            models.UniqueConstraint(fields=["release", "email"], name="one_access_per_address"),
        ]

    def __str__(self):
        return self.name or self.email


class ReleaseReading(models.Model):
    """One opening of an embargoed release through a personal link, before the lift."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="readings")
    access = models.ForeignKey(
        ReleaseAccess, on_delete=models.CASCADE, related_name="readings", verbose_name=_("link")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("reading under embargo")
        verbose_name_plural = _("readings under embargo")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.access} · {self.opened_at:%Y-%m-%d %H:%M}"
