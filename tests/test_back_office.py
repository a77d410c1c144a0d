import re

import pytest
from django.contrib.auth.models import Group

from press import permissions

pytestmark = pytest.mark.django_db

ALL_GROUPS = [
    permissions.PRESS_OFFICER,
    permissions.ACCREDITATION_REVIEWER,
    permissions.CHECKIN_DESK,
    permissions.VIEWER,
]


def test_staff_groups_exist_after_migrate():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ALL_GROUPS)


def test_admin_is_branded(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Presse" in html


def test_press_officer_sees_and_edits_the_media_file(client, staff_user):
    client.force_login(staff_user(permissions.PRESS_OFFICER))
    assert client.get("/admin/contacts/journalist/").status_code == 200
    assert client.get("/admin/contacts/journalist/add/").status_code == 200
    assert client.get("/admin/events/event/add/").status_code == 200


def test_viewer_reads_but_cannot_change(client, staff_user, event):
    client.force_login(staff_user(permissions.VIEWER))
    assert client.get("/admin/contacts/journalist/").status_code == 200
    assert client.get("/admin/contacts/journalist/add/").status_code == 403
    response = client.post(f"/admin/events/event/{event.pk}/change/", {"slug": "changed"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.slug != "changed"


def test_reviewer_does_not_see_the_media_file(client, staff_user):
    client.force_login(staff_user(permissions.ACCREDITATION_REVIEWER))
    assert client.get("/admin/contacts/journalist/").status_code == 403
    assert client.get("/admin/events/event/add/").status_code == 403


def test_checkin_desk_sees_no_office_data(client, staff_user):
    user = staff_user(permissions.CHECKIN_DESK)
    client.force_login(user)
    assert user.has_perm("events.check_in_badge")
    assert client.get("/admin/contacts/journalist/").status_code == 403
    assert client.get("/admin/events/event/").status_code == 403


def test_admin_login_locks_out_after_repeated_failures(client, staff_user):
    staff_user(permissions.PRESS_OFFICER, username="target")
    for _attempt in range(5):
        client.post("/admin/login/", {"username": "target", "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "target", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_index_shows_one_section_per_area_in_french(client, staff_user):
    client.force_login(staff_user(permissions.PRESS_OFFICER))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    sections = re.findall(r'class="section"[^>]*>([^<]+)</a>', html)
    assert sections == [
        "Accréditations",
        "Badges",
        "Communiqués",
        "Contrôle des entrées",
        "Envois",
        "Fichier médias",
        "Retombées",
        "Événements",
    ]


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/mailings/mailing/add/", "Nouvel envoi"),
        ("/admin/events/event/add/", "Nouvel événement"),
        ("/admin/contacts/contactlist/add/", "Nouvelle liste"),
    ],
)
def test_add_pages_are_named_in_the_press_office_words(admin_client, url, title):
    html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert f"<h1>{title}</h1>" in html
    assert "Ajout de" not in html
