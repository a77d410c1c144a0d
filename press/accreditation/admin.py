"""The accreditation review queue: badge requests with their photo and press card,
flags for the reviewer, filters, and decisions through the accreditation
domain modules only (the state is never edited as a plain field)."""

import secrets

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from contacts.admin import JournalistAdmin, JournalistHistoryInline
from press.accreditation.decisions import ACTIONS, move_is_allowed
from press.accreditation.errors import AccreditationError
from press.accreditation.export import (
    accreditation_headers,
    accreditation_queryset,
    accreditation_rows,
)
from press.accreditation.forms import ReviewDecisionForm, SelectionForm, SelectionRuleForm
from press.accreditation.invitations import (
    invitation_deliveries,
    invitation_reminder_create,
    invitation_state_counts,
)
from press.accreditation.models import (
    AccreditationSettings,
    BadgeRequest,
    BadgeRequestEmail,
    BadgeRequestState,
    BadgeRequestTransition,
    FieldVisit,
    ReviewChecklist,
    SelectionRule,
)
from press.accreditation.privacy import IDENTITY_DOCUMENTS, document_may_open
from press.accreditation.review import (
    checklist_missing,
    checklist_values,
    reusable_checklist,
    review_checklist_reuse,
)
from press.accreditation.selection import selection_apply, selection_preview
from press.accreditation.selectors import (
    event_capacity,
    outlet_approved_count,
    outlet_limit_reached,
    with_field_visit_occupancy,
    with_outlet_approved,
)
from press.accreditation.signals import earlier_editions_wanted
from press.core.admin import OfficeAdmin
from press.core.dates import day_of_week
from press.core.phones import phone_display
from press.core.spreadsheets import xlsx_response
from press.events.models import Event
from press.events.selectors import current_event

State = BadgeRequestState
INVITATION_STATES = [
    ("sent", _("Invitation sent")),
    ("opened", _("Invitation opened")),
    ("clicked", _("Invitation link followed")),
    ("requested", _("Request sent")),
]
# Buttons on a request's page and bulk actions: action name → (target state, label).
# An ellipsis says that a confirmation page follows.
DECISIONS = {
    "approve": (State.APPROVED, _("Approve")),
    "waitlist": (State.WAITLISTED, _("Put on the waiting list")),
    "reject": (State.REJECTED, _("Reject…")),
    "cancel": (State.CANCELLED, _("Cancel the accreditation…")),
}
# Decisions that are never taken without a confirmation page.
CONFIRMED_DECISIONS = {"reject", "cancel"}
INVITATIONS_PER_PAGE = 100
CONFIRM_LABELS = {
    "approve": _("Yes, approve"),
    "waitlist": _("Yes, put on the waiting list"),
    "reject": _("Yes, reject and tell the journalist"),
    "cancel": _("Yes, cancel and tell the journalist"),
}


def file_url(badge_request: BadgeRequest, kind: str) -> str:
    return reverse("badge_request_file", args=[badge_request.pk, kind])


def _new_seed() -> int:
    return secrets.randbelow(2**31 - 1)


def checklist_initial(badge_request: BadgeRequest) -> dict:
    """The decision form's checklist: the one stored, or the card number the journalist gave."""
    values = checklist_values(ReviewChecklist.objects.filter(badge_request=badge_request).first())
    if values is None:
        return {"press_card_number": badge_request.press_card_number}
    return dict(values)


def _is_image(name: str) -> bool:
    return name.lower().endswith((".jpg", ".jpeg", ".png"))


def _decide(request, badge_requests, action: str, note: str = "", checklist=None) -> int:
    """Apply one decision to requests, one by one; each refusal is reported with its
    reason. Returns how many were decided."""
    to_state, _label = DECISIONS[action]
    done = 0
    for badge_request in badge_requests:
        try:
            ACTIONS[to_state](
                badge_request=badge_request, by=request.user, note=note, checklist=checklist
            )
        except AccreditationError as error:
            messages.error(request, f"{badge_request.full_name}: {error.message}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)s request now %(state)s.",
                "%(count)s requests now %(state)s.",
                done,
            )
            % {"count": done, "state": State(to_state).label.lower()},
        )
    return done


class EventFilter(admin.SimpleListFilter):
    """The queue shows the current event's requests unless another event, or all of
    them, is chosen: a reviewer works on one edition at a time."""

    title = _("event")
    parameter_name = "event"
    ALL = "all"

    @classmethod
    def chosen(cls, value: str | None) -> str:
        """An event's id, or ALL; no (or a malformed) choice means the current event."""
        if value == cls.ALL or (value and value.isdigit()):
            return value
        event = current_event()
        return str(event.pk) if event else cls.ALL

    @classmethod
    def chosen_event(cls, request):
        chosen = cls.chosen(request.GET.get(cls.parameter_name))
        return None if chosen == cls.ALL else Event.objects.filter(pk=chosen).first()

    def lookups(self, request, model_admin):
        events = [(str(event.pk), str(event)) for event in Event.objects.order_by("-starts_on")]
        return [*events, (self.ALL, _("All events"))]

    def choices(self, changelist):
        chosen = self.chosen(self.value())
        for value, title in self.lookup_choices:
            yield {
                "selected": value == chosen,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        chosen = self.chosen(self.value())
        return queryset if chosen == self.ALL else queryset.filter(event_id=chosen)


class DayFilter(admin.SimpleListFilter):
    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        event = EventFilter.chosen_event(request)
        if event is None:
            return []
        return [(day.isoformat(), day_of_week(day)) for day in event.days]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(days__icontains=f'"{self.value()}"')
        return queryset


class OutletCountryFilter(admin.SimpleListFilter):
    """Only the countries requests come from, not the world's list."""

    title = _("outlet country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            BadgeRequest.objects.order_by("outlet_country")
            .values_list("outlet_country", flat=True)
            .distinct()
        )
        return sorted(((code, Country(code).name) for code in codes if code), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(outlet_country=self.value())
        return queryset


class FlaggedFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [
            ("any", _("Any flag")),
            ("invitation", _("Invitation used by another email")),
            ("outlet_limit", _("Outlet at its limit")),
            ("unknown_outlet", _("Unknown outlet")),
            ("none", _("No flag")),
        ]

    def queryset(self, request, queryset):
        # The approval's own rule (selectors): a request not yet approved whose outlet
        # has its number of approved badges.
        over_limit = Q(
            event__per_outlet_limit__gt=0,
            outlet_approved__gte=F("event__per_outlet_limit"),
        ) & ~Q(state=State.APPROVED)
        flags = {
            "invitation": Q(invitation_other_email=True),
            "outlet_limit": over_limit,
            "unknown_outlet": Q(outlet__isnull=True),
        }
        value = self.value()
        if value is None:
            return queryset
        # The list annotates its page only; a filter on the count needs it on every row.
        queryset = with_outlet_approved(queryset)
        if value in flags:
            return queryset.filter(flags[value])
        any_flag = flags["invitation"] | flags["outlet_limit"] | flags["unknown_outlet"]
        if value == "any":
            return queryset.filter(any_flag)
        if value == "none":
            return queryset.exclude(any_flag)
        return queryset


class TransitionInline(admin.TabularInline):
    model = BadgeRequestTransition
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "from_state", "to_state", "by", "note")
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EmailInline(admin.TabularInline):
    """The emails this request sent, and what the provider said of each."""

    model = BadgeRequestEmail
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "template",
        "to",
        "state",
        "sent_at",
        "delivered_at",
        "bounced_at",
        "error",
    )
    verbose_name_plural = _("emails sent")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewQueue(ChangeList):
    """The review queue counts each outlet's approved badges for the page shown only, in
    one query, rather than in a subquery that the database would run for every row, and
    reads each event of the page once rather than joined to (and decoded for) every row."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        events = Event.objects.in_bulk({row.event_id for row in rows})
        for row in rows:
            row.event = events[row.event_id]
        counts = dict(
            with_outlet_approved(BadgeRequest.objects.filter(pk__in=[r.pk for r in rows]))
            .order_by()
            .values_list("pk", "outlet_approved")
        )
        for row in rows:
            row.outlet_approved = counts.get(row.pk, 0)
        self.result_list = rows


@admin.register(BadgeRequest)
class BadgeRequestAdmin(OfficeAdmin):
    change_form_template = "admin/accreditation/badgerequest/change_form.html"
    change_list_template = "admin/accreditation/badgerequest/change_list.html"

    class Media:
        css = {"all": ["accreditation/admin.css"]}

    # The state comes right after the name, so that a reviewer sees it without
    # scrolling; the role shares the name's cell, the submission date the state's, the
    # outlet's kind and country the outlet's: the queue fits a laptop screen with the
    # side navigation open.
    list_display = [
        "thumbnail",
        "name",
        "state_label",
        "outlet_column",
        "days_attending",
        "flags",
    ]
    list_display_links = ["name"]
    list_filter = [
        "state",
        DayFilter,
        OutletCountryFilter,
        "outlet_kind",
        "role",
        FlaggedFilter,
        EventFilter,
    ]
    search_fields = ["first_name", "last_name", "email", "outlet_name", "press_card_number"]
    date_hierarchy = "submitted_at"
    # "N results" without a second count of every request of every event.
    show_full_result_count = False
    # A reviewer works down the queue: 50 requests, each with its photo and flags, fill
    # several screens already, and cost half the rendering of Django's 100.
    list_per_page = 50
    actions = ["approve_selected", "waitlist_selected", "reject_selected", "export_selected"]
    inlines = [TransitionInline, EmailInline]
    readonly_fields = [
        "event",
        "state",
        "flags",
        "documents_preview",
        "photo_preview",
        "first_name",
        "last_name",
        "email",
        "phone_number",
        "nationality",
        "journalist",
        "outlet_name",
        "outlet_kind",
        "outlet_country",
        "outlet_website",
        "outlet",
        "role",
        "press_card_number",
        "press_card_country",
        "days_attending",
        "visits",
        "interview_requests",
        "equipment_list",
        "accessibility_needs",
        "language",
        "invitation",
        "consent_at",
        "consent_version",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_note",
        "documents_purged_at",
        "track_record",
    ]
    fieldsets = [
        (None, {"fields": ["event", "state", "flags", "documents_preview"]}),
        (
            _("Journalist"),
            {
                "fields": [
                    ("first_name", "last_name"),
                    ("email", "phone_number"),
                    ("nationality", "language"),
                    "journalist",
                    "track_record",
                    "role",
                ]
            },
        ),
        (
            _("Outlet"),
            {
                "fields": [
                    ("outlet_name", "outlet_kind"),
                    ("outlet_country", "outlet_website"),
                    "outlet",
                ]
            },
        ),
        (_("Credentials"), {"fields": [("press_card_number", "press_card_country")]}),
        (
            _("Attendance"),
            {
                "fields": [
                    "days_attending",
                    "visits",
                    "interview_requests",
                    "equipment_list",
                    "accessibility_needs",
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "invitation",
                    ("consent_at", "consent_version"),
                    "submitted_at",
                    ("decided_at", "decided_by"),
                    "decision_note",
                    "documents_purged_at",
                ]
            },
        ),
    ]

    def get_changelist(self, request, **kwargs):
        return ReviewQueue

    def get_object(self, request, object_id, from_field=None):
        badge_request = super().get_object(request, object_id, from_field)
        if badge_request is not None:
            badge_request.outlet_approved = outlet_approved_count(badge_request)
        return badge_request

    def changelist_view(self, request, extra_context=None):
        event = EventFilter.chosen_event(request)
        context = {"capacity": event_capacity(event=event) if event else None}
        return super().changelist_view(request, extra_context={**context, **(extra_context or {})})

    def has_add_permission(self, request):
        # Requests come from the public form, where consent is given.
        return False

    def has_delete_permission(self, request, obj=None):
        # A request is withdrawn or cancelled, never deleted; erasure goes through the
        # journalist's record in the media file.
        return False

    # Columns ---------------------------------------------------------------------

    @admin.display(description=_("phone"))
    def phone_number(self, obj):
        """Stored in E.164, shown as the press office dials it."""
        return phone_display(obj.phone)

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        if not obj.photo:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="48" height="60" loading="lazy" class="badge-thumb">',
            file_url(obj, "photo"),
        )

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        return format_html(
            '<span class="badge-state badge-state-{}">{}</span><br>'
            '<span class="badge-outlet-detail" title="{}">{}</span>',
            obj.state,
            obj.get_state_display(),
            _("submitted"),
            formats.date_format(timezone.localtime(obj.submitted_at), "SHORT_DATE_FORMAT")
            if obj.submitted_at
            else "—",
        )

    @admin.display(description=_("name"), ordering="last_name")
    def name(self, obj):
        return format_html(
            '{} {}<br><span class="badge-outlet-detail">{}</span>',
            obj.last_name.upper(),
            obj.first_name,
            obj.get_role_display(),
        )

    @admin.display(description=_("outlet"), ordering="outlet_name")
    def outlet_column(self, obj):
        return format_html(
            '{}<br><span class="badge-outlet-detail">{} · {}</span>',
            obj.outlet_name,
            obj.get_outlet_kind_display(),
            obj.outlet_country.name,
        )

    @admin.display(description=_("field visits"))
    def visits(self, obj):
        return ", ".join(visit.display_name() for visit in obj.field_visits.all()) or "—"

    @admin.display(description=_("technical equipment"))
    def equipment_list(self, obj):
        return ", ".join(obj.equipment_labels()) or "—"

    @admin.display(description=_("days attending"))
    def days_attending(self, obj):
        return ", ".join(day_of_week(day, short=True) for day in obj.attending_days()) or "—"

    @admin.display(description=_("flags"))
    def flags(self, obj):
        found = []
        if obj.invitation_other_email:
            found.append(_("invitation used by another email"))
        if obj.outlet_id is None:
            found.append(_("unknown outlet"))
        limit = obj.event.per_outlet_limit
        approved = getattr(obj, "outlet_approved", 0)
        if obj.state != State.APPROVED and outlet_limit_reached(approved=approved, limit=limit):
            found.append(
                _("outlet at its limit (%(count)s of %(limit)s approved)")
                % {"count": approved, "limit": limit}
            )
        if not found:
            return "—"
        return format_html_join(" ", '<span class="badge-flag">⚑ {}</span>', ((f,) for f in found))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if document_may_open(user=request.user, kind=IDENTITY_DOCUMENTS[0]):
            return fieldsets
        # A viewer sees the photo, never the press card or the letter.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "photo_preview" if field == "documents_preview" else field
                        for field in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description=_("photo"))
    def photo_preview(self, obj):
        if not obj.photo:
            return _("No document held.")
        return format_html('<img src="{}" alt="" class="badge-document">', file_url(obj, "photo"))

    @admin.display(description=_("earlier editions"))
    def track_record(self, obj):
        if obj.journalist is None:
            return "—"
        answers = earlier_editions_wanted.send(sender=BadgeRequest, badge_request=obj)
        lines = [line for _receiver, answer in answers for line in answer or ()]
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines)) or _("none")

    @admin.display(description=_("documents"))
    def documents_preview(self, obj):
        labels = {"photo": _("photo"), "press_card": _("press card"), "letter": _("letter")}
        parts = []
        for kind, file in obj.documents().items():
            if _is_image(file.name):
                shown = format_html('<img src="{}" alt="{}">', file_url(obj, kind), labels[kind])
            else:
                shown = format_html("{} (PDF)", labels[kind])
            parts.append(
                format_html(
                    '<figure class="badge-document"><a href="{}" target="_blank" '
                    'rel="noopener">{}</a><figcaption>{}</figcaption></figure>',
                    file_url(obj, kind),
                    shown,
                    labels[kind],
                )
            )
        if not parts:
            return _("No document held.")
        return format_html_join("", "{}", ((p,) for p in parts))

    # Actions ---------------------------------------------------------------------

    @admin.action(description=_("Approve selected requests"), permissions=["change"])
    def approve_selected(self, request, queryset):
        """Approves at once when every checklist is complete; otherwise a confirmation
        page lists what each request lacks."""
        requests = list(
            queryset.order_by("submitted_at", "pk").select_related("event", "checklist")
        )
        incomplete = [
            (badge_request, missing)
            for badge_request in requests
            if (
                missing := checklist_missing(
                    values=checklist_values(getattr(badge_request, "checklist", None)),
                    event_starts_on=badge_request.event.starts_on,
                )
            )
        ]
        if incomplete and request.POST.get("confirmed") != "yes":
            return self._confirm_bulk(request, "approve", requests, incomplete=incomplete)
        _decide(request, requests, "approve")
        return None

    @admin.action(description=_("Waitlist selected requests"), permissions=["change"])
    def waitlist_selected(self, request, queryset):
        _decide(request, queryset.order_by("submitted_at", "pk"), "waitlist")

    @admin.action(description=_("Reject selected requests…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        """Always through a confirmation page that asks for the reason."""
        requests = list(queryset.order_by("submitted_at", "pk"))
        note = request.POST.get("note", "").strip()[:2000]
        if request.POST.get("confirmed") != "yes" or not note:
            error = (
                _("A rejection needs a reason: the journalist reads it in the email.")
                if request.POST.get("confirmed") == "yes"
                else ""
            )
            return self._confirm_bulk(request, "reject", requests, error=error)
        _decide(request, requests, "reject", note)
        return None

    def _confirm_bulk(self, request, action, requests, *, incomplete=(), error=""):
        to_state, _label = DECISIONS[action]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Confirm the decision"),
            "action": action,
            "action_name": f"{action}_selected",
            "confirm_label": CONFIRM_LABELS[action],
            "to_state": State(to_state).label,
            "requests": requests,
            "incomplete": incomplete,
            "error": error,
            "note": request.POST.get("note", ""),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/accreditation/badgerequest/confirm_selected.html", context
        )

    def has_export_permission(self, request) -> bool:
        """Spreadsheets of requests are personal data: press officers and reviewers."""
        return request.user.has_perm("accreditation.export_badgerequest")

    @admin.action(description=_("Export selected requests (xlsx)"), permissions=["export"])
    def export_selected(self, request, queryset):
        requests = accreditation_queryset(states=()).filter(pk__in=queryset.values("pk"))
        return _xlsx(requests)

    # Extra views -----------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="accreditation_badgerequest_decide",
            ),
            path(
                "<int:pk>/reuse-verification/",
                self.admin_site.admin_view(self.reuse_view),
                name="accreditation_badgerequest_reuse",
            ),
            path(
                "selection/",
                self.admin_site.admin_view(self.selection_view),
                name="accreditation_badgerequest_selection",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="accreditation_badgerequest_export",
            ),
            path(
                "invitations/",
                self.admin_site.admin_view(self.invitations_view),
                name="accreditation_badgerequest_invitations",
            ),
            path(
                "remind/",
                self.admin_site.admin_view(self.remind_view),
                name="accreditation_badgerequest_remind",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        """A decision from a request's page. Rejecting and cancelling always, and
        approving with an incomplete checklist, go through a confirmation page first
        (a plain form, no script needed); bad input shows that page again with its
        message and changes nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        badge_request = get_object_or_404(BadgeRequest.objects.select_related("event"), pk=pk)
        if not self.has_change_permission(request, badge_request):
            raise PermissionDenied
        change_url = reverse("admin:accreditation_badgerequest_change", args=[pk])
        action = request.POST.get("action", "")
        if action not in DECISIONS:
            messages.error(request, _("Unknown decision."))
            return HttpResponseRedirect(change_url)
        form = ReviewDecisionForm(request.POST)
        if not form.is_valid():
            return self._confirm_page(request, badge_request, action, form, problems=[])
        note = form.cleaned_data["note"].strip()
        checklist = form.checklist()
        if action == "reject" and not note:
            form.add_error(
                "note", _("A rejection needs a reason: the journalist reads it in the email.")
            )
            return self._confirm_page(request, badge_request, action, form, problems=[])
        missing = (
            checklist_missing(values=checklist, event_starts_on=badge_request.event.starts_on)
            if action == "approve"
            else []
        )
        needs_confirmation = action in CONFIRMED_DECISIONS or missing
        if needs_confirmation and not form.cleaned_data["confirmed"]:
            return self._confirm_page(request, badge_request, action, form, problems=missing)
        _decide(request, [badge_request], action, note, checklist)
        return HttpResponseRedirect(change_url)

    def reuse_view(self, request, pk):
        """Fill this request's checklist with the verification of the journalist's
        earlier accreditation (its press card still valid), marked as reused."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        badge_request = get_object_or_404(BadgeRequest.objects.select_related("event"), pk=pk)
        if not self.has_change_permission(request, badge_request):
            raise PermissionDenied
        try:
            review_checklist_reuse(badge_request=badge_request, by=request.user)
        except AccreditationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The earlier verification is reused; check it still holds.")
            )
        return HttpResponseRedirect(reverse("admin:accreditation_badgerequest_change", args=[pk]))

    def _confirm_page(self, request, badge_request, action, form, *, problems):
        to_state, label = DECISIONS[action]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Confirm the decision"),
            "original": badge_request,
            "action": action,
            "action_label": label,
            "confirm_label": CONFIRM_LABELS[action],
            "to_state": State(to_state).label,
            "form": form,
            "problems": problems,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/accreditation/badgerequest/decide.html", context)

    def selection_view(self, request):
        """Preview a selection of the current event's submitted requests for a seed
        (GET), then apply it (POST with `apply`)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        event = current_event()
        data = request.POST if request.method == "POST" else request.GET
        form = SelectionForm(data if "seed" in data else None, initial={"seed": _new_seed()})
        selection = None
        if event is not None and form.is_bound and form.is_valid():
            seed = form.cleaned_data["seed"]
            if request.method == "POST" and "apply" in request.POST:
                selection, refusals = selection_apply(event=event, seed=seed, by=request.user)
                for refusal in refusals:
                    messages.error(request, refusal)
                messages.success(
                    request,
                    _(
                        "Selection applied with seed %(seed)s: %(approved)s approved, "
                        "%(waitlisted)s on the waiting list."
                    )
                    % {
                        "seed": seed,
                        "approved": len(selection.approved),
                        "waitlisted": len(selection.waitlisted),
                    },
                )
                return HttpResponseRedirect(reverse("admin:accreditation_badgerequest_changelist"))
            selection = selection_preview(event=event, seed=seed)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Selection"),
            "event": event,
            "form": form,
            "selection": selection,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/accreditation/badgerequest/selection.html", context)

    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        return _xlsx(accreditation_queryset(event=current_event()))

    def invitations_view(self, request):
        """Who was invited to the current event and how far each invitation went, a
        page of INVITATIONS_PER_PAGE at a time, the totals counted in SQL."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = current_event()
        labels = dict(INVITATION_STATES)
        counts = dict.fromkeys(labels, 0)
        page = None
        if event is not None:
            counts.update(invitation_state_counts(event=event))
            paginator = Paginator(invitation_deliveries(event=event), INVITATIONS_PER_PAGE)
            paginator.count = sum(counts.values())  # the states' totals: no second count
            page = paginator.get_page(request.GET.get("page"))
        rows = [
            {
                "delivery": delivery,
                "state": delivery.invitation_state,
                "label": labels[delivery.invitation_state],
            }
            for delivery in (page.object_list if page else [])
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Accreditation invitations"),
            "event": event,
            "rows": rows,
            "page_obj": page,
            "states": [(label, counts[state]) for state, label in INVITATION_STATES],
        }
        return TemplateResponse(
            request, "admin/accreditation/badgerequest/invitations.html", context
        )

    def remind_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (
            request.user.has_perm("mailings.add_mailing") and self.has_view_permission(request)
        ):
            raise PermissionDenied
        event = current_event()
        mailing = invitation_reminder_create(event=event, by=request.user) if event else None
        if mailing is None:
            messages.warning(request, _("Every invited journalist has already sent a request."))
            return HttpResponseRedirect(reverse("admin:accreditation_badgerequest_changelist"))
        count = mailing.journalists.count()
        messages.success(
            request,
            ngettext(
                "A reminder to %(count)s invited journalist is ready as a draft mailing.",
                "A reminder to %(count)s invited journalists is ready as a draft mailing.",
                count,
            )
            % {"count": count},
        )
        return HttpResponseRedirect(reverse("admin:mailings_mailing_change", args=[mailing.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["decisions"] = [
                (name, label)
                for name, (to_state, label) in DECISIONS.items()
                if move_is_allowed(obj.state, to_state)
            ]
            context["can_decide"] = self.has_change_permission(request, obj)
            context["decision_form"] = ReviewDecisionForm(
                initial=checklist_initial(obj), auto_id="id_decision_%s"
            )
            current = ReviewChecklist.objects.filter(badge_request=obj).first()
            context["checklist_reused_from"] = (
                current.reused_from.badge_request
                if current is not None and current.reused_from is not None
                else None
            )
            context["reusable_checklist"] = (
                None if context["checklist_reused_from"] else reusable_checklist(badge_request=obj)
            )
        # Every field is read-only: decisions go through the decision form alone.
        context.update(
            show_save=False, show_save_and_continue=False, show_save_and_add_another=False
        )
        return super().render_change_form(request, context, add, change, form_url, obj)


def _xlsx(requests):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        filename=f"accreditations-{stamp}.xlsx",
        title=str(_("Accreditations")),
        headers=accreditation_headers(),
        rows=accreditation_rows(requests),
    )


class JournalistBadgeRequestInline(JournalistHistoryInline):
    """A journalist's badge requests, read-only, on their page in the media file."""

    model = BadgeRequest
    show_change_link = True
    fields = readonly_fields = (
        "event",
        "state",
        "outlet_name",
        "role",
        "submitted_at",
        "decided_at",
    )
    verbose_name_plural = _("badge requests")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")


JournalistAdmin.inlines.append(JournalistBadgeRequestInline)


@admin.register(FieldVisit)
class FieldVisitAdmin(OfficeAdmin):
    add_title = _("New field visit")
    list_display = ["__str__", "event", "starts_at", "capacity", "approved", "requested"]
    list_filter = ["event"]
    list_select_related = ["event"]

    def get_queryset(self, request):
        return with_field_visit_occupancy(super().get_queryset(request))

    @admin.display(description=_("approved"), ordering="approved_count")
    def approved(self, obj):
        return obj.approved_count

    @admin.display(description=_("requested"), ordering="requested_count")
    def requested(self, obj):
        return obj.requested_count


class SelectionRuleInline(admin.TabularInline):
    """The selection's rules, applied in their order (see press.accreditation.selection)."""

    model = SelectionRule
    form = SelectionRuleForm
    extra = 0
    verbose_name_plural = _("selection rules, in order")


@admin.register(AccreditationSettings)
class AccreditationSettingsAdmin(OfficeAdmin):
    add_title = _("New accreditation settings")
    list_display = ["event", "promote_from_waitlist"]
    list_select_related = ["event"]
    inlines = [SelectionRuleInline]
