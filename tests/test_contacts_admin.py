import datetime as dt
import io
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from contacts.enums import ContactSource, ImportState, SuppressionReason
from contacts.journalists import journalist_erase
from contacts.models import ContactImport, ContactList, Journalist, Suppression
from contacts.suppression import journalist_exclusion
from press import permissions
from press.core.db import distinct_values
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
    # A first request fills the process's caches (content types, …): not counted.
    assert client.get(url).status_code == 200
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
    ] == [50, 50, 0]  # lists' deliveries, badge requests, coverage (none here)


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


def previewed(client, text: str, capture, **extra):
    """Upload and let the background preview run; its status page."""
    with capture(execute=True):
        response = upload(client, text, **extra)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_import_page_previews_then_applies_in_the_background(
    officer_client, officer, django_capture_on_commit_callbacks
):
    JournalistFactory(email="known@media.example", city="")

    preview = previewed(
        officer_client,
        "Email,Ville,Pointure\nnew@media.example,Gent,44\nknown@media.example,Liège,\nbad,x,\n",
        django_capture_on_commit_callbacks,
        new_list="Import 2024",
    )

    contact_import = ContactImport.objects.get()
    html = preview.content.decode()
    assert contact_import.state == ImportState.PREVIEWED
    assert "Prêt à appliquer" in html
    assert "1 journaliste à créer" in html
    assert "1 ligne refusée" in html
    assert "Colonnes ignorées (non reconnues)\u202f: Pointure" in html
    assert 'http-equiv="refresh"' not in html
    assert f'action="/admin/contacts/journalist/import/{contact_import.pk}/apply/"' in html
    assert Journalist.objects.count() == 1

    apply_url = f"/admin/contacts/journalist/import/{contact_import.pk}/apply/"
    with django_capture_on_commit_callbacks(execute=True):
        applied = officer_client.post(apply_url)

    contact_import.refresh_from_db()
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
    assert "«\u202fbad\u202f» n’est pas une adresse e-mail valide." in status
    assert 'http-equiv="refresh"' not in status


def test_import_preview_waits_for_the_worker_without_holding_the_request(officer_client):
    response = upload(officer_client, "Email\nnew@media.example\n")

    contact_import = ContactImport.objects.get()
    status = officer_client.get(response["Location"]).content.decode()
    assert response.status_code == 302
    assert contact_import.state == ImportState.QUEUED
    assert '<meta http-equiv="refresh" content="2">' in status
    assert "L’aperçu est en préparation" in status
    assert Journalist.objects.count() == 0


def test_import_preview_can_be_dropped(officer_client, django_capture_on_commit_callbacks):
    previewed(officer_client, "Email\nnew@media.example\n", django_capture_on_commit_callbacks)
    contact_import = ContactImport.objects.get()

    dropped = officer_client.post(
        f"/admin/contacts/journalist/import/{contact_import.pk}/cancel/", follow=True
    )

    contact_import.refresh_from_db()
    assert contact_import.state == ImportState.CANCELLED
    assert "L’aperçu a été abandonné\u202f; rien n’a été importé." in dropped.content.decode()
    assert Journalist.objects.count() == 0


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
    assert "1000 sur 4000 lignes vérifiées." in html.decode()
    assert 'value="25"' in html.decode()


@pytest.mark.parametrize(
    ("state", "rows_total", "rows_done", "text", "bar"),
    [
        (ImportState.READING, 0, 5000, "5000 lignes lues.", '<progress max="100">'),
        (ImportState.WRITING, 4000, 2000, "2000 sur 4000 lignes enregistrées.", 'value="50"'),
        (
            ImportState.WRITING,
            4000,
            0,
            "Enregistrement de 4000 lignes\u202f; le fichier médias les montre une fois toutes "
            "enregistrées.",
            'value="0"',
        ),
    ],
)
def test_import_status_page_says_how_far_each_step_got(
    officer_client, officer, state, rows_total, rows_done, text, bar
):
    contact_import = ContactImport.objects.create(
        file_name="big.xlsx",
        language="fr",
        state=state,
        rows_total=rows_total,
        rows_done=rows_done,
        created_by=officer,
        confirmed_at=timezone.now(),
    )

    html = officer_client.get(f"/admin/contacts/journalist/import/{contact_import.pk}/").content

    assert text in html.decode()
    assert bar in html.decode()


def test_import_preview_counts_are_french_plurals_from_two(
    officer_client, django_capture_on_commit_callbacks
):
    response = previewed(
        officer_client,
        "Email,Media\na@media.example,Le Soir\nb@media.example,VRT\n",
        django_capture_on_commit_callbacks,
    )

    html = response.content.decode()
    assert "2 journalistes à créer" in html
    assert "2 nouveaux médias\u202f: Le Soir, VRT" in html


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


def test_import_apply_twice_or_by_someone_else_is_refused(
    officer_client, staff_user, django_capture_on_commit_callbacks
):
    previewed(officer_client, "Email\nnew@media.example\n", django_capture_on_commit_callbacks)
    contact_import = ContactImport.objects.get()
    apply_url = f"/admin/contacts/journalist/import/{contact_import.pk}/apply/"
    client = Client()
    client.force_login(staff_user(permissions.PRESS_OFFICER, username="colleague"))

    colleague_page = client.get(f"/admin/contacts/journalist/import/{contact_import.pk}/")
    by_colleague = client.post(apply_url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(apply_url)
    again = officer_client.post(apply_url, follow=True)

    assert apply_url not in colleague_page.content.decode()
    assert "Seule la personne qui a envoyé ce fichier peut l’appliquer." in (
        by_colleague.content.decode()
    )
    assert "Cet import a déjà été appliqué ou n’a pas été prévisualisé." in (again.content.decode())
    assert Journalist.objects.count() == 1
    assert ContactImport.objects.get().state == ImportState.DONE


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
    assert "créés\u202f: 1, mis à jour\u202f: 0, inchangés\u202f: 0, refusés\u202f: 0" in html


def test_import_page_refuses_a_file_that_is_no_spreadsheet_at_once(officer_client):
    data = {"file": io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)}
    data["file"].name = "old.xls"

    response = officer_client.post("/admin/contacts/journalist/import/", data)

    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["file"][0]
        .startswith("Ce fichier est protégé par un mot de passe")
    )
    assert ContactImport.objects.count() == 0


def test_import_preview_of_a_file_without_email_column_fails_on_its_page(
    officer_client, django_capture_on_commit_callbacks
):
    status = previewed(officer_client, "Nom,Ville\nAnn,Gent\n", django_capture_on_commit_callbacks)

    contact_import = ContactImport.objects.get()
    assert contact_import.state == ImportState.FAILED
    assert "Aucune colonne d’adresses e-mail" in status.content.decode()
    assert not storages["private"].exists(contact_import.file_path)
    assert Journalist.objects.count() == 0


def test_import_page_in_english(officer_client):
    response = officer_client.get(
        "/admin/contacts/journalist/import/", headers={"accept-language": "en"}
    )

    assert "Nothing is written yet" in response.content.decode()


def test_import_page_needs_add_and_change_permission(client, staff_user):
    client.force_login(staff_user(permissions.VIEWER))

    contact_import = ContactImport.objects.create(
        file_name="a.csv", language="fr", state=ImportState.PREVIEWED
    )

    form = client.get("/admin/contacts/journalist/import/")
    applied = client.post(f"/admin/contacts/journalist/import/{contact_import.pk}/apply/")
    dropped = client.post(f"/admin/contacts/journalist/import/{contact_import.pk}/cancel/")

    assert (form.status_code, applied.status_code, dropped.status_code) == (403, 403, 403)
    assert ContactImport.objects.get().state == ImportState.PREVIEWED


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


def test_suppression_cannot_be_deleted_by_a_press_officer(officer_client):
    journalist = JournalistFactory(email="gone@media.example")
    officer_client.post(f"/admin/contacts/journalist/{journalist.pk}/erase/")
    suppression = Suppression.objects.get()

    single = officer_client.post(
        f"/admin/contacts/suppression/{suppression.pk}/delete/", {"post": "yes"}
    )
    bulk = officer_client.post(
        "/admin/contacts/suppression/",
        {"action": "delete_selected", "_selected_action": [suppression.pk], "post": "yes"},
    )
    listing = officer_client.get("/admin/contacts/suppression/")

    assert single.status_code == 403
    assert bulk.status_code in (200, 302)
    assert "delete_selected" not in listing.content.decode()
    assert Suppression.objects.filter(pk=suppression.pk).exists()


def test_suppression_cannot_be_changed_even_by_a_superuser(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    journalist = JournalistFactory(email="gone@media.example")
    client.post(f"/admin/contacts/journalist/{journalist.pk}/erase/")
    suppression = Suppression.objects.get()
    digest = suppression.email_hash

    change = client.post(
        f"/admin/contacts/suppression/{suppression.pk}/change/",
        {"email_hash": "0" * len(digest), "reason": suppression.reason},
    )
    delete = client.post(f"/admin/contacts/suppression/{suppression.pk}/delete/", {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    assert Suppression.objects.get().email_hash == digest


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


def test_journalist_list_names_countries_and_lists_erased_journalists_last(officer_client):
    erased = JournalistFactory(last_name="Aaron", country="BE")
    journalist_erase(journalist=erased, by=None)
    JournalistFactory(last_name="Zeller", first_name="Ute", country="DE")
    JournalistFactory(last_name="Martin", first_name="Anne", country="")

    response = officer_client.get(CHANGELIST)

    rows = [(str(journalist), journalist.pk) for journalist in response.context["cl"].result_list]
    html = response.content.decode()
    assert [name for name, _pk in rows] == [
        "Anne Martin",
        "Ute Zeller",
        f"Journaliste effacé·e n° {erased.pk}",
    ]
    assert '<br><span class="quiet">Allemagne</span></td>' in html
    assert '<br><span class="quiet">—</span></td>' in html


def test_journalist_search_matches_words_anywhere_and_short_words_at_the_start(officer_client):
    outlet = OutletFactory(name="Le Soir")
    JournalistFactory(first_name="Anne", last_name="Peeters", email="a@one.example")
    JournalistFactory(first_name="Jan", last_name="Speelman", email="j@two.example")
    JournalistFactory(first_name="Eva", last_name="Roos", email="e@three.example", outlet=outlet)

    def found(term):
        response = officer_client.get(CHANGELIST, {"q": term})
        return sorted(j.email for j in response.context["cl"].result_list)

    assert found("eet") == ["a@one.example"]
    assert found("pe") == ["a@one.example"]
    assert found("soir") == ["e@three.example"]
    assert found("anne peeters") == ["a@one.example"]
    assert found("anne speelman") == []
    assert found("two.example") == ["j@two.example"]
    assert found('"le soir"') == ["e@three.example"]


def test_journalist_search_queries_do_not_grow(officer_client, django_assert_num_queries):
    def make(count):
        JournalistFactory.create_batch(count, last_name="Peeters")

    assert_constant_queries(
        officer_client, f"{CHANGELIST}?q=peeters+p", make, django_assert_num_queries
    )


def test_outlet_list_counts_journalists_and_names_countries(officer_client):
    busy = OutletFactory(name="Busy", country="BE")
    OutletFactory(name="Quiet", country="FR")
    JournalistFactory.create_batch(3, outlet=busy)

    response = officer_client.get("/admin/contacts/outlet/")

    counts = {outlet.name: outlet._journalists for outlet in response.context["cl"].result_list}
    filters = response.context["cl"].filter_specs[1].lookup_choices
    assert counts == {"Busy": 3, "Quiet": 0}
    assert '<td class="field-country_name">Belgique</td>' in response.content.decode()
    assert filters == [("BE", "Belgique"), ("FR", "France")]


def test_distinct_values_walks_the_index_and_skips_empty_values():
    for country in ("FR", "BE", "", "FR", "DE"):
        JournalistFactory(country=country)

    assert distinct_values(Journalist, "country") == ["BE", "DE", "FR"]


@pytest.mark.parametrize(
    "typed, stored, phone_changed",
    [
        ("+32 470 12 34 56", "+32470123456", False),
        ("+32470123456", "+32470123456", False),
        ("+33 6 12 34 56 78", "+33612345678", True),
    ],
)
def test_change_page_edits_the_phone_grouped_and_stores_it_in_e164(
    officer_client, typed, stored, phone_changed
):
    journalist = JournalistFactory(phone="+32470123456", country="FR", language="en")
    url = f"/admin/contacts/journalist/{journalist.pk}/change/"

    html = officer_client.get(url).content.decode()
    assert 'value="+32 470 12 34 56"' in html

    response = officer_client.post(
        url,
        {
            "first_name": journalist.first_name,
            "last_name": journalist.last_name,
            "email": journalist.email,
            "phone": typed,
            "language": "en",
            "wants_releases": "on",
            "wants_invitations": "on",
            "outlet": journalist.outlet_id,
            "country": "FR",
            **empty_inlines(officer_client),
        },
    )

    assert response.status_code == 302
    journalist.refresh_from_db()
    assert journalist.phone == stored
    entry = LogEntry.objects.filter(object_id=str(journalist.pk)).latest("pk")
    changed = [
        name for part in json.loads(entry.change_message) for name in part["changed"]["fields"]
    ]
    assert ("Phone" in changed) is phone_changed
