from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from press.enums import ReleaseStatus
from press.translated import TranslatedTextField, fallback_order, pick


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
        verbose_name = _("boilerplate")
        verbose_name_plural = _("boilerplates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def text_in(self, language=None) -> str:
        return pick(self.text, language)


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
        "press.Event",
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
    boilerplate = models.ForeignKey(
        Boilerplate,
        verbose_name=_("about the organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    featured_image = models.ImageField(
        _("featured image"), upload_to="releases/featured/%Y/", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-publish_at", "-pk"]

    def __str__(self):
        version = self.version_in()
        return version.title if version else _("Release #%(pk)s") % {"pk": self.pk}

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


class ReleaseVersion(models.Model):
    """A release in one language; a third language needs a row, not a column."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=250)
    standfirst = models.TextField(_("standfirst"), blank=True)
    body = models.TextField(_("body"), blank=True)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False)

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


class Attachment(models.Model):
    """A PDF or a photo published with a release; downloads keep the original file."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="releases/attachments/%Y/")
    title = TranslatedTextField(_("title"), max_length=200, blank=True)
    caption = TranslatedTextField(_("caption"), max_length=500, blank=True, textarea=True)
    credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["order", "pk"]

    def __str__(self):
        return pick(self.title) or self.file.name.rsplit("/", 1)[-1]
