import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from contacts.enums import ContactSource, ImportState, SuppressionReason
from contacts.journalists import journalist_erase
from contacts.models import ContactImport, ContactList, Journalist, Suppression
from contacts.suppression import journalist_exclusion
from press import permissions
from tests.factories import ContactListFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.factories.mailings import DeliveryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/contacts/journalist/"


def emails_in(response) -> list[str]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True))


def assert_constant_queries(client, url, make_rows, django_assert_num_queries):
    make_rows(1)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    make_rows(49)
    with django_assert_num_queries(len(one_row)):
        assert client.get(url).status_code == 200


def test_journalist_changelist_queries_do_not_grow(officer_client, django_assert_num_queries):
    contact_list = ContactListFactory()

    def make(count):
        for journalist in JournalistFactory.create_batch(count):
            journalist.lists.add(contact_list)

    assert_constant_queries(officer_client, CHANGELIST, make, django_assert_num_queries)


def test_list_changelist_shows_sizes_with_constant_queries(
    officer_client, django_assert_num_queries
):
    def make(count):
        for contact_list in ContactListFactory.create_batch(count):
            contact_list.journalists.add(*JournalistFactory.create_batch(2))

    assert_constant_queries(
        officer_client, "/admin/contacts/contactlist/", make, django_assert_num_queries
    )
    html = officer_client.get("/admin/contacts/contactlist/").content.decode()
    contact_list = ContactList.objects.first()
    assert (
        f'<a href="/admin/contacts/journalist/?lists__id__exact={contact_list.pk}">'
        "2 (2 joignables)</a>"
    ) in html


def test_outlet_changelist_queries_do_not_grow(officer_client, django_assert_num_queries):
    def make(count):
        for outlet in OutletFactory.create_batch(count):
            JournalistFactory(outlet=outlet)

    assert_constant_queries(
        officer_client, "/admin/contacts/outlet/", make, django_assert_num_queries
    )


def test_journalist_changelist_search_and_filters(officer_client):
    JournalistFactory(last_name="Peeters", country="BE", email="p@media.example")
    JournalistFactory(last_name="Moreau", country="FR", email="m@media.example")

    by_name = officer_client.get(CHANGELIST, {"q": "peeters"})
    by_country = officer_client.get(CHANGELIST, {"country": "FR"})

    assert [j.email for j in by_name.context["cl"].result_list] == ["p@media.example"]
    assert [j.email for j in by_country.context["cl"].result_list] == ["m@media.example"]


def test_add_and_remove_list_actions(officer_client):
    contact_list = ContactListFactory(name="Radio")
    first, second = JournalistFactory.create_batch(2)

    officer_client.post(
        CHANGELIST,
        {"action": "add_to_list", "_selected_action": [first.pk, second.pk],
         "contact_list": contact_list.pk},
    )  # fmt: skip
    added = set(contact_list.journalists.all())
    officer_client.post(
        CHANGELIST,
        {"action": "remove_from_list", "_selected_action": [first.pk],
         "contact_list": contact_list.pk},
    )  # fmt: skip

    assert added == {first, second}
    assert list(contact_list.journalists.all()) == [second]


def test_add_to_list_without_a_list_changes_nothing(officer_client):
    journalist = JournalistFactory()

    response = officer_client.post(
        CHANGELIST, {"action": "add_to_list", "_selected_action": [journalist.pk]}, follow=True
    )

    assert "Choisissez d’abord une liste." in response.content.decode()
    assert journalist.lists.count() == 0


def test_export_selected_action(officer_client):
    chosen, _other = JournalistFactory.create_batch(2)

    response = officer_client.post(
        CHANGELIST, {"action": "export_selected", "_selected_action": [chosen.pk]}
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert emails_in(response) == [chosen.email]


def test_export_view_honours_current_filters(officer_client):
    JournalistFactory(country="BE", email="be@media.example")
    JournalistFactory(country="FR", email="fr@media.example")

    response = officer_client.get("/admin/contacts/journalist/export/", {"country": "BE"})

    assert emails_in(response) == ["be@media.example"]


def test_export_view_with_a_bad_filter_goes_back_to_the_list(officer_client):
    response = officer_client.get("/admin/contacts/journalist/export/", {"outlet__nope": "1"})

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)


def test_export_view_needs_view_permission(client, staff_user):
    client.force_login(staff_user(permissions.CHECKIN_DESK))

    assert client.get("/admin/contacts/journalist/export/").status_code == 403


def empty_inlines(client) -> dict:
    """Management forms of every inline on the add page (other areas add theirs)."""
    html = client.get("/admin/contacts/journalist/add/").content.decode()
    data = {}
    for prefix in re.findall(r'name="([^"]+)-TOTAL_FORMS"', html):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_manual_creation_records_source_and_consent(officer_client):
    response = officer_client.post(
        "/admin/contacts/journalist/add/",
        {
            "first_name": "Hand",
            "email": "hand@media.example",
            "phone": "0470 12 34 56",
            "country": "BE",
            "language": "fr",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 302
    journalist = Journalist.objects.get()
    assert journalist.source == ContactSource.MANUAL
    assert journalist.consent_at is not None
    assert journalist.phone == "+32470123456"


def test_manual_creation_refuses_duplicate_email_in_other_case(officer_client):
    JournalistFactory(email="dup@media.example")

    response = officer_client.post(
        "/admin/contacts/journalist/add/",
        {
            "email": "DUP@media.example",
            "language": "fr",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 200
    assert "Un·e journaliste avec cette adresse e-mail existe déjà." in response.content.decode()
    assert Journalist.objects.count() == 1


def test_change_page_shows_lists(officer_client):
    journalist = JournalistFactory()
    journalist.lists.add(ContactListFactory(name="Presse belge"))

    html = officer_client.get(f"/admin/contacts/journalist/{journalist.pk}/change/").content

    assert "Presse belge" in html.decode()


def test_journalist_page_queries_do_not_grow_with_lists_deliveries_and_badge_requests(
    officer_client, event, django_assert_num_queries
):
    journalist = JournalistFactory()
    url = f"/admin/contacts/journalist/{journalist.pk}/change/"

    def make(count):
        for _ in range(count):
            journalist.lists.add(ContactListFactory())
            DeliveryFactory(journalist=journalist)
            BadgeRequestFactory(journalist=journalist, event=event)

    assert_constant_queries(officer_client, url, make, django_assert_num_queries)
    response = officer_client.get(url)
    assert len(response.context["adminform"].form.initial["lists"]) == 50
    assert [
        formset.formset.queryset.count() for formset in response.context["inline_admin_formsets"]
    ] == [50, 50]


def test_personal_data_download(officer_client):
    journalist = JournalistFactory(email="me@media.example")

    response = officer_client.get(f"/admin/contacts/journalist/{journalist.pk}/personal-data/")

    assert response["Content-Disposition"] == (
        f'attachment; filename="journalist-{journalist.pk}.json"'
    )
    assert json.loads(response.content)["journalist"]["email"] == "me@media.example"


def test_erase_view_confirms_then_erases(officer_client, officer):
    journalist = JournalistFactory(email="bye@media.example")
    url = f"/admin/contacts/journalist/{journalist.pk}/erase/"

    confirmation = officer_client.get(url)
    response = officer_client.post(url)

    journalist.refresh_from_db()
    assert confirmation.status_code == 200
    assert response.status_code == 302
    assert journalist.erased_by == officer
    assert journalist.first_name == ""
    assert Suppression.objects.count() == 1


def test_erase_view_refused_without_delete_permission(client, staff_user):
    client.force_login(staff_user(permissions.VIEWER))
    journalist = JournalistFactory()

    response = client.post(f"/admin/contacts/journalist/{journalist.pk}/erase/")

    journalist.refresh_from_db()
    assert response.status_code == 403
    assert journalist.erased_at is None


def test_delete_goes_through_erasure_so_the_address_stays_suppressed(officer_client):
    journalist = JournalistFactory(email="gone@media.example")

    response = officer_client.get(f"/admin/contacts/journalist/{journalist.pk}/delete/")
    changelist = officer_client.get("/admin/contacts/journalist/")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/contacts/journalist/{journalist.pk}/erase/"
    assert [
        name for name, _label in changelist.context["action_form"].fields["action"].choices
    ] == [
        "",
        "add_to_list",
        "remove_from_list",
        "export_selected",
    ]
    assert Journalist.objects.filter(pk=journalist.pk).exists()


def upload(client, text: str, **extra):
    data = {"file": io.BytesIO(text.encode()), **extra}
    data["file"].name = "contacts.csv"
    return client.post("/admin/contacts/journalist/import/", data)


def test_import_page_previews_then_applies_in_the_background(
    officer_client, officer, django_capture_on_commit_callbacks
):
    JournalistFactory(email="known@media.example", city="")
    preview = upload(
        officer_client,
        "Email,Ville,Pointure\nnew@media.example,Gent,44\nknown@media.example,Liège,\nbad,x,\n",
        new_list="Import 2024",
    )

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "1 journaliste à créer" in html
    assert "1 ligne refusée" in html
    assert "Colonnes ignorées (non reconnues) : Pointure" in html
    assert Journalist.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        applied = officer_client.post(
            "/admin/contacts/journalist/import/apply/", {"token": preview.context["token"]}
        )

    contact_import = ContactImport.objects.get()
    assert applied.status_code == 302
    assert applied["Location"] == f"/admin/contacts/journalist/import/{contact_import.pk}/"
    assert contact_import.state == ImportState.DONE
    assert contact_import.created_by == officer
    assert contact_import.counts == {"created": 1, "updated": 1, "unchanged": 0, "refused": 1}
    assert set(Journalist.objects.values_list("email", "city")) == {
        ("known@media.example", "Liège"),
        ("new@media.example", "Gent"),
    }
    assert Journalist.objects.filter(lists__name="Import 2024").count() == 2
    status = officer_client.get(applied["Location"]).content.decode()
    assert "Terminé" in status
    assert "1 journaliste créé·e" in status
    assert "« bad » n’est pas une adresse e-mail valide." in status
    assert 'http-equiv="refresh"' not in status


def test_import_status_page_refreshes_while_running(officer_client, officer):
    contact_import = ContactImport.objects.create(
        file_name="big.xlsx",
        language="fr",
        state=ImportState.CHECKING,
        rows_total=4000,
        rows_done=1000,
        created_by=officer,
    )

    html = officer_client.get(f"/admin/contacts/journalist/import/{contact_import.pk}/").content

    assert '<meta http-equiv="refresh" content="2">' in html.decode()
    assert "1000 lignes vérifiées sur 4000." in html.decode()
    assert 'value="25"' in html.decode()


def test_import_preview_counts_are_french_plurals_from_two(officer_client):
    response = upload(officer_client, "Email,Media\na@media.example,Le Soir\nb@media.example,VRT\n")

    html = response.content.decode()
    assert "2 journalistes à créer" in html
    assert "2 nouveaux médias : Le Soir, VRT" in html


@pytest.mark.parametrize(
    ("state", "minutes", "warning"),
    [
        (ImportState.QUEUED, 0, None),
        (ImportState.QUEUED, 2, "L’import n’a pas démarré après une minute"),
        (ImportState.CHECKING, 2, None),
        (ImportState.CHECKING, 31, "L’import a commencé il y a plus d’une demi-heure"),
        (ImportState.CHECKING, 29, None),
    ],
)
def test_import_status_page_says_when_the_worker_is_late_or_stopped(
    officer_client, officer, state, minutes, warning
):
    contact_import = ContactImport.objects.create(
        file_name="a.csv", language="fr", created_by=officer, state=state
    )
    ContactImport.objects.filter(pk=contact_import.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes)
    )

    response = officer_client.get(f"/admin/contacts/journalist/import/{contact_import.pk}/")

    notes = re.findall(r'<p class="errornote">([^<]*)</p>', response.content.decode())
    assert [note[: len(warning)] for note in notes] == ([warning] if warning else [])


def test_import_apply_twice_or_with_foreign_token_is_refused(
    officer_client, django_capture_on_commit_callbacks
):
    preview = upload(officer_client, "Email\nnew@media.example\n")
    token = preview.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post("/admin/contacts/journalist/import/apply/", {"token": token})

    again = officer_client.post(
        "/admin/contacts/journalist/import/apply/", {"token": token}, follow=True
    )
    forged = officer_client.post(
        "/admin/contacts/journalist/import/apply/", {"token": "guess"}, follow=True
    )

    assert "Cet import a expiré ou a déjà été appliqué." in again.content.decode()
    assert "Cet import a expiré ou a déjà été appliqué." in forged.content.decode()
    assert Journalist.objects.count() == 1
    assert ContactImport.objects.count() == 1


def test_import_record_changelist_queries_do_not_grow(
    officer_client, officer, django_assert_num_queries
):
    def make(count):
        for _index in range(count):
            ContactImport.objects.create(
                file_name="a.csv", language="fr", created_by=officer, counts={
                    "created": 1, "updated": 0, "unchanged": 0, "refused": 0}
            )  # fmt: skip

    assert_constant_queries(
        officer_client, "/admin/contacts/contactimport/", make, django_assert_num_queries
    )
    html = officer_client.get("/admin/contacts/contactimport/").content.decode()
    assert "créés : 1, mis à jour : 0, inchangés : 0, refusés : 0" in html


def test_import_page_rejects_an_unreadable_file(officer_client):
    response = upload(officer_client, "Nom,Ville\nAnn,Gent\n")

    assert response.status_code == 200
    assert "Aucune colonne d’adresses e-mail" in response.content.decode()
    assert Journalist.objects.count() == 0


def test_import_page_in_english(officer_client):
    response = officer_client.get(
        "/admin/contacts/journalist/import/", headers={"accept-language": "en"}
    )

    assert "Nothing is written yet" in response.content.decode()


def test_import_page_needs_add_and_change_permission(client, staff_user):
    client.force_login(staff_user(permissions.VIEWER))

    form = client.get("/admin/contacts/journalist/import/")
    applied = client.post("/admin/contacts/journalist/import/apply/", {"token": "x"})

    assert (form.status_code, applied.status_code) == (403, 403)


def test_import_page_refuses_an_oversized_file(officer_client):
    padding = "x" * (20 * 1024 * 1024)

    response = upload(officer_client, f"Email,Notes\nbig@media.example,{padding}\n")

    assert response.context["form"].errors["file"] == ["Le fichier dépasse 20 Mo."]
    assert Journalist.objects.count() == 0


def test_erased_journalist_page_is_read_only(officer_client):
    journalist = JournalistFactory()
    officer_client.post(f"/admin/contacts/journalist/{journalist.pk}/erase/")

    response = officer_client.get(f"/admin/contacts/journalist/{journalist.pk}/change/")

    assert 'name="email"' not in response.content.decode()
    assert 'name="lists"' not in response.content.decode()
    assert "Effacer (RGPD)" not in response.content.decode()


def test_suppression_list_is_searched_by_address_and_read_only(officer_client):
    journalist = JournalistFactory(email="gone@media.example")
    officer_client.post(f"/admin/contacts/journalist/{journalist.pk}/erase/")

    found = officer_client.get("/admin/contacts/suppression/", {"q": "Gone@media.example"})
    missed = officer_client.get("/admin/contacts/suppression/", {"q": "other@media.example"})

    assert found.context["cl"].result_count == 1
    assert missed.context["cl"].result_count == 0
    assert officer_client.get("/admin/contacts/suppression/add/").status_code == 403


def test_import_page_refuses_two_lists_at_once(officer_client):
    contact_list = ContactListFactory()

    response = upload(
        officer_client, "Email\na@media.example\n", contact_list=contact_list.pk, new_list="New"
    )

    assert response.context["form"].non_field_errors() == [
        "Choisissez une liste existante ou nommez-en une nouvelle, pas les deux."
    ]
    assert Journalist.objects.count() == 0


def test_erased_address_added_by_hand_in_the_admin_stays_suppressed(officer_client):
    journalist_erase(journalist=JournalistFactory(email="forgotten@media.example"), by=None)
    outlet = OutletFactory()

    response = officer_client.post(
        "/admin/contacts/journalist/add/",
        {
            "first_name": "Nadia",
            "last_name": "Back",
            "email": "Forgotten@Media.example",
            "language": "fr",
            "outlet": outlet.pk,
            "country": "BE",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 302
    added = Journalist.objects.get(email="forgotten@media.example")
    assert added.suppression_reason == SuppressionReason.ERASED
    assert added.suppressed_at is not None
    assert journalist_exclusion(added) == SuppressionReason.ERASED


def test_changing_an_address_to_an_erased_one_in_the_admin_suppresses_it(officer_client):
    journalist_erase(journalist=JournalistFactory(email="left@media.example"), by=None)
    journalist = JournalistFactory(email="new@media.example", country="BE", language="en")

    response = officer_client.post(
        f"/admin/contacts/journalist/{journalist.pk}/change/",
        {
            "first_name": journalist.first_name,
            "last_name": journalist.last_name,
            "email": "left@media.example",
            "language": "en",
            "outlet": journalist.outlet_id,
            "country": "BE",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 302
    journalist.refresh_from_db()
    assert journalist.suppression_reason == SuppressionReason.ERASED
