"""Coverage in the back office: add an item by pasting its address (the page's own
metadata fills the form), the list with its filters, the spreadsheet import with its
preview, the clipping served to staff only, and each journalist's coverage on their
page in the media file."""

import mimetypes
import secrets
import tempfile

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contacts.admin import CountryFilter, JournalistAdmin, JournalistHistoryInline, country_name
from contacts.imports.reading import UnreadableSpreadsheet
from press.core.admin import OfficeAdmin
from press.core.spreadsheets import xlsx_response
from press.core.storage import private_storage
from press.coverage.enums import CoverageSource
from press.coverage.imports import coverage_import_apply, coverage_import_plan
from press.coverage.items import (
    CoverageError,
    coverage_fill_from_outlet,
    coverage_url_exists,
    coverage_url_normalise,
    outlet_guess,
)
from press.coverage.metadata import MetadataError, page_metadata_read
from press.coverage.models import CoverageInvitation, CoverageItem
from press.coverage.outreach import coverage_invitations_prepare
from press.coverage.report import (
    coverage_export_headers,
    coverage_export_rows,
    coverage_report_write,
)
from press.coverage.selectors import (
    attended_request_ids,
    attended_without_coverage,
    coverage_invitees_to_ask,
)
from press.events.models import Event
from press.events.selectors import current_event

IMPORT_MAX_BYTES = 10 * 1024 * 1024
IMPORT_SALT = "press.coverage.import"
ASK_PAGE_SIZE = 100


class PasteForm(forms.Form):
    event = forms.ModelChoiceField(queryset=Event.objects.all(), label=_("Event"))
    url = forms.CharField(label=_("Address (URL)"), max_length=2000)

    def clean_url(self):
        try:
            return coverage_url_normalise(self.cleaned_data["url"])
        except CoverageError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def clean(self):
        cleaned = super().clean()
        event, url = cleaned.get("event"), cleaned.get("url")
        if event and url and coverage_url_exists(event=event, url=url):
            raise forms.ValidationError(
                _("This address is already in the coverage of this event."), code="duplicate"
            )
        return cleaned


class ImportForm(forms.Form):
    event = forms.ModelChoiceField(queryset=Event.objects.all(), label=_("Event"))
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "xlsx or csv with the columns URL, headline, outlet, date, language, kind, "
            "audience (English or French headers)."
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file may not exceed 10 MB."), code="too_large")
        return file


class CoverageItemForm(forms.ModelForm):
    class Meta:
        model = CoverageItem
        fields = [
            "event",
            "url",
            "headline",
            "kind",
            "language",
            "published_on",
            "outlet",
            "outlet_name",
            "country",
            "journalist",
            "release",
            "estimated_audience",
            "notes",
            "clipping",
        ]

    def clean_url(self):
        try:
            return coverage_url_normalise(self.cleaned_data["url"])
        except CoverageError as error:
            raise forms.ValidationError(error.message, code=error.code) from error

    def clean_clipping(self):
        from press.coverage.items import coverage_clipping_check

        clipping = self.cleaned_data.get("clipping")
        if clipping and hasattr(clipping, "content_type"):
            try:
                coverage_clipping_check(clipping=clipping)
            except CoverageError as error:
                raise forms.ValidationError(error.message, code=error.code) from error
        return clipping

    def validate_constraints(self):
        # The unique address per event gets its own message, in the office's words.
        event, url = self.cleaned_data.get("event"), self.cleaned_data.get("url")
        if event and url:
            duplicates = CoverageItem.objects.filter(event=event, url=url)
            if self.instance.pk:
                duplicates = duplicates.exclude(pk=self.instance.pk)
            if duplicates.exists():
                self.add_error("url", _("This address is already in the coverage of this event."))
                return
        super().validate_constraints()


@admin.register(CoverageItem)
class CoverageItemAdmin(OfficeAdmin):
    add_title = _("New coverage item")
    form = CoverageItemForm
    list_display = [
        "headline",
        "outlet_name",
        # The name looked up for each row's code, not the field's 250 choices translated
        # again on every row (see contacts.admin.country_name).
        country_name,
        "kind",
        "language",
        "published_on",
        "audience",
    ]
    list_filter = ["event", CountryFilter, "kind", "language", "source"]
    list_select_related = ["event"]
    search_fields = ["headline", "url", "outlet_name"]
    autocomplete_fields = ["outlet", "journalist"]
    readonly_fields = ["source", "clipping_link", "created_at", "created_by"]
    date_hierarchy = "published_on"
    change_list_template = "coverage/admin/change_list.html"
    fieldsets = [
        (None, {"fields": ["event", "url", "headline", "kind", "language", "published_on"]}),
        (
            _("Who"),
            {"fields": ["outlet", "outlet_name", "country", "journalist", "release"]},
        ),
        (
            _("Estimate and notes"),
            {"fields": ["estimated_audience", "notes", "clipping", "clipping_link"]},
        ),
        (_("Record"), {"fields": ["source", "created_at", "created_by"]}),
    ]

    @admin.display(description=_("estimated audience"), ordering="estimated_audience")
    def audience(self, item):
        if item.estimated_audience is None:
            return "—"
        return _("≈ %(count)s (estimate)") % {
            "count": f"{item.estimated_audience:,}".replace(",", "\u202f")
        }

    @admin.display(description=_("clipping"))
    def clipping_link(self, item):
        if not item.pk or not item.clipping:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:coverage_coverageitem_clipping", args=[item.pk]),
            _("Open the clipping"),
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "event" not in initial:
            event = current_event()
            if event is not None:
                initial["event"] = event.pk
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.source = CoverageSource.STAFF
        coverage_fill_from_outlet(item=obj)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "paste/",
                self.admin_site.admin_view(self.paste_view),
                name="coverage_coverageitem_paste",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="coverage_coverageitem_import",
            ),
            path(
                "ask/",
                self.admin_site.admin_view(self.ask_view),
                name="coverage_coverageitem_ask",
            ),
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="coverage_coverageitem_report",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="coverage_coverageitem_export",
            ),
            path(
                "<int:pk>/clipping/",
                self.admin_site.admin_view(self.clipping_view),
                name="coverage_coverageitem_clipping",
            ),
            *super().get_urls(),
        ]

    def paste_view(self, request):
        """Paste an address: the page is read (see press.coverage.metadata) and the new
        item's form opens filled with what it says about itself."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        event = current_event()
        form = PasteForm(request.POST or None, initial={"event": event.pk if event else None})
        if request.method == "POST" and form.is_valid():
            url = form.cleaned_data["url"]
            initial = {"event": form.cleaned_data["event"].pk, "url": url}
            try:
                page = page_metadata_read(url=url)
            except MetadataError as error:
                messages.warning(
                    request,
                    _("The page could not be read: %(reason)s Fill in the item by hand.")
                    % {"reason": error.message},
                )
            else:
                outlet = outlet_guess(site_name=page.site_name, url=url)
                initial.update(
                    headline=page.title,
                    outlet_name=outlet.name if outlet else page.site_name,
                    language=page.language,
                )
                if outlet:
                    initial["outlet"] = outlet.pk
                if page.published_on:
                    initial["published_on"] = page.published_on.isoformat()
                messages.info(request, _("Read from the page: check and save."))
            return HttpResponseRedirect(
                reverse("admin:coverage_coverageitem_add") + "?" + urlencode(initial)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Add coverage from its address"),
            "form": form,
        }
        return TemplateResponse(request, "coverage/admin/paste.html", context)

    def import_view(self, request):
        """Upload a media-monitoring export, see what it would do, then apply it."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts}
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_apply(request, context)
        event = current_event()
        form = ImportForm(
            request.POST or None,
            request.FILES or None,
            initial={"event": event.pk if event else None},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data["file"].read()
            event = form.cleaned_data["event"]
            try:
                plan = coverage_import_plan(event=event, data=data)
            except UnreadableSpreadsheet as error:
                form.add_error("file", error.message)
            else:
                name = private_storage().save(
                    f"coverage-imports/{secrets.token_hex(16)}.bin", ContentFile(data)
                )
                ticket = signing.dumps(
                    {"name": name, "event": event.pk, "user": request.user.pk}, salt=IMPORT_SALT
                )
                context.update(title=_("Import preview"), plan=plan, event=event, ticket=ticket)
                return TemplateResponse(request, "coverage/admin/import_preview.html", context)
        context.update(title=_("Import coverage"), form=form)
        return TemplateResponse(request, "coverage/admin/import_form.html", context)

    def _import_apply(self, request, context):
        try:
            ticket = signing.loads(request.POST.get("ticket", ""), salt=IMPORT_SALT, max_age=86400)
        except signing.BadSignature:
            messages.error(request, _("This preview has expired; upload the file again."))
            return HttpResponseRedirect(reverse("admin:coverage_coverageitem_import"))
        if ticket["user"] != request.user.pk:
            raise PermissionDenied
        storage = private_storage()
        if not storage.exists(ticket["name"]):
            messages.error(request, _("This preview has expired; upload the file again."))
            return HttpResponseRedirect(reverse("admin:coverage_coverageitem_import"))
        event = get_object_or_404(Event, pk=ticket["event"])
        with storage.open(ticket["name"], "rb") as file:
            data = file.read()
        try:
            plan = coverage_import_apply(event=event, data=data, by=request.user)
        except UnreadableSpreadsheet as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("admin:coverage_coverageitem_import"))
        finally:
            storage.delete(ticket["name"])
        counts = plan.counts
        messages.success(
            request,
            _("%(created)s, %(updated)s, %(skipped)s.")
            % {
                "created": ngettext(
                    "%(count)s item created", "%(count)s items created", counts["create"]
                )
                % {"count": counts["create"]},
                "updated": ngettext("%(count)s updated", "%(count)s updated", counts["update"])
                % {"count": counts["update"]},
                "skipped": ngettext(
                    "%(count)s row skipped", "%(count)s rows skipped", counts["skip"]
                )
                % {"count": counts["skip"]},
            },
        )
        return HttpResponseRedirect(
            reverse("admin:coverage_coverageitem_changelist") + f"?event__id__exact={event.pk}"
        )

    def _event_from(self, request):
        event_id = request.POST.get("event") or request.GET.get("event")
        if event_id:
            if not str(event_id).isdigit():
                raise Http404
            return get_object_or_404(Event, pk=event_id)
        return current_event()

    def ask_view(self, request):
        """Per event: who would be asked for their coverage, who came and published
        nothing; POST prepares and queues the "share your coverage" emails."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = self._event_from(request)
        if request.method == "POST":
            if not request.user.has_perm("coverage.add_coverageinvitation"):
                raise PermissionDenied
            if event is None:
                raise Http404
            invitations = coverage_invitations_prepare(event=event, by=request.user)
            if invitations:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s journalist will be asked for their coverage.",
                        "%(count)s journalists will be asked for their coverage.",
                        len(invitations),
                    )
                    % {"count": len(invitations)},
                )
            else:
                messages.warning(request, _("Nobody is left to ask for this event."))
            return HttpResponseRedirect(
                reverse("admin:coverage_coverageitem_ask") + f"?event={event.pk}"
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Ask accredited journalists for their coverage"),
            "event": event,
            "events": Event.objects.all(),
        }
        if event is not None:
            # Counted and paged in SQL: an edition has thousands of accredited journalists.
            silent_requests = attended_without_coverage(event=event).only(
                "journalist_id", "first_name", "last_name", "outlet_name", "email"
            )
            silent = Paginator(silent_requests, ASK_PAGE_SIZE).get_page(request.GET.get("page"))
            # The page's rows are always read, even when there are none (Django skips the
            # query for an empty slice): the same queries whatever the volume.
            start = (silent.number - 1) * ASK_PAGE_SIZE
            silent.object_list = list(silent_requests[start : start + ASK_PAGE_SIZE])
            context.update(
                to_ask_count=coverage_invitees_to_ask(event=event).count(),
                asked_count=CoverageInvitation.objects.filter(event=event).count(),
                attendance_known=attended_request_ids(event=event) is not None,
                silent=silent,
                invitations=CoverageInvitation.objects.filter(event=event)
                .select_related("journalist")
                .order_by("-created_at", "pk")[:200],
            )
        return TemplateResponse(request, "coverage/admin/ask.html", context)

    def report_view(self, request):
        """The PDF report of an event (?event=<id>, else the current one)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = self._event_from(request)
        if event is None:
            raise Http404
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
        coverage_report_write(event=event, target=spool)
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"coverage-{event.slug}.pdf",
            content_type="application/pdf",
        )

    def export_view(self, request):
        """The coverage of an event as xlsx (?event=<id>, else the current one)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = self._event_from(request)
        if event is None:
            raise Http404
        return xlsx_response(
            filename=f"coverage-{event.slug}.xlsx",
            title=str(_("Coverage")),
            headers=coverage_export_headers(),
            rows=coverage_export_rows(event=event),
        )

    def clipping_view(self, request, pk):
        """A clipping, for staff allowed to see coverage; never under /media/."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(CoverageItem, pk=pk)
        if not item.clipping or not item.clipping.storage.exists(item.clipping.name):
            raise Http404
        name = item.clipping.name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(item.clipping.open("rb"), content_type=content_type)
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        response["Content-Disposition"] = f'inline; filename="clipping-{item.pk}{suffix}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class JournalistCoverageInline(JournalistHistoryInline):
    """A journalist's coverage, read-only, on their page in the media file."""

    model = CoverageItem
    show_change_link = True
    fields = readonly_fields = ("event", "headline", "outlet_name", "published_on", "kind")
    verbose_name_plural = _("coverage")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")


if JournalistCoverageInline not in JournalistAdmin.inlines:
    JournalistAdmin.inlines.append(JournalistCoverageInline)
