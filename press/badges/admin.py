"""Badges in the back office: who has one, which are printed, printing a selection as
one PDF (after a warning for those already printed), a new code on request."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from press.badges.enums import BadgeState
from press.badges.errors import BadgeError
from press.badges.forms import PrintSelectedForm
from press.badges.issuing import badge_replace
from press.badges.models import Badge, BadgePrint
from press.badges.printing import LAYOUT_A4_4UP, LAYOUT_A6
from press.badges.views import can_print, print_or_confirm
from press.core.admin import OfficeAdmin


class PrintedFilter(admin.SimpleListFilter):
    title = _("printing")
    parameter_name = "printed"

    def lookups(self, request, model_admin):
        return [("no", _("Not printed")), ("yes", _("Printed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(printed_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(printed_at__isnull=False)
        return queryset


class BadgePrintInline(admin.TabularInline):
    model = BadgePrint
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "by", "reprint")
    verbose_name_plural = _("printings")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Badge)
class BadgeAdmin(OfficeAdmin):
    list_display = [
        "name",
        "outlet",
        "role",
        "event",
        "state",
        "created_at",
        "printed_at",
        "printed_by",
    ]
    list_filter = [PrintedFilter, "state", "badge_request__role", "badge_request__event"]
    list_select_related = ["badge_request__event", "printed_by"]
    search_fields = [
        "badge_request__first_name",
        "badge_request__last_name",
        "badge_request__outlet_name",
    ]
    change_list_template = "admin/badges/badge/change_list.html"
    actions = ["print_a6", "print_a4", "replace_code"]
    inlines = [BadgePrintInline]
    fields = readonly_fields = (
        "badge_request",
        "state",
        "created_at",
        "ended_at",
        "ended_by",
        "printed_at",
        "printed_by",
    )

    def has_add_permission(self, request):
        # Badges are issued by approving a request.
        return False

    def has_delete_permission(self, request, obj=None):
        # A badge is replaced or revoked, never deleted: its code must keep answering.
        return False

    def has_print_permission(self, request: HttpRequest) -> bool:
        return can_print(request.user)

    def changelist_view(self, request, extra_context=None):
        context = {"can_print": can_print(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    @admin.display(description=_("name"), ordering="badge_request__last_name")
    def name(self, obj: Badge) -> str:
        return f"{obj.badge_request.last_name.upper()} {obj.badge_request.first_name}"

    @admin.display(description=_("outlet"), ordering="badge_request__outlet_name")
    def outlet(self, obj: Badge) -> str:
        return obj.badge_request.outlet_name

    @admin.display(description=_("role"), ordering="badge_request__role")
    def role(self, obj: Badge) -> str:
        return obj.badge_request.get_role_display()

    @admin.display(description=_("event"), ordering="badge_request__event")
    def event(self, obj: Badge) -> str:
        return str(obj.badge_request.event)

    def _print(self, request: HttpRequest, queryset: QuerySet, layout: str) -> HttpResponseBase:
        form = PrintSelectedForm(
            {
                "badge": [str(pk) for pk in queryset.values_list("pk", flat=True)],
                "layout": layout,
            }
        )
        return print_or_confirm(request, form)

    @admin.action(description=_("Print selected badges (one per A6 page)"), permissions=["print"])
    def print_a6(self, request, queryset):
        return self._print(request, queryset, LAYOUT_A6)

    @admin.action(description=_("Print selected badges (four per A4 sheet)"), permissions=["print"])
    def print_a4(self, request, queryset):
        return self._print(request, queryset, LAYOUT_A4_4UP)

    @admin.action(
        description=_("Issue a new code (the old one answers “replaced”)"), permissions=["change"]
    )
    def replace_code(self, request, queryset):
        done = 0
        for badge in queryset.filter(state=BadgeState.ACTIVE).select_related("badge_request"):
            try:
                badge_replace(badge_request=badge.badge_request, by=request.user)
            except BadgeError as error:
                messages.error(request, f"{badge.badge_request.full_name}: {error.message}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)s badge has a new code; print it again.",
                    "%(count)s badges have a new code; print them again.",
                    done,
                )
                % {"count": done},
            )
