"""Mailings in the back office: create one from a release, choose recipients, preview
each language, send a test to yourself, send now or at a time, follow the progress,
read and export the per-recipient report. Every state change goes through
press.mailings.lifecycle."""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from contacts.admin import JournalistAdmin, JournalistHistoryInline
from contacts.enums import OutletKind
from press.core.admin import OfficeAdmin
from press.core.spreadsheets import xlsx_response
from press.core.translated import content_languages, language_name
from press.events.selectors import current_event
from press.mailings.bounces import error_explained
from press.mailings.enums import DeliveryState, MailingKind, MailingState
from press.mailings.errors import MailingError
from press.mailings.lifecycle import (
    mailing_cancel,
    mailing_resend_in_doubt,
    mailing_resume,
    mailing_schedule,
    mailing_schedule_check,
)
from press.mailings.models import Delivery, Mailing
from press.mailings.recipients import (
    audience,
    mailing_languages,
    mailing_recipient_counts,
    recipient_counts,
)
from press.mailings.rendering import (
    mailing_content_problems,
    mailing_preview,
    mailing_send_test,
    reply_address,
    sender_address,
)
from press.mailings.report import (
    NOT_DONE,
    mailing_progress,
    mailing_rates,
    mailing_report_headers,
    mailing_report_rows,
    mailing_totals,
)
from press.releases.models import Release, ReleaseVersion

REPORT_PAGE_SIZE = 100


def _ticked(label, choices, help_text) -> forms.MultipleChoiceField:
    """A recipient filter as checkboxes; none ticked means no filter."""
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class MailingForm(forms.ModelForm):
    languages = _ticked(
        _("Languages"),
        settings.LANGUAGES,
        _("Only journalists who prefer these languages (none ticked: all)."),
    )
    outlet_kinds = _ticked(
        _("Outlet kinds"),
        OutletKind.choices,
        _("Only journalists of these kinds of outlet (none ticked: all)."),
    )

    class Meta:
        model = Mailing
        fields = [
            "kind",
            "event",
            "release",
            "subject",
            "message",
            "sender_name",
            "sender_email",
            "reply_to",
            "lists",
            "subscribers",
            "countries",
            "languages",
            "outlet_kinds",
            "journalists",
        ]
        widgets = {"lists": forms.CheckboxSelectMultiple}

    # Which field each missing part of mailing_content_problems belongs to.
    PROBLEM_FIELDS = {"no_release": "release", "no_subject": "subject", "no_message": "message"}
    RECIPIENT_FIELDS = ["lists", "countries", "languages", "outlet_kinds", "journalists"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "event" in self.fields:
            self.fields["event"].help_text = _(
                "A release mailing belongs to its release's event, whatever is chosen here."
            )

    def clean(self):
        cleaned = super().clean()
        if "kind" in cleaned:
            problems = mailing_content_problems(
                kind=cleaned["kind"],
                release=cleaned.get("release"),
                subject=cleaned.get("subject") or {},
                message=cleaned.get("message") or {},
            )
            for problem in problems:
                self.add_error(self.PROBLEM_FIELDS[problem.code], str(problem.message))
        return cleaned


class SendForm(forms.Form):
    send_at = forms.SplitDateTimeField(
        label=_("Send at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Leave empty to send now."),
    )

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at and send_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return send_at


@admin.register(Mailing)
class MailingAdmin(OfficeAdmin):
    add_title = _("New mailing")
    form = MailingForm
    list_display = ["title", "kind", "state", "scheduled_at", "recipient_count", "progress"]
    list_filter = ["state", "kind"]
    search_fields = ["subject", "release__versions__title"]
    autocomplete_fields = ["journalists"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["kind", "event", "release"]}),
        (
            _("Content"),
            {
                "fields": ["subject", "message"],
                "description": _(
                    "A release mailing uses the release's title as subject unless you type one."
                ),
            },
        ),
        (_("Sender"), {"fields": ["sender_name", "sender_email", "reply_to"]}),
        (
            _("Recipients"),
            {
                "fields": [
                    "lists",
                    "subscribers",
                    "countries",
                    "languages",
                    "outlet_kinds",
                    "journalists",
                ],
                "description": _(
                    "Members of the chosen lists and, if ticked, the newsroom's subscribers, "
                    "narrowed by the filters (with neither, the whole media file narrowed by "
                    "the filters), plus the journalists picked one by one. Each journalist's "
                    "own choices (releases, invitations, topics) are honoured."
                ),
            },
        ),
    ]

    class Media:
        css = {"all": ["mailings/admin.css"]}
        js = ["mailings/progress.js", "mailings/recipients.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("release", "event")
            .prefetch_related("release__versions")
        )

    def get_changelist(self, request, **kwargs):
        return MailingChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "release":
            kwargs["queryset"] = Release.objects.prefetch_related(
                Prefetch("versions", queryset=ReleaseVersion.objects.order_by("language"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if initial.get("release"):
            initial.setdefault("kind", MailingKind.RELEASE)
        if "event" not in initial:
            event = current_event()
            if event:
                initial["event"] = event.pk
        return initial

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]
        return []

    def has_delete_permission(self, request, obj=None):
        # A mailing that went out is part of the record; drafts may go.
        if obj is not None and obj.state != MailingState.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("mailing"), ordering="-created_at")
    def title(self, mailing):
        return str(mailing)

    @admin.display(description=_("progress"))
    def progress(self, mailing):
        if not getattr(mailing, "delivery_total", 0):
            return "—"
        return format_html(
            '<progress max="{}" value="{}" title="{} / {}"></progress> {}%',
            mailing.delivery_total,
            mailing.delivery_done,
            mailing.delivery_done,
            mailing.delivery_total,
            round(100 * mailing.delivery_done / mailing.delivery_total),
        )

    # Extra pages --------------------------------------------------------------------

    def get_urls(self):
        def view(function, name):
            return self.admin_site.admin_view(function), f"mailings_mailing_{name}"

        routes = [
            ("<int:pk>/preview/<str:language>/", self.preview_view, "preview"),
            ("<int:pk>/test/", self.test_view, "test"),
            ("<int:pk>/send/", self.send_view, "send"),
            ("<int:pk>/cancel/", self.cancel_view, "cancel"),
            ("<int:pk>/resume/", self.resume_view, "resume"),
            ("<int:pk>/resend-in-doubt/", self.resend_view, "resend"),
            ("<int:pk>/status/", self.status_view, "status"),
            ("recipients/", self.count_view, "count"),
            ("<int:pk>/recipients/", self.count_view, "count"),
            ("<int:pk>/report/", self.report_view, "report"),
            ("<int:pk>/report.xlsx", self.export_view, "export"),
        ]
        extra = []
        for route, function, name in routes:
            wrapped, url_name = view(function, name)
            extra.append(path(route, wrapped, name=url_name))
        return extra + super().get_urls()

    def _mailing(self, request, pk, *, change: bool) -> Mailing:
        mailing = get_object_or_404(Mailing.objects.select_related("release", "event"), pk=pk)
        allowed = (
            self.has_change_permission(request, mailing)
            if change
            else self.has_view_permission(request, mailing)
        )
        if not allowed:
            raise PermissionDenied
        return mailing

    def _change_url(self, mailing):
        return reverse("admin:mailings_mailing_change", args=[mailing.pk])

    def _context(self, request, mailing, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": mailing,
            "media": self.media,
            **extra,
        }

    def preview_view(self, request, pk, language):
        mailing = self._mailing(request, pk, change=False)
        if language not in content_languages():
            raise Http404
        try:
            rendered = mailing_preview(mailing=mailing, language=language)
        except MailingError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(self._change_url(mailing))
        if request.GET.get("part") == "text":
            return HttpResponse(rendered.text, content_type="text/plain; charset=utf-8")
        header = render_to_string(
            "emails/_preview_header.html",
            {
                "subject": rendered.subject,
                "sender": sender_address(mailing),
                "reply_to": reply_address(mailing),
                "text_url": request.path + "?part=text",
            },
            request=request,
        )
        response = HttpResponse(_with_header(rendered.html, header))
        # The email's HTML comes from our own templates and sanitised release text.
        response["Content-Security-Policy"] = "script-src 'none'; frame-ancestors 'self'"
        return response

    def test_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mailing = self._mailing(request, pk, change=True)
        try:
            languages = mailing_send_test(mailing=mailing, by=request.user)
        except MailingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request,
                _("Test sent to %(email)s in %(languages)s.")
                % {
                    "email": request.user.email,
                    "languages": ", ".join(language_name(code) for code in languages),
                },
                messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(mailing))

    def send_view(self, request, pk):
        mailing = self._mailing(request, pk, change=True)
        try:
            mailing_schedule_check(mailing=mailing)
            problem = None
        except MailingError as error:
            if error.code == "not_draft":
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(self._change_url(mailing))
            problem = error.message
        form = SendForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                mailing_schedule(mailing=mailing, by=request.user, at=form.cleaned_data["send_at"])
            except MailingError as error:
                form.add_error(None, error.message)
            else:
                mailing.refresh_from_db()
                if (
                    mailing.state == MailingState.SCHEDULED
                    and mailing.scheduled_at > timezone.now()
                ):
                    text = _("The mailing is scheduled.")
                else:
                    text = _("The mailing is being sent.")
                self.message_user(request, text, messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(mailing))
        context = self._context(
            request,
            mailing,
            title=_("Send “%(mailing)s”") % {"mailing": mailing},
            form=form,
            problem=problem,
            summary=mailing_recipient_counts(mailing=mailing),
            # An embargoed release is hidden on purpose and the email says so; a draft
            # or later publication means a "read it in the newsroom" link that 404s.
            release_not_public=bool(
                mailing.release
                and not mailing.release.is_public()
                and not mailing.release.is_embargoed()
            ),
            media=self.media + form.media,
        )
        return TemplateResponse(request, "admin/mailings/mailing/send.html", context)

    def cancel_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mailing = self._mailing(request, pk, change=True)
        try:
            mailing_cancel(mailing=mailing, by=request.user)
        except MailingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("The mailing is cancelled."), messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(mailing))

    def resume_view(self, request, pk):
        """Queue the send task again, for a mailing whose worker was stopped."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        mailing = self._mailing(request, pk, change=True)
        try:
            mailing_resume(mailing=mailing, by=request.user)
        except MailingError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(
                request, _("Sending resumes; nobody gets it twice."), messages.SUCCESS
            )
        return HttpResponseRedirect(self._change_url(mailing))

    def resend_view(self, request, pk):
        """Warn that some of those in doubt may get the mailing twice; send it again to
        them only once staff confirm (POST)."""
        mailing = self._mailing(request, pk, change=True)
        if request.method == "POST":
            try:
                count = mailing_resend_in_doubt(mailing=mailing, by=request.user)
            except MailingError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Sending again to %(count)d recipient in doubt.",
                        "Sending again to %(count)d recipients in doubt.",
                        count,
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(self._change_url(mailing))
        context = self._context(
            request,
            mailing,
            title=_("Send “%(mailing)s” again to those in doubt") % {"mailing": mailing},
            progress=mailing_progress(mailing=mailing),
        )
        return TemplateResponse(request, "admin/mailings/mailing/resend.html", context)

    def count_view(self, request, pk=None):
        """How many the recipients being chosen on the add or change page reach, per
        language and per reason left out, before anything is saved (POST of the form)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if pk is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            mailing = Mailing()
        else:
            mailing = self._mailing(request, pk, change=True)
            if not mailing.is_editable:
                return JsonResponse({"error": str(_("This mailing has left."))}, status=400)
        form = MailingForm(request.POST, instance=mailing)
        form.is_valid()
        errors = {
            name: [str(message) for message in form.errors[name]]
            for name in MailingForm.RECIPIENT_FIELDS + ["kind", "release"]
            if name in form.errors
        }
        if errors:
            return JsonResponse(
                {"error": str(_("Check the recipients.")), "fields": errors}, status=400
            )
        data = form.cleaned_data
        chosen = form.instance  # filled from the form, never saved here
        counts = recipient_counts(
            journalists=audience(
                list_ids=[contact_list.pk for contact_list in data["lists"]],
                subscribers=bool(data.get("subscribers")),
                journalist_ids=[journalist.pk for journalist in data["journalists"]],
                countries=[str(country) for country in data["countries"]],
                languages=list(data["languages"]),
                outlet_kinds=list(data["outlet_kinds"]),
            ),
            available=mailing_languages(mailing=chosen),
            kind=chosen.kind,
            release_id=chosen.release_id,
        )
        payload = counts.as_json()
        payload["text"] = recipients_sentence(counts)
        return JsonResponse(payload)

    def status_view(self, request, pk):
        mailing = self._mailing(request, pk, change=False)
        return JsonResponse(mailing_progress(mailing=mailing))

    def report_view(self, request, pk):
        mailing = self._mailing(request, pk, change=False)
        deliveries = mailing.deliveries.select_related("journalist__outlet").order_by("pk")
        state = request.GET.get("state")
        if state in DeliveryState.values:
            deliveries = deliveries.filter(state=state)
        page = Paginator(deliveries, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
        for delivery in page:
            delivery.explained = error_explained(delivery.error)
        totals = mailing_totals(mailing=mailing)
        context = self._context(
            request,
            mailing,
            title=_("Report: %(mailing)s") % {"mailing": mailing},
            totals=totals,
            rates=mailing_rates(counts=totals["overall"]["counts"]),
            progress=mailing_progress(mailing=mailing),
            page=page,
            states=DeliveryState.choices,
            current_state=state,
        )
        return TemplateResponse(request, "admin/mailings/mailing/report.html", context)

    def export_view(self, request, pk):
        mailing = self._mailing(request, pk, change=False)
        # Addresses and what each recipient did: personal data, not for read-only staff.
        if not request.user.has_perm("contacts.export_journalist"):
            raise PermissionDenied
        return xlsx_response(
            filename=f"mailing-{mailing.pk}-{slugify(str(mailing))[:40]}.xlsx",
            title=str(_("Deliveries")),
            headers=mailing_report_headers(),
            rows=mailing_report_rows(mailing=mailing),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        mailing = self.get_object(request, object_id)
        if mailing is not None:
            may_change = self.has_change_permission(request, mailing)
            extra_context.update(
                may_change=may_change,
                previews=[
                    (
                        language_name(code),
                        reverse("admin:mailings_mailing_preview", args=[mailing.pk, code]),
                    )
                    for code in mailing_languages(mailing=mailing)
                ],
                progress=mailing_progress(mailing=mailing),
            )
            if mailing.is_editable:
                summary = mailing_recipient_counts(mailing=mailing)
                extra_context.update(summary=summary, summary_text=recipients_sentence(summary))
            if not mailing.is_editable:
                # Nothing to save once it has left: no save buttons to wonder about.
                extra_context.update(
                    show_save=False, show_save_and_continue=False, show_save_and_add_another=False
                )
        return super().change_view(request, object_id, form_url, extra_context)


def _with_header(html: str, header: str) -> str:
    """The email's HTML with the preview's header (subject, sender) first in its body."""
    match = re.search(r"<body[^>]*>", html, flags=re.IGNORECASE)
    if match is None:
        return header + html
    return html[: match.end()] + header + html[match.end() :]


def recipients_sentence(counts) -> str:
    """What the live count says, in the active language."""
    text = ngettext("%(count)d recipient", "%(count)d recipients", counts.total) % {
        "count": counts.total
    }
    if counts.languages():
        text += (
            " ("
            + ", ".join(
                _("%(what)s: %(count)d") % {"what": language_name(code), "count": count}
                for code, count in counts.languages()
            )
            + ")"
        )
    if counts.excluded_total:
        text += "; " + ngettext(
            "%(count)d journalist left out",
            "%(count)d journalists left out",
            counts.excluded_total,
        ) % {"count": counts.excluded_total}
        text += (
            " ("
            + ", ".join(
                _("%(what)s: %(count)d") % {"what": label, "count": count}
                for label, count in counts.excluded_labelled()
            )
            + ")"
        )
    return text + "."


class MailingChangeList(ChangeList):
    """The mailing list's progress column from one grouped query over the page shown,
    not a count of every delivery ever made behind each row, the date hierarchy and
    the change page."""

    def get_results(self, request):
        super().get_results(request)
        mailings = list(self.result_list)
        totals = {
            row["mailing"]: row
            for row in Delivery.objects.filter(mailing__in=[m.pk for m in mailings])
            .order_by()
            .values("mailing")
            .annotate(total=Count("pk"), done=Count("pk", filter=~Q(state__in=NOT_DONE)))
        }
        for mailing in mailings:
            row = totals.get(mailing.pk, {})
            mailing.delivery_total = row.get("total", 0)
            mailing.delivery_done = row.get("done", 0)
        self.result_list = mailings


class DeliveryInline(JournalistHistoryInline):
    """A journalist's deliveries, read only (added to the journalist's page)."""

    model = Delivery
    show_change_link = False
    fields = readonly_fields = (
        "mailing",
        "language",
        "state",
        "sent_at",
        "opened_at",
        "clicked_at",
    )
    ordering = ["-pk"]
    verbose_name_plural = _("mailings received")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("mailing__release")
            .prefetch_related("mailing__release__versions")
        )


# The journalist's page lists the mailings they received (contacts.admin keeps its
# inlines a plain list for other areas to extend).
if DeliveryInline not in JournalistAdmin.inlines:
    JournalistAdmin.inlines.append(DeliveryInline)
