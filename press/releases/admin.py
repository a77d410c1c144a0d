"""Releases in the back office: language versions side by side with the rich-text
editor, attachments, a preview per language, and status changes through
press.releases.publishing only (the status and publish time are never edited as plain fields)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Prefetch, When
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csp import csp_override

from press.core.admin import OfficeAdmin
from press.core.sanitise import sanitise_html
from press.core.translated import content_languages, language_name
from press.releases.editor import RICH_TEXT_EDITOR_CSP, rich_text_widget
from press.releases.enums import ReleaseStatus
from press.releases.models import (
    Attachment,
    Boilerplate,
    PressContact,
    Release,
    ReleaseVersion,
    Topic,
)
from press.releases.publishing import (
    ReleaseError,
    release_archive,
    release_move_is_allowed,
    release_publish,
    release_schedule,
    release_unpublish,
    version_slug,
)
from press.releases.views import release_preview

# Buttons on a release's page: move name → (domain function, label). Which are offered
# comes from the domain's table of moves; the function has the last word.
TRANSITIONS = {
    "publish": (release_publish, _("Publish now")),
    "unpublish": (release_unpublish, _("Unpublish (back to draft)")),
    "archive": (release_archive, _("Archive")),
}


def release_state(release: Release) -> str:
    """The status as a reader would see it: scheduled and embargoed times included."""
    now = timezone.now()
    if release.status in ReleaseStatus.may_be_public() and release.publish_at:
        if release.publish_at > now:
            return _("Scheduled for %(time)s") % {
                "time": date_format(timezone.localtime(release.publish_at), "SHORT_DATETIME_FORMAT")
            }
        if release.is_embargoed(now):
            return _("Embargoed until %(time)s") % {
                "time": date_format(
                    timezone.localtime(release.embargo_until), "SHORT_DATETIME_FORMAT"
                )
            }
        return str(_("Published"))
    return release.get_status_display()


class ReleaseVersionForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), choices=())

    class Meta:
        model = ReleaseVersion
        fields = ["language", "title", "standfirst", "body", "slug"]
        widgets = {"body": rich_text_widget(), "standfirst": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": _("The end of the page's address; made from the title if empty.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, language_name(code)) for code in content_languages()
        ]
        self.fields["slug"].required = False

    def clean_body(self):
        return sanitise_html(self.cleaned_data.get("body"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title") and cleaned.get("language"):
            cleaned["slug"] = version_slug(
                title=cleaned["title"], language=cleaned["language"], exclude_pk=self.instance.pk
            )
            self.instance.slug = cleaned["slug"]
        return cleaned


class ReleaseVersionInline(admin.StackedInline):
    model = ReleaseVersion
    form = ReleaseVersionForm
    fields = ["language", "title", "standfirst", "body", "slug", "preview_link"]
    readonly_fields = ["preview_link"]
    view_on_site = False
    min_num = 1

    def get_queryset(self, request):
        # Versions in the order of settings.LANGUAGES, not alphabetical.
        order = Case(
            *[When(language=code, then=index) for index, code in enumerate(content_languages())],
            default=len(content_languages()),
        )
        return super().get_queryset(request).order_by(order)

    def get_max_num(self, request, obj=None, **kwargs):
        return len(content_languages())

    def get_extra(self, request, obj=None, **kwargs):
        present = len(obj.versions.all()) if obj and obj.pk else 0
        return max(len(content_languages()) - present - self.min_num * (present == 0), 0)

    @admin.display(description=_("preview"))
    def preview_link(self, version):
        if not version.pk:
            return _("Save to preview this version.")
        url = reverse("admin:releases_release_preview", args=[version.release_id, version.language])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("Preview this page"))


class AttachmentInline(admin.StackedInline):
    model = Attachment
    extra = 0
    fields = ["file", "thumbnail_preview", "title", "caption", "credit", "order"]
    readonly_fields = ["thumbnail_preview"]

    @admin.display(description=_("thumbnail"))
    def thumbnail_preview(self, attachment):
        if attachment.thumbnail:
            return format_html(
                '<img src="{}" alt="" style="max-width:12rem">', attachment.thumbnail.url
            )
        return attachment.get_kind_display() or "—"


READINGS_SHOWN = 200


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(label=_("publish at"), widget=AdminSplitDateTime)


@admin.register(Release)
class ReleaseAdmin(OfficeAdmin):
    add_title = _("New release")
    list_display = ["__str__", "state", "embargo_until", "languages", "event", "updated_at"]
    list_filter = ["status", "event"]
    search_fields = ["versions__title", "dateline_place"]
    date_hierarchy = "publish_at"
    inlines = [ReleaseVersionInline, AttachmentInline]
    filter_horizontal = ["contacts", "topics"]
    readonly_fields = [
        "state",
        "publish_at",
        "created_by",
        "created_at",
        "updated_by",
        "history",
        "embargo_readings",
    ]
    actions = ["publish_selected", "unpublish_selected", "archive_selected"]
    fieldsets = [
        (None, {"fields": ["event", ("dateline_place", "dateline_date"), "embargo_until"]}),
        (_("Publication"), {"fields": ["state", "publish_at", "history"]}),
        (
            _("Around the text"),
            {"fields": ["featured_image", "featured_credit", "topics", "contacts", "boilerplate"]},
        ),
        (_("Read under embargo"), {"fields": ["embargo_readings"]}),
        (
            _("Record"),
            {"fields": [("created_by", "created_at"), "updated_by"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["releases/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .prefetch_related(Prefetch("versions", queryset=ReleaseVersion.objects.order_by()))
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The add and change pages show the rich-text editor, and only they need its policy.
        view = csp_override(RICH_TEXT_EDITOR_CSP)(super().changeform_view)
        return view(request, object_id, form_url, extra_context)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ReleaseVersionInline):
            present = {v.language for v in obj.versions.all()} if obj and obj.pk else set()
            kwargs["initial"] = [
                {"language": code} for code in content_languages() if code not in present
            ]
        return kwargs

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("status"), ordering="status")
    def state(self, release):
        return release_state(release) if release.pk else ReleaseStatus.DRAFT.label

    @admin.display(description=_("languages"))
    def languages(self, release):
        present = set(release.languages())
        return format_html_join(
            " ",
            '<span class="language-badge {}" title="{}">{}</span>',
            (
                (
                    "present" if code in present else "missing",
                    (_("%(language)s: written") if code in present else _("%(language)s: missing"))
                    % {"language": language_name(code)},
                    code.upper(),
                )
                for code in content_languages()
            ),
        )

    @admin.display(description=_("history"))
    def history(self, release):
        changes = release.status_changes.select_related("changed_by")[:10] if release.pk else []
        if not changes:
            return "—"
        return format_html_join(
            "",
            "<div>{} — {} → {} ({})</div>",
            (
                (
                    date_format(timezone.localtime(change.changed_at), "SHORT_DATETIME_FORMAT"),
                    change.get_from_status_display(),
                    change.get_to_status_display(),
                    change.changed_by or "—",
                )
                for change in changes
            ),
        )

    @admin.display(description=_("openings of personal links"))
    def embargo_readings(self, release):
        """Who opened the release through their personal link before the embargo lifted."""
        if not release.pk:
            return "—"
        readings = list(
            release.readings.select_related("access", "access__journalist")[:READINGS_SHOWN]
        )
        if not readings:
            return _("Nobody has opened it through a personal link before publication.")
        total = release.readings.count()
        summary = ngettext(
            "%(count)d opening before publication.",
            "%(count)d openings before publication.",
            total,
        ) % {"count": total}
        return format_html(
            "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            summary,
            _("when"),
            _("who"),
            _("email"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(timezone.localtime(reading.opened_at), "SHORT_DATETIME_FORMAT"),
                        reading.access.name or "—",
                        reading.access.email,
                    )
                    for reading in readings
                ),
            ),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/<str:language>/",
                view(release_preview),
                name="releases_release_preview",
            ),
            path(
                "<int:pk>/schedule/",
                view(self.schedule_view),
                name="releases_release_schedule",
            ),
            path(
                "<int:pk>/status/<str:action>/",
                view(self.transition_view),
                name="releases_release_transition",
            ),
            *super().get_urls(),
        ]

    def _release_for_change(self, request, pk) -> Release:
        release = get_object_or_404(Release, pk=pk)
        if not self.has_change_permission(request, release):
            raise PermissionDenied
        return release

    def _change_url(self, release):
        return reverse("admin:releases_release_change", args=[release.pk])

    def _done(self, request, release) -> HttpResponseRedirect:
        """Say where the release now stands and go back to its page."""
        self.message_user(
            request,
            _("%(release)s: %(state)s.") % {"release": release, "state": release_state(release)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(release))

    def transition_view(self, request, pk, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        release = self._release_for_change(request, pk)
        if action not in TRANSITIONS:
            raise PermissionDenied
        function, _label = TRANSITIONS[action]
        try:
            function(release=release, by=request.user)
        except ReleaseError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(release))
        return self._done(request, release)

    def schedule_view(self, request, pk):
        release = self._release_for_change(request, pk)
        form = ScheduleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                release_schedule(
                    release=release, by=request.user, at=form.cleaned_data["publish_at"]
                )
            except ReleaseError as error:
                form.add_error("publish_at", error.message)
            else:
                return self._done(request, release)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": release,
            "title": _("Schedule “%(release)s”") % {"release": release},
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/releases/release/schedule.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        release = self.get_object(request, object_id)
        if release is not None:
            extra_context["transitions"] = [
                (name, label)
                for name, (_function, label) in TRANSITIONS.items()
                if release_move_is_allowed(release.status, name)
            ]
            extra_context["schedulable"] = release_move_is_allowed(release.status, "schedule")
            extra_context["previews"] = [
                (
                    language_name(code),
                    reverse("admin:releases_release_preview", args=[release.pk, code]),
                )
                for code in release.languages()
            ]
            extra_context["may_change"] = self.has_change_permission(request, release)
            if release.versions.exists() and request.user.has_perm("mailings.add_mailing"):
                extra_context["mailing_url"] = (
                    reverse("admin:mailings_mailing_add") + f"?release={release.pk}"
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def _apply(self, request, queryset, function):
        done, refused = 0, []
        for release in queryset:
            try:
                function(release=release, by=request.user)
            except ReleaseError as error:
                refused.append(f"{release}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d release updated.", "%(count)d releases updated.", done)
                % {"count": done},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Publish the selected releases now"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, release_publish)

    @admin.action(description=_("Unpublish the selected releases"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, release_unpublish)

    @admin.action(description=_("Archive the selected releases"), permissions=["change"])
    def archive_selected(self, request, queryset):
        self._apply(request, queryset, release_archive)


@admin.register(PressContact)
class PressContactAdmin(OfficeAdmin):
    add_title = _("New press contact")
    list_display = ["name", "email", "phone", "order"]
    search_fields = ["name", "email"]


@admin.register(Boilerplate)
class BoilerplateAdmin(OfficeAdmin):
    add_title = _("New “About” paragraph")
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Topic)
class TopicAdmin(OfficeAdmin):
    add_title = _("New topic")
    list_display = ["__str__", "slug", "order"]
    search_fields = ["slug", "name"]
