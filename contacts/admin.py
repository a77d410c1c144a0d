"""The media file in the back office: outlets, lists, journalists, import and export.

Other areas add their own inlines (mailings received, badge requests) to
JournalistAdmin.inlines, which stays a plain list for that reason.
"""

import json
import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from contacts.enums import ContactSource, ImportState
from contacts.exporting import journalists_export_response
from contacts.imports.jobs import (
    UPLOADS,
    contact_import_cancel,
    contact_import_confirm,
    contact_import_forget_stale,
    contact_import_queue,
)
from contacts.imports.reading import UnreadableSpreadsheet, spreadsheet_kind
from contacts.journalists import ContactError, journalist_erase, journalist_export_personal_data
from contacts.lists import list_add_journalists, list_remove_journalists
from contacts.models import (
    ContactImport,
    ContactList,
    Journalist,
    Outlet,
    Subscription,
    Suppression,
    email_digest,
)
from contacts.suppression import suppression_inherit
from press.core.admin import OfficeAdmin
from press.core.db import distinct_values
from press.core.phones import phone_editable, phone_normalise

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Search words this long match anywhere in a name; shorter ones match its start.
SEARCH_ANYWHERE_FROM = 3
STATUS_REFRESH_SECONDS = 2


@admin.display(description=gettext_lazy("country"), ordering="country")
def country_name(obj) -> str:
    """The country's name, looked up for this one code. (The admin's own rendering of a
    CountryField translates its 250 choices again for every row.)"""
    return obj.country.name if obj.country else "—"


class CountryFilter(admin.SimpleListFilter):
    """Only the countries the listed model's rows are in, not every country in the world."""

    title = gettext_lazy("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = distinct_values(model_admin.model, "country")
        names = dict(countries)
        return sorted(((code, names.get(code, code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


@admin.register(Outlet)
class OutletAdmin(OfficeAdmin):
    add_title = gettext_lazy("New outlet")
    list_display = ["name", "kind", country_name, "city", "journalist_count"]
    list_filter = ["kind", CountryFilter]
    search_fields = ["name", "city"]

    def get_queryset(self, request):
        # Counted for the rows shown only (a subquery per row of the page), not by
        # grouping every journalist of the media file.
        journalists = (
            Journalist.objects.filter(outlet=OuterRef("pk"))
            .order_by()
            .values("outlet")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super().get_queryset(request).annotate(_journalists=Coalesce(Subquery(journalists), 0))
        )

    @admin.display(description=gettext_lazy("journalists"), ordering="_journalists")
    def journalist_count(self, outlet):
        return outlet._journalists


@admin.register(ContactList)
class ContactListAdmin(OfficeAdmin):
    add_title = gettext_lazy("New list")
    list_display = ["name", "size", "description"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _size=Count("journalists", filter=Q(journalists__erased_at__isnull=True)),
                _mailable=Count(
                    "journalists",
                    filter=Q(
                        journalists__erased_at__isnull=True,
                        journalists__suppressed_at__isnull=True,
                    ),
                ),
            )
        )

    @admin.display(description=gettext_lazy("size"), ordering="_size")
    def size(self, contact_list):
        """Links to the list's journalists, so the officer can look at who is on it."""
        url = reverse("admin:contacts_journalist_changelist")
        text = _("%(size)s (%(mailable)s mailable)") % {
            "size": contact_list._size,
            "mailable": contact_list._mailable,
        }
        return format_html('<a href="{}?lists__id__exact={}">{}</a>', url, contact_list.pk, text)


class SuppressedFilter(admin.SimpleListFilter):
    title = gettext_lazy("mailing status")
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return [
            ("no", _("Mailable")),
            ("yes", _("Not mailed (unsubscribed, bounced, erased)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.mailable()
        if self.value() == "yes":
            return queryset.filter(Q(suppressed_at__isnull=False) | Q(erased_at__isnull=False))
        return queryset


class JournalistActionForm(ActionForm):
    contact_list = forms.ModelChoiceField(
        queryset=ContactList.objects.all(), required=False, label=gettext_lazy("List")
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "xlsx or csv (UTF-8 or Windows-1252, comma or semicolon), French or English "
            "headers. One column must hold email addresses."
        ),
    )
    contact_list = forms.ModelChoiceField(
        queryset=ContactList.objects.all(),
        required=False,
        label=gettext_lazy("Add everyone to the list"),
    )
    new_list = forms.CharField(
        max_length=200, required=False, label=gettext_lazy("or to a new list named")
    )

    def clean_file(self):
        """The size and the kind of file; its rows are read by the background preview."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20},
                code="too_large",
            )
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        try:
            spreadsheet_kind(head)
        except UnreadableSpreadsheet as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_list") and cleaned.get("new_list", "").strip():
            raise forms.ValidationError(
                _("Choose an existing list or name a new one, not both."), code="two_lists"
            )
        return cleaned


class JournalistHistoryInline(admin.TabularInline):
    """Base of what other areas show on a journalist's page (mailings received, badge
    requests): their rows, read only. Subclasses add themselves to JournalistAdmin.inlines."""

    fk_name = "journalist"
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JournalistForm(forms.ModelForm):
    """The phone, stored in E.164, is edited grouped as people write it; the same number
    typed another way is no change (nor in the record's history)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_phone = self.instance.phone
        if self.instance.pk and "phone" in self.fields:
            self.initial["phone"] = phone_editable(self.stored_phone)

    @cached_property
    def changed_data(self):
        changed = super().changed_data
        if "phone" in changed:
            typed = self.data.get(self.add_prefix("phone"), "")
            country = self.data.get(self.add_prefix("country"), "")
            if phone_normalise(typed, country=country) == self.stored_phone:
                changed = [name for name in changed if name != "phone"]
        return changed


@admin.register(Journalist)
class JournalistAdmin(OfficeAdmin):
    add_title = gettext_lazy("New journalist")
    form = JournalistForm
    # Name and address share a cell, so do outlet and country, and the language is its
    # code: the list fits a laptop screen with the side navigation open.
    list_display = ["journalist_column", "outlet_column", "language_code", "mailing_status"]
    list_select_related = ["outlet"]
    search_fields = ["first_name", "last_name", "email", "outlet__name"]
    search_help_text = gettext_lazy(
        "Name, address or outlet; a word of one or two letters matches their start."
    )
    # Erased journalists (an anonymous number each) after everyone else; the index
    # journalist_list_order (PostgreSQL) serves this order.
    ordering = [F("erased_at").asc(nulls_first=True), "last_name", "first_name", "pk"]
    show_full_result_count = False
    list_filter = [CountryFilter, "language", "outlet__kind", "lists", SuppressedFilter]
    # Lists are one field (not an inline of memberships): one query however many.
    autocomplete_fields = ["outlet", "lists"]
    inlines = []
    actions = ["add_to_list", "remove_from_list", "export_selected"]
    action_form = JournalistActionForm
    change_list_template = "contacts/admin/journalist_change_list.html"
    change_form_template = "contacts/admin/journalist_change_form.html"
    readonly_fields = [
        "source",
        "consent_basis",
        "consent_at",
        "subscribed_at",
        "suppressed_at",
        "suppression_reason",
        "erased_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "phone", "language", "lists"]}),
        (
            gettext_lazy("Work"),
            {"fields": ["outlet", "job_title", "beats", "country", "city", "notes"]},
        ),
        (
            gettext_lazy("What they receive"),
            {
                "fields": ["wants_releases", "wants_invitations", "topics"],
                "description": gettext_lazy(
                    "The journalist's own choices, from the newsroom subscription or the "
                    "preference page of any email; change them only at their request."
                ),
            },
        ),
        (
            gettext_lazy("Consent and mailing status"),
            {
                "fields": [
                    "source",
                    "consent_basis",
                    "consent_at",
                    "subscribed_at",
                    "suppressed_at",
                    "suppression_reason",
                    "erased_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description=gettext_lazy("journalist"), ordering="last_name")
    def journalist_column(self, journalist):
        return format_html('{}<br><span class="quiet">{}</span>', str(journalist), journalist.email)

    @admin.display(description=gettext_lazy("outlet"), ordering="outlet__name")
    def outlet_column(self, journalist):
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            journalist.outlet.name if journalist.outlet else "—",
            country_name(journalist),
        )

    @admin.display(description=gettext_lazy("lang."), ordering="language")
    def language_code(self, journalist):
        return format_html(
            '<abbr title="{}">{}</abbr>',
            journalist.get_language_display(),
            journalist.language.upper(),
        )

    @admin.display(description=gettext_lazy("mailing status"))
    def mailing_status(self, journalist):
        if journalist.erased_at:
            return _("Erased")
        if journalist.suppressed_at:
            return journalist.get_suppression_reason_display()
        return _("Mailable")

    def get_search_results(self, request, queryset, search_term):
        """Every word must match a first name, last name, address or outlet name: words
        of three letters or more anywhere (trigram indexes serve this on PostgreSQL),
        shorter ones at the start. Outlets are matched first in their own small table,
        so the journalists are searched through their indexes, never joined and scanned."""
        for word in smart_split(search_term):
            word = unescape_string_literal(word) if word[0] in "\"'" else word
            lookup = "icontains" if len(word) >= SEARCH_ANYWHERE_FROM else "istartswith"
            outlets = list(
                Outlet.objects.filter(**{f"name__{lookup}": word}).values_list("pk", flat=True)
            )
            matches = Q(outlet_id__in=outlets) if outlets else Q(pk__in=[])
            for name in ("first_name", "last_name", "email"):
                matches |= Q(**{f"{name}__{lookup}": word})
            queryset = queryset.filter(matches)
        return queryset, False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.erased_at:
            # An erased journalist is an anonymous statistic: nothing to edit.
            return [
                *(field.name for field in self.opts.fields if field.editable),
                "lists",
                *self.readonly_fields,
            ]
        return self.readonly_fields

    # Deleting a journalist would forget that they must not be mailed again and leave
    # their address on past deliveries: removal always goes through erasure instead.
    def delete_view(self, request, object_id, extra_context=None):
        # Deleting a journalist is erasing them (GDPR), for those who may delete.
        if not self.has_delete_permission(request):
            raise PermissionDenied
        return redirect("admin:contacts_journalist_erase", pk=object_id)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        if not change:
            # Entered by hand: a professional contact, on legitimate interest, recorded now.
            obj.source = ContactSource.MANUAL
            obj.consent_at = now
        # An address an erasure left on the suppression list is never mailable again.
        suppression_inherit(obj, at=now)
        super().save_model(request, obj, form, change)

    # Bulk actions -------------------------------------------------------------

    def _chosen_list(self, request):
        form = self.action_form(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        contact_list = form.cleaned_data.get("contact_list") if form.is_valid() else None
        if contact_list is None:
            self.message_user(request, _("Choose a list first."), messages.ERROR)
        return contact_list

    def _change_membership(self, request, queryset, change, message) -> None:
        contact_list = self._chosen_list(request)
        if contact_list is None:
            return
        count = change(contact_list=contact_list, journalists=queryset)
        self.message_user(
            request, message(count) % {"count": count, "list": contact_list}, messages.SUCCESS
        )

    @admin.action(description=gettext_lazy("Add to list"), permissions=["change"])
    def add_to_list(self, request, queryset):
        self._change_membership(
            request,
            queryset,
            list_add_journalists,
            lambda count: ngettext(
                "%(count)s journalist added to “%(list)s”.",
                "%(count)s journalists added to “%(list)s”.",
                count,
            ),
        )

    @admin.action(description=gettext_lazy("Remove from list"), permissions=["change"])
    def remove_from_list(self, request, queryset):
        self._change_membership(
            request,
            queryset,
            list_remove_journalists,
            lambda count: ngettext(
                "%(count)s journalist removed from “%(list)s”.",
                "%(count)s journalists removed from “%(list)s”.",
                count,
            ),
        )

    def has_export_permission(self, request) -> bool:
        """Exports carry personal data: press officers only (see press.permissions)."""
        return request.user.has_perm("contacts.export_journalist")

    @admin.action(description=gettext_lazy("Export selected to xlsx"), permissions=["export"])
    def export_selected(self, request, queryset):
        return journalists_export_response(queryset=queryset, filename=_export_filename())

    # Extra pages ----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="contacts_journalist_import"),
            path(
                "import/<int:pk>/apply/",
                view(self.import_apply_view),
                name="contacts_journalist_import_apply",
            ),
            path(
                "import/<int:pk>/cancel/",
                view(self.import_cancel_view),
                name="contacts_journalist_import_cancel",
            ),
            path(
                "import/<int:pk>/",
                view(self.import_status_view),
                name="contacts_journalist_import_status",
            ),
            path("export/", view(self.export_view), name="contacts_journalist_export"),
            path(
                "<int:pk>/personal-data/",
                view(self.personal_data_view),
                name="contacts_journalist_personal_data",
            ),
            path("<int:pk>/erase/", view(self.erase_view), name="contacts_journalist_erase"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The journalists the change list shows now: its search and filters."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect("admin:contacts_journalist_changelist")
        queryset = changelist.get_queryset(request)
        return journalists_export_response(queryset=queryset, filename=_export_filename())

    def _can_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **extra,
        }

    def import_view(self, request):
        """Upload; the file is kept in private storage and previewed in the background,
        on the import's status page. Nothing is written to the media file yet."""
        if not self._can_import(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            contact_import_forget_stale()
            path = storages["private"].save(f"{UPLOADS}/{secrets.token_urlsafe(24)}", upload)
            contact_import = contact_import_queue(
                file_path=path,
                file_name=upload.name,
                contact_list=form.cleaned_data["contact_list"],
                list_name=form.cleaned_data["new_list"].strip(),
                by=request.user,
                language=get_language(),
            )
            return redirect("admin:contacts_journalist_import_status", pk=contact_import.pk)
        context = self._context(request, _("Import journalists"), form=form)
        return TemplateResponse(request, "contacts/admin/import_form.html", context)

    def _import_step(self, request, pk, step, done_message):
        if not self._can_import(request):
            raise PermissionDenied
        contact_import = get_object_or_404(ContactImport, pk=pk)
        if request.method != "POST":
            return redirect("admin:contacts_journalist_import_status", pk=pk)
        try:
            step(contact_import)
        except ContactError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            if done_message:
                self.message_user(request, done_message, messages.SUCCESS)
        return redirect("admin:contacts_journalist_import_status", pk=pk)

    def import_apply_view(self, request, pk):
        """Apply a previewed import; it runs in the background."""
        return self._import_step(
            request,
            pk,
            lambda contact_import: contact_import_confirm(
                contact_import=contact_import, by=request.user
            ),
            "",
        )

    def import_cancel_view(self, request, pk):
        """Drop a preview that will not be applied."""

        return self._import_step(
            request,
            pk,
            lambda contact_import: contact_import_cancel(
                contact_import=contact_import, by=request.user
            ),
            _("The preview was dropped; nothing was imported."),
        )

    def import_status_view(self, request, pk):
        """How far an import got: its preview and the button to apply it, its progress
        (the page reloads itself while it runs), then what it did."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        contact_import = get_object_or_404(
            ContactImport.objects.select_related("created_by"), pk=pk
        )
        context = self._context(
            request,
            _("Import of “%(name)s”") % {"name": contact_import.file_name},
            contact_import=contact_import,
            # Reports kept before new outlets were counted list them all.
            report={
                "new_outlet_count": len(contact_import.report.get("new_outlets", ())),
                **contact_import.report,
            },
            refresh_seconds=STATUS_REFRESH_SECONDS,
            can_apply=(
                contact_import.state == ImportState.PREVIEWED
                and contact_import.created_by_id == request.user.pk
                and self._can_import(request)
            ),
        )
        return TemplateResponse(request, "contacts/admin/import_status.html", context)

    def personal_data_view(self, request, pk):
        """Everything held about one journalist, as one JSON file (subject access)."""
        journalist = get_object_or_404(Journalist.objects.select_related("outlet"), pk=pk)
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = journalist_export_personal_data(journalist=journalist)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="journalist-{pk}.json"'
        return response

    def erase_view(self, request, pk):
        """Confirm, then erase (GDPR). Needs the delete permission."""
        journalist = get_object_or_404(Journalist, pk=pk)
        if not self.has_delete_permission(request, journalist):
            raise PermissionDenied
        change_url = reverse("admin:contacts_journalist_change", args=[pk])
        if request.method == "POST":
            try:
                journalist_erase(journalist=journalist, by=request.user)
            except ContactError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The journalist was erased; their address is kept only as a hash."),
                    messages.SUCCESS,
                )
            return redirect(change_url)
        context = self._context(
            request, _("Erase a journalist"), journalist=journalist, change_url=change_url
        )
        return TemplateResponse(request, "contacts/admin/journalist_erase.html", context)


def _export_filename() -> str:
    return f"journalists-{timezone.localdate():%Y-%m-%d}.xlsx"


@admin.register(ContactImport)
class ContactImportAdmin(OfficeAdmin):
    """The record of imports applied from the back office: read-only."""

    list_display = ["file_name", "state", "summary", "created_by", "created_at", "report_link"]
    list_filter = ["state"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("result"))
    def summary(self, contact_import):
        if not contact_import.counts:
            return "—"
        return (
            _(
                "created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, "
                "refused: %(refused)s"
            )
            % contact_import.counts
        )

    @admin.display(description=gettext_lazy("report"))
    def report_link(self, contact_import):
        url = reverse("admin:contacts_journalist_import_status", args=[contact_import.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


@admin.register(Suppression)
class SuppressionAdmin(OfficeAdmin):
    """Hashes written by erasures, bounces and unsubscriptions: looked up, never typed
    in, changed or deleted, by anyone (superusers included). Deleting one would make an
    erased or unsubscribed address mailable again at the next import; a journalist's
    own confirmed subscription is the only way back."""

    list_display = ["email_hash", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        """Staff search by address: the hash of what they type is looked up."""
        if "@" in search_term:
            return queryset.filter(email_hash=email_digest(search_term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Subscription)
class SubscriptionAdmin(OfficeAdmin):
    """The newsroom's subscriptions as they were asked and confirmed: the record of each
    consent (when, which text). Read only: they are the journalists' own acts."""

    list_display = ["email", "outlet_name", "language", "created_at", "confirmed_at"]
    list_filter = ["language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "last_name", "outlet_name"]
    date_hierarchy = "created_at"
    list_select_related = ["journalist"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
