"""Printing from the back office: all approved badges not printed yet, a selection from
the badge list, one badge from its request's page; a reprint warns first and is
recorded; only press officers and accreditation reviewers may print."""

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation

from press.accreditation.models import BadgeRequestState
from press.badges.enums import BadgeState
from press.badges.models import BadgePrint
from press.badges.printing import badges_record_printed
from tests.factories import EventFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.badges import BadgeFactory

pytestmark = pytest.mark.django_db

PRINT_URL = "/office/badges/print/"
SELECTED_URL = "/office/badges/print/selected/"
ALLOWED = ["Press officer", "Accreditation reviewer"]
REFUSED = ["Check-in desk", "Viewer"]


@pytest.fixture(autouse=True)
def _english(client):
    # The back office follows the browser's language; these tests read English pages.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def pdf_codes(response) -> list[str]:
    data = b"".join(response.streaming_content)
    document = pypdfium2.PdfDocument(data)
    codes = []
    for index in range(len(document)):
        image = document[index].render(scale=300 / 72).to_pil()
        codes += [result.text for result in zxingcpp.read_barcodes(image)]
    return sorted(codes)


def test_url_names():
    assert reverse("badges:print") == PRINT_URL
    assert reverse("badges:print_selected") == SELECTED_URL


@pytest.mark.parametrize("group", ALLOWED)
def test_print_all_pending_prints_approved_badges_not_yet_printed(client, staff_user, group):
    user = staff_user(group)
    client.force_login(user)
    event = EventFactory()
    waiting = [BadgeFactory(badge_request__event=event) for _ in range(2)]
    printed = BadgeFactory(badge_request__event=event)
    badges_record_printed(badges=[printed], by=None)
    BadgeFactory(badge_request__event=event, state=BadgeState.REVOKED)
    BadgeFactory()  # another event's
    page = client.get(PRINT_URL, {"event": event.pk})
    assert page.status_code == 200
    assert "2 approved badges of" in page.content.decode()

    response = client.post(PRINT_URL, {"event": event.pk, "layout": "a6"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert pdf_codes(response) == sorted(badge.code for badge in waiting)
    for badge in waiting:
        badge.refresh_from_db()
        assert badge.printed_by == user
    assert BadgePrint.objects.filter(by=user, reprint=False).count() == 2


def test_print_all_pending_on_four_per_sheet(officer_client, event):
    badges = [BadgeFactory(badge_request__event=event) for _ in range(3)]
    response = officer_client.post(PRINT_URL, {"event": event.pk, "layout": "a4-4up"})
    data = b"".join(response.streaming_content)
    assert len(pypdfium2.PdfDocument(data)) == 1
    assert BadgePrint.objects.filter(badge__in=badges).count() == 3


def test_print_all_pending_with_nothing_left_says_so(officer_client, event):
    badge = BadgeFactory(badge_request__event=event)
    badges_record_printed(badges=[badge], by=None)
    response = officer_client.post(PRINT_URL, {"event": event.pk, "layout": "a6"}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Every approved badge of this event is already printed." in response.content.decode()
    assert BadgePrint.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"event": "999999", "layout": "a6"}, "Choose one of the events in the list."),
        ({"layout": "a3"}, "Choose one of the layouts in the list."),
    ],
)
def test_print_all_pending_bad_input_is_refused_and_prints_nothing(
    officer_client, event, data, message
):
    BadgeFactory(badge_request__event=event)
    response = officer_client.post(PRINT_URL, {"event": event.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BadgePrint.objects.exists()


def test_print_page_messages_are_in_french(officer_client, event):
    BadgeFactory(badge_request__event=event)
    response = officer_client.post(
        PRINT_URL, {"event": event.pk, "layout": "a3"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Choisissez l’une des mises en page de la liste." in response.content.decode()


@pytest.mark.parametrize("group", REFUSED)
def test_print_pages_are_refused_to_desk_and_viewer(client, staff_user, group, event):
    badge = BadgeFactory(badge_request__event=event)
    client.force_login(staff_user(group))
    assert client.get(PRINT_URL).status_code == 403
    assert client.post(PRINT_URL, {"event": event.pk, "layout": "a6"}).status_code == 403
    assert client.post(SELECTED_URL, {"badge": [badge.pk]}).status_code == 403
    assert not BadgePrint.objects.exists()


def test_print_pages_send_anonymous_visitors_to_the_login(client, event):
    badge = BadgeFactory(badge_request__event=event)
    for response in (client.get(PRINT_URL), client.post(SELECTED_URL, {"badge": [badge.pk]})):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert not BadgePrint.objects.exists()


def test_a_non_staff_user_with_the_permission_is_refused(client, event):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=False)
    user.user_permissions.add(Permission.objects.get(codename="print_badge"))
    client.force_login(user)
    assert client.get(PRINT_URL).status_code == 403


def test_print_selected_prints_one_badge(officer_client, officer):
    badge = BadgeFactory()
    response = officer_client.post(SELECTED_URL, {"badge": [badge.pk], "layout": "a6"})
    assert pdf_codes(response) == [badge.code]
    badge.refresh_from_db()
    assert badge.printed_by == officer


def test_a_reprint_warns_when_and_by_whom_and_prints_nothing_until_confirmed(
    officer_client, staff_user
):
    reviewer = staff_user("Accreditation reviewer", first_name="Sofia", last_name="Ricci")
    badge = BadgeFactory(badge_request__first_name="Zoë", badge_request__last_name="O'Brien")
    badges_record_printed(badges=[badge], by=reviewer)
    badge.refresh_from_db()

    response = officer_client.post(SELECTED_URL, {"badge": [badge.pk], "next": "/admin/"})

    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Zoë O&#x27;Brien: already printed on" in page
    assert "by Sofia Ricci." in page
    assert 'name="confirm" value="1"' in page
    assert BadgePrint.objects.count() == 1

    confirmed = officer_client.post(SELECTED_URL, {"badge": [badge.pk], "confirm": "1"})

    assert confirmed["Content-Type"] == "application/pdf"
    assert pdf_codes(confirmed) == [badge.code]
    assert list(BadgePrint.objects.values_list("reprint", flat=True)) == [False, True]


def test_reprint_warning_in_french_with_typography(officer_client, officer):
    badge = BadgeFactory(badge_request__first_name="Zoë", badge_request__last_name="O'Brien")
    badges_record_printed(badges=[badge], by=None)
    response = officer_client.post(SELECTED_URL, {"badge": [badge.pk]}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "O&#x27;Brien\u202f: déjà imprimé le" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one badge."),
        ({"badge": ["999999"]}, "One of the chosen badges does not exist."),
        ({"badge": ["abc"]}, "One of the chosen badges does not exist."),
    ],
)
def test_print_selected_bad_input_is_refused(officer_client, data, message):
    BadgeFactory()
    response = officer_client.post(SELECTED_URL, data, follow=True)
    assert message in response.content.decode()
    assert not BadgePrint.objects.exists()


def test_print_selected_refuses_a_revoked_badge(officer_client):
    badge = BadgeFactory(state=BadgeState.REVOKED, badge_request__state=BadgeRequestState.CANCELLED)
    response = officer_client.post(SELECTED_URL, {"badge": [badge.pk]}, follow=True)
    assert "is revoked: print its active badge instead." in response.content.decode()
    assert not BadgePrint.objects.exists()


def test_print_selected_never_redirects_off_site(officer_client):
    response = officer_client.post(SELECTED_URL, {"next": "//evil.example/"})
    assert response["Location"] == "/admin/badges/badge/"


def test_print_selected_needs_post(officer_client):
    assert officer_client.get(SELECTED_URL).status_code == 405


# The back office ------------------------------------------------------------------


def test_badge_request_page_has_a_download_button(officer_client):
    badge = BadgeFactory()
    url = reverse("admin:accreditation_badgerequest_change", args=[badge.badge_request.pk])
    page = officer_client.get(url).content.decode()
    assert f'action="{SELECTED_URL}"' in page
    assert f'name="badge" value="{badge.pk}"' in page
    assert "Download the badge (PDF)" in page
    badges_record_printed(badges=[badge], by=None)
    assert "Print the badge again (PDF)" in officer_client.get(url).content.decode()


def test_badge_request_page_without_badge_has_no_button(officer_client):
    badge_request = BadgeRequestFactory()
    url = reverse("admin:accreditation_badgerequest_change", args=[badge_request.pk])
    assert f'action="{SELECTED_URL}"' not in officer_client.get(url).content.decode()


def test_badge_request_page_of_a_viewer_has_no_button(client, staff_user):
    client.force_login(staff_user("Viewer"))
    badge = BadgeFactory()
    url = reverse("admin:accreditation_badgerequest_change", args=[badge.badge_request.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert f'action="{SELECTED_URL}"' not in response.content.decode()


def test_badge_list_filters_not_printed(officer_client):
    printed, waiting = BadgeFactory(), BadgeFactory()
    badges_record_printed(badges=[printed], by=None)
    response = officer_client.get("/admin/badges/badge/", {"printed": "no"})
    assert list(response.context["cl"].result_list) == [waiting]


def test_badge_list_query_count_does_not_grow(officer_client):
    BadgeFactory()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        officer_client.get("/admin/badges/badge/")
    for _ in range(6):
        BadgeFactory()
    with CaptureQueriesContext(connection) as many:
        officer_client.get("/admin/badges/badge/")
    assert len(many) == len(one)


@pytest.mark.parametrize("group", ALLOWED)
def test_badge_list_action_prints_the_selection(client, staff_user, group):
    client.force_login(staff_user(group))
    chosen = [BadgeFactory(), BadgeFactory()]
    BadgeFactory()
    response = client.post(
        "/admin/badges/badge/",
        {"action": "print_a6", "_selected_action": [badge.pk for badge in chosen]},
    )
    assert response["Content-Type"] == "application/pdf"
    assert pdf_codes(response) == sorted(badge.code for badge in chosen)
    assert BadgePrint.objects.count() == 2


def test_badge_list_action_warns_before_a_reprint(officer_client):
    badge = BadgeFactory()
    badges_record_printed(badges=[badge], by=None)
    response = officer_client.post(
        "/admin/badges/badge/", {"action": "print_a4", "_selected_action": [badge.pk]}
    )
    page = response.content.decode()
    assert "already printed on" in page
    assert 'name="layout" value="a4-4up"' in page
    assert BadgePrint.objects.count() == 1


def test_viewer_sees_badges_but_cannot_print(client, staff_user):
    client.force_login(staff_user("Viewer"))
    badge = BadgeFactory()
    listing = client.get("/admin/badges/badge/")
    assert listing.status_code == 200
    assert "print_a6" not in listing.content.decode()
    response = client.post(
        "/admin/badges/badge/", {"action": "print_a6", "_selected_action": [badge.pk]}
    )
    assert response.get("Content-Type", "").startswith("text/html")
    assert not BadgePrint.objects.exists()


def test_desk_cannot_open_the_badge_list(client, staff_user):
    client.force_login(staff_user("Check-in desk"))
    assert client.get("/admin/badges/badge/").status_code == 403


def test_replace_code_action_gives_a_new_code(officer_client):
    badge = BadgeFactory()
    officer_client.post(
        "/admin/badges/badge/", {"action": "replace_code", "_selected_action": [badge.pk]}
    )
    badge.refresh_from_db()
    assert badge.state == BadgeState.REPLACED
    assert badge.badge_request.badges.filter(state=BadgeState.ACTIVE).count() == 1


def test_pdf_download_is_not_cached(officer_client):
    badge = BadgeFactory()
    response = officer_client.post(SELECTED_URL, {"badge": [badge.pk]})
    assert response["Cache-Control"] == "private, no-store"
    assert pdf_codes(response) == [badge.code]


def test_badge_list_links_to_the_print_page_for_those_who_may_print(client, staff_user):
    client.force_login(staff_user("Accreditation reviewer"))
    assert f'href="{PRINT_URL}"' in client.get("/admin/badges/badge/").content.decode()
    client.force_login(staff_user("Viewer"))
    assert f'href="{PRINT_URL}"' not in client.get("/admin/badges/badge/").content.decode()
