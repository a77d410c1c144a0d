"""Every URL of the project, asked by everyone who may come: anonymous, a journalist
holding a token, and each staff role, against ONE table of what each may do.

The URL patterns are walked from the root resolver (includes and the admin included),
so a new page that is not in the table fails `test_every_url_answers_as_the_table_says`
with its name. Allowed means an answer that is not a refusal (2xx, a redirect somewhere
other than the login page, or a refusal of the input such as 400); refused means a
redirect to the login page, 401, 403 or 404. A 5xx is always a failure. A page that
refuses GET (405) is asked again with an empty POST.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation

from contacts.models import ContactImport, Subscription, Suppression, email_digest
from press import permissions
from press.accreditation.models import AccreditationSettings
from press.badges.models import Badge
from press.checkin.models import CheckIn, Hold, Scan
from press.mailings.enums import MailingKind, MailingState
from press.releases.models import ReleaseAccess, Topic
from tests.factories import (
    ContactListFactory,
    EventFactory,
    JournalistFactory,
    UserFactory,
)
from tests.factories.accreditation import BadgeRequestFactory, FieldVisitFactory
from tests.factories.coverage import CoverageInvitationFactory, CoverageItemFactory
from tests.factories.mailings import DeliveryFactory, MailingFactory, bilingual_release
from tests.factories.releases import (
    AttachmentFactory,
    BoilerplateFactory,
    PressContactFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db

# Who asks. The communications lead holds the superuser account.
ANONYMOUS, LEAD, OFFICER, REVIEWER, DESK, VIEWER = (
    "anonymous",
    "lead",
    "officer",
    "reviewer",
    "desk",
    "viewer",
)
ROLES = (ANONYMOUS, DESK, VIEWER, REVIEWER, OFFICER, LEAD)
GROUPS = {
    OFFICER: permissions.PRESS_OFFICER,
    REVIEWER: permissions.ACCREDITATION_REVIEWER,
    DESK: permissions.CHECKIN_DESK,
    VIEWER: permissions.VIEWER,
}

EVERYONE = frozenset(ROLES)
STAFF = frozenset({LEAD, OFFICER, REVIEWER, DESK, VIEWER})
NOBODY: frozenset[str] = frozenset()
ONLY_LEAD = frozenset({LEAD})
OFFICE = frozenset({LEAD, OFFICER})
READERS = frozenset({LEAD, OFFICER, VIEWER})
REVIEW = frozenset({LEAD, OFFICER, REVIEWER})
REVIEW_READERS = frozenset({LEAD, OFFICER, REVIEWER, VIEWER})
AT_THE_DESK = frozenset({LEAD, OFFICER, DESK})


@dataclass(frozen=True)
class Token:
    """A page opened by a journalist's personal link: whoever holds the token of this
    kind gets in (a staff session adds nothing), any other token is refused."""

    kind: str


# ---------------------------------------------------------------------------------------
# THE TABLE: every URL pattern of the project, by name (or by route when it has none).
# ---------------------------------------------------------------------------------------

PAGES: dict[str, frozenset[str] | Token] = {
    # Public site and plumbing.
    "healthz": EVERYONE,
    "sitemap": EVERYONE,
    "^media/(?P<path>.*)$": EVERYONE,
    "newsroom:index": EVERYONE,
    "newsroom:feed": EVERYONE,
    "newsroom:release": EVERYONE,
    "newsroom:media_kit": EVERYONE,
    "newsroom:attachment": EVERYONE,
    "newsroom:contact_card": EVERYONE,
    "newsroom:subscribe": EVERYONE,
    "newsroom:subscribe_sent": EVERYONE,
    "accreditation:request": EVERYONE,
    "accreditation:submitted": EVERYONE,
    "accreditation:privacy": EVERYONE,
    # Journalists' personal links.
    "newsroom:personal": Token("release_access"),
    "newsroom:subscribe_confirm": Token("subscription"),
    "newsroom:personal_attachment": Token("release_access"),
    "newsroom:personal_media_kit": Token("release_access"),
    "accreditation:status": Token("status"),
    "accreditation:withdraw": Token("status"),
    "mailings:unsubscribe": Token("unsubscribe"),
    "coverage:submit": Token("coverage"),
    # Private files: a press card is for the press office and reviewers only.
    "badge_request_file": REVIEW,
    # Back-office pages beside the admin.
    "badges:print": REVIEW,
    "badges:print_selected": REVIEW,
    "checkin:scan": AT_THE_DESK,
    "checkin:hold": AT_THE_DESK,
    "checkin:search": AT_THE_DESK,
    "checkin:desk": AT_THE_DESK,
    "checkin:language": AT_THE_DESK,
    "checkin:photo": AT_THE_DESK,
    "checkin:day_list": AT_THE_DESK,
    "checkin:sync": AT_THE_DESK,
    "checkin:lists": AT_THE_DESK,
    "checkin:manifest": AT_THE_DESK,
    "checkin:service_worker": AT_THE_DESK,
    "dashboard:index": STAFF,  # each sees the sections of their own permissions
    "dashboard:chart": REVIEW_READERS,  # badge requests by state
    "dashboard:funnels": READERS,
    # The admin's own pages.
    "admin/": STAFF,  # the desk lands on its page, the others on the index
    "admin:index": STAFF,
    "admin:login": EVERYONE,
    "admin:logout": EVERYONE,
    "admin:jsi18n": STAFF,
    "admin:password_change": STAFF,
    "admin:password_change_done": STAFF,
    "admin:auth_user_password_change": ONLY_LEAD,
    "admin:autocomplete": REVIEW_READERS,  # a journalist's outlet: reviewers see outlets
    "admin:view_on_site": STAFF,
    "admin:app_list": REVIEW_READERS,  # the media file (contacts): reviewers see outlets
    "admin/(?P<url>.*)$": NOBODY,  # an unknown admin address
    # Custom admin pages.
    "admin:contacts_journalist_import": OFFICE,
    "admin:contacts_journalist_import_apply": OFFICE,
    "admin:contacts_journalist_import_cancel": OFFICE,
    "admin:contacts_journalist_import_status": READERS,
    "admin:contacts_journalist_export": OFFICE,
    "admin:contacts_journalist_personal_data": OFFICE,
    "admin:contacts_journalist_erase": OFFICE,
    "admin:releases_release_preview": READERS,
    "admin:releases_release_schedule": OFFICE,
    "admin:releases_release_transition": OFFICE,
    "admin:mailings_mailing_preview": READERS,
    "admin:mailings_mailing_test": OFFICE,
    "admin:mailings_mailing_send": OFFICE,
    "admin:mailings_mailing_cancel": OFFICE,
    "admin:mailings_mailing_resume": OFFICE,
    "admin:mailings_mailing_resend": OFFICE,
    "admin:mailings_mailing_status": READERS,
    "admin:mailings_mailing_report": READERS,
    "admin:mailings_mailing_export": OFFICE,
    "admin:mailings_mailing_count": OFFICE,  # the live recipient count of the form
    "admin:accreditation_badgerequest_decide": REVIEW,
    "admin:accreditation_badgerequest_reuse": REVIEW,
    "admin:accreditation_badgerequest_selection": REVIEW,
    "admin:accreditation_badgerequest_export": REVIEW,
    "admin:accreditation_badgerequest_invitations": REVIEW_READERS,
    "admin:accreditation_badgerequest_remind": OFFICE,
    "admin:coverage_coverageitem_paste": OFFICE,
    "admin:coverage_coverageitem_import": OFFICE,
    "admin:coverage_coverageitem_ask": READERS,  # who would be asked; sending is POST
    "admin:coverage_coverageitem_report": READERS,
    "admin:coverage_coverageitem_export": READERS,
    "admin:coverage_coverageitem_clipping": READERS,
}


@dataclass(frozen=True)
class Model:
    """Who may list and open (view), add, and delete a model's rows in the admin. The
    change page follows "view" (read-only for those who may not change), and so does
    the history."""

    view: frozenset[str]
    add: frozenset[str]
    delete: frozenset[str]


ADMIN_MODELS: dict[str, Model] = {
    "auth.group": Model(view=ONLY_LEAD, add=ONLY_LEAD, delete=ONLY_LEAD),
    "auth.user": Model(view=ONLY_LEAD, add=ONLY_LEAD, delete=ONLY_LEAD),
    "django_tasks_database.dbtaskresult": Model(view=ONLY_LEAD, add=NOBODY, delete=NOBODY),
    "axes.accessattempt": Model(view=ONLY_LEAD, add=NOBODY, delete=ONLY_LEAD),
    "axes.accesslog": Model(view=ONLY_LEAD, add=NOBODY, delete=ONLY_LEAD),
    "axes.accessfailurelog": Model(view=ONLY_LEAD, add=NOBODY, delete=ONLY_LEAD),
    "contacts.outlet": Model(view=REVIEW_READERS, add=OFFICE, delete=OFFICE),
    "contacts.contactlist": Model(view=READERS, add=OFFICE, delete=OFFICE),
    "contacts.journalist": Model(view=READERS, add=OFFICE, delete=OFFICE),
    "contacts.contactimport": Model(view=READERS, add=NOBODY, delete=OFFICE),
    # Erasure is final: nobody deletes a suppression.
    "contacts.suppression": Model(view=READERS, add=NOBODY, delete=NOBODY),
    # The record of each consent: the journalists' own acts, read-only.
    "contacts.subscription": Model(view=READERS, add=NOBODY, delete=NOBODY),
    "events.event": Model(view=REVIEW_READERS, add=OFFICE, delete=OFFICE),
    "releases.release": Model(view=READERS, add=OFFICE, delete=OFFICE),
    "releases.presscontact": Model(view=READERS, add=OFFICE, delete=OFFICE),
    "releases.boilerplate": Model(view=READERS, add=OFFICE, delete=OFFICE),
    "releases.topic": Model(view=READERS, add=OFFICE, delete=OFFICE),
    # A mailing that went out is part of the record (a draft may be deleted).
    "mailings.mailing": Model(view=READERS, add=OFFICE, delete=NOBODY),
    "accreditation.badgerequest": Model(view=REVIEW_READERS, add=NOBODY, delete=NOBODY),
    "accreditation.fieldvisit": Model(view=REVIEW_READERS, add=REVIEW, delete=REVIEW),
    "accreditation.accreditationsettings": Model(view=REVIEW_READERS, add=OFFICE, delete=OFFICE),
    "badges.badge": Model(view=REVIEW_READERS, add=NOBODY, delete=NOBODY),
    # Logs of the desk: read-only for everyone.
    "checkin.checkin": Model(view=READERS, add=NOBODY, delete=NOBODY),
    "checkin.scan": Model(view=READERS, add=NOBODY, delete=NOBODY),
    "checkin.hold": Model(view=READERS, add=NOBODY, delete=NOBODY),
    "coverage.coverageitem": Model(view=READERS, add=OFFICE, delete=OFFICE),
}


def _admin_pages() -> dict[str, frozenset[str]]:
    """The table's admin models as the URL names and routes the admin gives them."""
    pages: dict[str, frozenset[str]] = {}
    for label, model in ADMIN_MODELS.items():
        app, name = label.split(".")
        prefix = f"admin:{app}_{name}"
        pages.update(
            {
                f"{prefix}_changelist": model.view,
                f"{prefix}_add": model.add,
                f"{prefix}_change": model.view,
                f"{prefix}_history": model.view,
                f"{prefix}_delete": model.delete,
                # /admin/<app>/<model>/<id>/ redirects any staff member to the change page.
                f"admin/{app}/{name}/<path:object_id>/": STAFF,
            }
        )
    return pages


TABLE: dict[str, frozenset[str] | Token] = {**PAGES, **_admin_pages()}


# ---------------------------------------------------------------------------------------
# Walking the URL patterns and filling their parameters.
# ---------------------------------------------------------------------------------------


@dataclass
class Pattern:
    key: str  # the table key: the name, or the route of an unnamed pattern
    name: str  # the full name to reverse, "" when the pattern has none
    route: str
    parameters: list[str]


def _patterns(resolvers, prefix="", namespace="") -> list[Pattern]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found.extend(_patterns(entry.url_patterns, prefix + str(entry.pattern), inner))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            parameters = list(entry.pattern.regex.groupindex)
            found.append(Pattern(name or route, name, route, parameters))
    return found


def url_patterns() -> list[Pattern]:
    with translation.override("en"):
        return _patterns(get_resolver().url_patterns)


class World:
    """One real row of everything a URL can point to, and a journalist's tokens."""

    def __init__(self, media_root):
        self.event = EventFactory(
            starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=2)
        )
        AccreditationSettings.objects.get_or_create(event=self.event)
        self.settings = AccreditationSettings.objects.get(event=self.event)
        self.journalist = JournalistFactory()
        self.contact_list = ContactListFactory()
        self.release = bilingual_release()
        self.version = self.release.versions.get(language="en")
        self.attachment = AttachmentFactory(release=self.release)
        self.press_contact = PressContactFactory()
        self.release.contacts.add(self.press_contact)
        # The back office's pages act on rows of their own (archiving, sending…), so that
        # the public pages keep a published release to show.
        self.office_release = bilingual_release()
        # Sent: its pages only report, and nothing sends it again.
        self.office_mailing = MailingFactory(
            release=self.office_release, state=MailingState.SENT, finished_at=timezone.now()
        )
        DeliveryFactory(mailing=self.office_mailing, journalist=JournalistFactory())
        self.boilerplate = BoilerplateFactory()
        self.topic = Topic.objects.create(name={"fr": "Sécurité", "en": "Safety"}, slug="safety")
        self.mailing = MailingFactory(release=self.release)
        self.delivery = DeliveryFactory(mailing=self.mailing, journalist=self.journalist)
        self.invitation = DeliveryFactory(
            mailing=MailingFactory(kind=MailingKind.INVITATION, release=None, event=self.event),
            journalist=self.journalist,
        )
        self.release_access = ReleaseAccess.objects.create(
            release=self.release, journalist=self.journalist, email=self.journalist.email
        )
        self.badge_request = BadgeRequestFactory(
            event=self.event, journalist=self.journalist, state="approved"
        )
        self.field_visit = FieldVisitFactory(event=self.event)
        self.badge = Badge.objects.create(badge_request=self.badge_request)
        self.check_in = CheckIn.objects.create(
            badge_request=self.badge_request,
            badge=self.badge,
            day=timezone.localdate(),
            at=timezone.now(),
        )
        self.scan = Scan.objects.create(code=self.badge.code, result="ok", badge=self.badge)
        self.hold = Hold.objects.create(badge_request=self.badge_request, note="ID?")
        self.coverage_item = CoverageItemFactory(
            event=self.event, journalist=self.journalist, clipping=pdf_file("clipping.pdf")
        )
        self.coverage_invitation = CoverageInvitationFactory(
            event=self.event, journalist=self.journalist
        )
        self.contact_import = ContactImport.objects.create(file_name="media.xlsx", language="en")
        self.suppression = Suppression.objects.create(
            email_hash=email_digest("gone@media.example"), reason="erased"
        )
        self.subscription = Subscription.objects.create(
            email="subscriber@media.example",
            language="en",
            consent_version="test",
            token="subscription-token-" + "x" * 30,
        )
        self.user = UserFactory(username="someone")
        self.group = Group.objects.get(name=permissions.VIEWER)
        (media_root / "probe.txt").parent.mkdir(parents=True, exist_ok=True)
        (media_root / "probe.txt").write_text("public")
        self.tokens = {
            "release_access": self.release_access.token,
            "status": self.badge_request.token,
            "unsubscribe": self.delivery.unsubscribe_token,
            "coverage": self.coverage_invitation.token,
            "invitation": self.invitation.token,
            "subscription": self.subscription.token,
        }

    def admin_object(self, pattern: Pattern):
        """The row an admin URL of `pattern` is about."""
        parts = pattern.name.removeprefix("admin:").rsplit("_", 1)[0]
        if not pattern.name:  # /admin/<app>/<model>/<id>/
            app, model = pattern.route.split("/")[1:3]
        else:
            app, model = self._split(parts)
        return self.rows()[f"{app}.{model}"]

    def _split(self, app_model: str) -> tuple[str, str]:
        for label in ADMIN_MODELS:
            app, model = label.split(".")
            if app_model == f"{app}_{model}":
                return app, model
        raise LookupError(app_model)

    def rows(self) -> dict:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django_tasks_db.models import DBTaskResult

        attempt = AccessAttempt.objects.get_or_create(
            username="probe", ip_address="203.0.113.9", defaults={"failures_since_start": 1}
        )[0]
        log = AccessLog.objects.get_or_create(username="probe", ip_address="203.0.113.9")[0]
        failure = AccessFailureLog.objects.get_or_create(
            username="probe", ip_address="203.0.113.9", defaults={"locked_out": False}
        )[0]
        task = DBTaskResult.objects.first() or DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="press.mailings.tasks.probe",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        )
        return {
            "auth.group": self.group,
            "auth.user": self.user,
            "django_tasks_database.dbtaskresult": task,
            "axes.accessattempt": attempt,
            "axes.accesslog": log,
            "axes.accessfailurelog": failure,
            "contacts.outlet": self.journalist.outlet,
            "contacts.contactlist": self.contact_list,
            "contacts.journalist": self.journalist,
            "contacts.contactimport": self.contact_import,
            "contacts.suppression": self.suppression,
            "contacts.subscription": self.subscription,
            "events.event": self.event,
            "releases.release": self.office_release,
            "releases.presscontact": self.press_contact,
            "releases.boilerplate": self.boilerplate,
            "releases.topic": self.topic,
            "mailings.mailing": self.office_mailing,
            "accreditation.badgerequest": self.badge_request,
            "accreditation.fieldvisit": self.field_visit,
            "accreditation.accreditationsettings": self.settings,
            "badges.badge": self.badge,
            "checkin.checkin": self.check_in,
            "checkin.scan": self.scan,
            "checkin.hold": self.hold,
            "coverage.coverageitem": self.coverage_item,
        }

    def path(self, pattern: Pattern, token: str | None = None) -> str:
        """The pattern's URL with its parameters filled with real rows."""
        from django.urls import reverse

        if pattern.key == "^media/(?P<path>.*)$":
            return f"{settings.MEDIA_URL}probe.txt"
        if pattern.key == "admin/(?P<url>.*)$":
            return "/admin/no-such-page/"
        if pattern.name == "admin:autocomplete":
            return (
                "/admin/autocomplete/?app_label=contacts&model_name=journalist"
                "&field_name=outlet&term=Out"
            )
        values = {}
        for parameter in pattern.parameters:
            values[parameter] = self._value(pattern, parameter, token)
        if not pattern.name:
            route = pattern.route
            for parameter, value in values.items():
                route = route.replace(f"<path:{parameter}>", str(value))
            return "/" + route
        with translation.override("en"):
            return reverse(pattern.name, kwargs=values)

    def _value(self, pattern: Pattern, parameter: str, token: str | None):
        name = pattern.name
        if parameter == "token":
            return token
        if name == "admin:view_on_site":  # a release version's public page
            if parameter == "object_id":
                return self.version.pk
            return ContentType.objects.get_for_model(self.version).pk
        if parameter == "object_id":
            row = self.admin_object(pattern)
            assert row is not None, f"no row for {pattern.key}"
            return row.pk
        if parameter == "slug" and name == "newsroom:release":
            return self.version.slug
        if parameter == "slug" and name == "dashboard:chart":
            return "requests-state"
        if parameter == "which":
            return "arrived"
        if parameter == "kind":
            return "press_card"
        if parameter == "language":
            return "en"
        if parameter == "action":
            return "archive"
        if parameter == "app_label":
            return "contacts"
        if parameter == "pk":
            return self._pk(name)
        if parameter == "id" and name == "admin:auth_user_password_change":
            return self.user.pk
        raise LookupError(f"{pattern.key}: no value for parameter {parameter!r}")

    def _pk(self, name: str) -> int:
        if name.startswith("admin:contacts_journalist_import"):
            return self.contact_import.pk
        by_prefix = {
            "admin:contacts_journalist": self.journalist,
            "admin:releases_release": self.office_release,
            "admin:mailings_mailing": self.office_mailing,
            "admin:accreditation_badgerequest": self.badge_request,
            "admin:coverage_coverageitem": self.coverage_item,
            "newsroom:media_kit": self.release,
            "newsroom:attachment": self.attachment,
            "newsroom:contact_card": self.press_contact,
            "newsroom:personal_attachment": self.attachment,
            "checkin:photo": self.badge_request,
            "badge_request_file": self.badge_request,
        }
        for prefix, row in by_prefix.items():
            if name.startswith(prefix):
                return row.pk
        raise LookupError(f"{name}: no row for pk")


def _clients() -> dict[str, Client]:
    clients = {ANONYMOUS: Client()}
    lead = UserFactory(username="lead", is_staff=True, is_superuser=True)
    clients[LEAD] = Client()
    clients[LEAD].force_login(lead)
    for role, group in GROUPS.items():
        user = UserFactory(username=role, is_staff=True)
        user.groups.add(Group.objects.get(name=group))  # again: harmless
        client = Client()
        client.force_login(user)
        clients[role] = client
    return clients


def _ask(client: Client, url: str):
    response = client.get(url, headers={"accept-language": "en"})
    if response.status_code == 405:
        response = client.post(url, {}, headers={"accept-language": "en"})
    if response.streaming:
        # Read to the end: the test client then closes the file or spreadsheet (closing
        # the response here would also close the test's database connection).
        b"".join(response.streaming_content)
    return response


def _verdict(response) -> str:
    """'allowed', 'refused' or 'error'."""
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (401, 403, 404):
        return "refused"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if location.startswith("/admin/login/") or "/admin/login/?" in location:
            return "refused"
    return "allowed"


@pytest.fixture
def world(settings, tmp_path):
    settings.ANYMAIL_WEBHOOK_SECRET = "provider:s3cret"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "provider:s3cret"}
    return World(settings.MEDIA_ROOT)


def test_every_url_pattern_is_in_the_table():
    missing = sorted({p.key for p in url_patterns() if p.key not in TABLE and not _webhook(p)})
    assert missing == [], f"URL patterns missing from the permission table: {missing}"


# Public media are served by Django only with DEBUG on (a web server does it otherwise).
ONLY_WITH_DEBUG = {"^media/(?P<path>.*)$"}


def test_the_table_names_no_url_that_does_not_exist():
    keys = {p.key for p in url_patterns()}
    assert sorted(set(TABLE) - keys - ONLY_WITH_DEBUG) == []


def test_admin_models_are_all_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert sorted(registered - set(ADMIN_MODELS)) == []


def _webhook(pattern: Pattern) -> bool:
    return pattern.name.startswith("anymail:")


def test_every_url_answers_as_the_table_says(world):
    clients = _clients()
    wrong = []
    for pattern in url_patterns():
        if _webhook(pattern):
            continue  # asked below, with and without the provider's credentials
        rule = TABLE.get(pattern.key)
        assert rule is not None, f"{pattern.key} ({pattern.route}) is not in the table"
        if isinstance(rule, Token):
            url = world.path(pattern, token=world.tokens[rule.kind])
            allowed = EVERYONE
        else:
            url = world.path(pattern)
            allowed = rule
        for role in ROLES:
            response = _ask(clients[role], url)
            verdict = _verdict(response)
            expected = "allowed" if role in allowed else "refused"
            if verdict != expected:
                wrong.append(f"{pattern.key} {url} as {role}: {response.status_code} ({verdict})")
        if pattern.name == "admin:logout":
            clients = _clients()  # everyone was just logged out
    assert wrong == [], "\n".join(wrong)


def test_a_token_opens_only_its_own_page(world):
    client = Client()
    wrong = []
    for pattern in url_patterns():
        rule = TABLE.get(pattern.key)
        if not isinstance(rule, Token):
            continue
        for kind, token in world.tokens.items():
            url = world.path(pattern, token=token)
            verdict = _verdict(_ask(client, url))
            expected = "allowed" if kind == rule.kind else "refused"
            if verdict != expected:
                wrong.append(f"{pattern.key} with the {kind} token: {verdict}")
    assert wrong == [], "\n".join(wrong)


def test_provider_webhooks_refuse_everyone_without_the_provider_credentials(world):
    clients = _clients()
    wrong = []
    for pattern in url_patterns():
        if not _webhook(pattern):
            continue
        url = world.path(pattern)
        for role in ROLES:
            response = clients[role].post(url, b"{}", content_type="application/json")
            if response.status_code not in (401, 403):
                wrong.append(f"{pattern.key} as {role}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)
