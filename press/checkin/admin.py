"""Check-in in the back office: the logs of check-ins and scans (read only: they are
what happened), and holds, which a press officer resolves."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from press.checkin.models import CheckIn, Hold, Scan
from press.checkin.scanning import CheckinError, checkin_hold_resolve
from press.core.admin import OfficeAdmin


class ReadOnlyLogAdmin(OfficeAdmin):
    """A log: listed and opened, never written by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyLogAdmin):
    list_display = ["badge_request", "day", "at", "desk", "by", "offline"]
    list_filter = ["day", "offline", "badge_request__event"]
    search_fields = ["badge_request__first_name", "badge_request__last_name", "desk"]
    list_select_related = ["badge_request", "by"]
    date_hierarchy = "at"


@admin.register(Scan)
class ScanAdmin(ReadOnlyLogAdmin):
    list_display = [
        "at",
        "code",
        "badge_request",
        "result",
        "held",
        "desk",
        "by",
        "offline",
        "conflict",
    ]
    list_filter = ["result", "conflict", "offline", "held", "badge_request__event"]
    search_fields = ["code", "badge_request__first_name", "badge_request__last_name", "desk"]
    list_select_related = ["badge_request", "by"]
    date_hierarchy = "at"


@admin.register(Hold)
class HoldAdmin(OfficeAdmin):
    list_display = ["badge_request", "note", "desk", "created_at", "created_by", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "badge_request__event"]
    search_fields = ["badge_request__first_name", "badge_request__last_name", "note"]
    list_select_related = ["badge_request", "created_by"]
    readonly_fields = [
        "badge_request",
        "note",
        "desk",
        "created_at",
        "created_by",
        "resolved_at",
        "resolved_by",
        "resolution",
    ]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Resolve: the journalist may be checked in"), permissions=["change"]
    )
    def resolve(self, request, queryset):
        done = 0
        for held in queryset:
            try:
                checkin_hold_resolve(hold=held, by=request.user)
            except CheckinError as error:
                self.message_user(request, f"{held.badge_request}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d hold resolved.", "%(count)d holds resolved.", done)
                % {"count": done},
                messages.SUCCESS,
            )
