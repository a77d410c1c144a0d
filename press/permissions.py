"""The staff groups and what each may do: one place for the back office's roles.

Groups are rebuilt after every migrate, so a model added later lands in the right
groups without a data migration. Each new area adds its app label to OFFICE_APPS and
its models to the sets below.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_noop

PRESS_OFFICER = gettext_noop("Press officer")
ACCREDITATION_REVIEWER = gettext_noop("Accreditation reviewer")
CHECKIN_DESK = gettext_noop("Check-in desk")
VIEWER = gettext_noop("Viewer")

# Apps (labels) whose models make up the press office's data, one per area.
OFFICE_APPS = {
    "contacts",
    "events",
    "releases",
    "mailings",
    "accreditation",
    "badges",
    "checkin",
    "dashboard",
    "coverage",
}
# Models (app_label.model) an accreditation reviewer works on in full.
REVIEWER_MODELS: set[str] = {"accreditation.badgerequest", "accreditation.fieldvisit"}
# Models a reviewer may look at without changing them.
REVIEWER_READS: set[str] = {
    "events.event",
    "contacts.outlet",
    "accreditation.badgerequesttransition",
    "accreditation.badgerequestemail",
    "accreditation.accreditationsettings",
    "badges.badge",
    "badges.badgeprint",
}
# Custom permissions (app_label.codename) by group, beyond the model sets. A viewer gets
# only `view_*` permissions: identity documents (press cards, letters) and spreadsheets
# of personal data are for press officers (who hold every permission) and reviewers.
EXTRA_PERMISSIONS = {
    ACCREDITATION_REVIEWER: {
        "badges.print_badge",
        "accreditation.open_identity_documents",
        "accreditation.export_badgerequest",
    },
    CHECKIN_DESK: {"events.check_in_badge"},
}
# The app whose post_migrate signal rebuilds the groups, once per migrate (Django sends
# post_migrate only for apps that have models).
SYNC_AFTER_APP = "events"


def _office_permissions():
    return Permission.objects.filter(content_type__app_label__in=OFFICE_APPS).select_related(
        "content_type"
    )


def _key(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.content_type.model}"


def _codename(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def group_permissions() -> dict[str, list]:
    """What each staff group may do, computed from the models that exist now."""
    office = list(_office_permissions())
    extras = {group: set(codes) for group, codes in EXTRA_PERMISSIONS.items()}
    return {
        PRESS_OFFICER: office,
        ACCREDITATION_REVIEWER: [
            p
            for p in office
            if _key(p) in REVIEWER_MODELS
            or (_key(p) in REVIEWER_READS and p.codename.startswith("view_"))
            or _codename(p) in extras[ACCREDITATION_REVIEWER]
        ],
        CHECKIN_DESK: [p for p in office if _codename(p) in extras[CHECKIN_DESK]],
        VIEWER: [p for p in office if p.codename.startswith("view_")],
    }


def sync_staff_groups(sender=None, using="default", **kwargs):
    """Create the staff groups and set their permissions (post_migrate receiver)."""
    if sender is not None and sender.label != SYNC_AFTER_APP:
        return
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for name, permissions in group_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def staff_has_permission(user, permission: str) -> bool:
    """Whether an active staff member holds `permission` ("app_label.codename"), given
    to them or to one of their groups: what ModelBackend.has_perm answers (our other
    backend, django-axes', grants nothing), in one query instead of its two, and none
    for a superuser or for a user whose permissions this request already loaded. The
    answer is kept on the user object for the rest of the request."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_staff_permissions_known", None)
    if known is None:
        known = user._staff_permissions_known = {}
    if permission in known:
        return known[permission]
    if hasattr(user, "_perm_cache"):
        allowed = user.has_perm(permission)
    else:
        app_label, codename = permission.split(".", 1)
        held = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        allowed = held.filter(Q(user=user) | Q(group__user=user)).exists()
    known[permission] = allowed
    return allowed
