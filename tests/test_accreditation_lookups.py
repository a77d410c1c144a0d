"""The form's country selects built once per language, and email / outlet lookups that
the indexes on Lower(...) serve."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_countries import countries

from contacts.models import Journalist, Outlet
from press.accreditation import forms as accreditation_forms
from press.accreditation.models import BadgeRequest
from press.accreditation.privacy import badge_requests_erase
from press.accreditation.requests import outlet_match
from press.core.lookups import same_text
from tests.factories import EventFactory, JournalistFactory, OutletFactory
from tests.factories.accreditation import BadgeRequestFactory
from tests.test_accreditation_views import _post_data


@pytest.fixture(autouse=True)
def _fresh(db):
    cache.clear()
    accreditation_forms._COUNTRY_OPTIONS.clear()
    yield
    cache.clear()


def _selects(html: str) -> dict[str, str]:
    return dict(re.findall(r'<select name="(\w*country|nationality)"[^>]*>(.*?)</select>', html))


def test_country_options_are_built_once_per_language(client, monkeypatch):
    EventFactory()
    calls = []
    real = accreditation_forms._country_choices

    def counting():
        calls.append(translation.get_language())
        return real()

    monkeypatch.setattr(accreditation_forms, "_country_choices", counting)
    for _ in range(3):
        assert client.get("/fr/accreditation/").status_code == 200
        assert client.get("/en/accreditation/").status_code == 200

    assert sorted(calls) == ["en", "fr"]


def test_country_selects_are_named_in_the_page_language(client):
    EventFactory()
    french = _selects(client.get("/fr/accreditation/").content.decode())
    english = _selects(client.get("/en/accreditation/").content.decode())

    assert set(french) == {"nationality", "outlet_country", "press_card_country"}
    assert '<option value="DE">Allemagne</option>' in french["nationality"]
    assert '<option value="DE">Germany</option>' in english["nationality"]
    assert french["nationality"].startswith('<option value="">—</option>')


def test_country_select_keeps_its_label_and_required_mark(client):
    EventFactory()
    html = client.get("/en/accreditation/").content.decode()

    select = re.search(r'<select name="nationality"[^>]*>', html)[0]
    assert 'id="id_nationality"' in select
    assert "required" in select
    assert 'for="id_nationality"' in html


def test_chosen_country_stays_selected_after_an_error(client):
    event = EventFactory()
    response = client.post("/en/accreditation/", _post_data(event, first_name="", nationality="FR"))
    selects = _selects(response.content.decode())

    assert response.status_code == 200
    assert '<option value="FR" selected>France</option>' in selects["nationality"]
    assert selects["nationality"].count(" selected>") == 1
    assert '<option value="BE" selected>' in selects["outlet_country"]
    # The cached list itself is not marked.
    assert " selected>" not in accreditation_forms._COUNTRY_OPTIONS["en"]


def test_unknown_country_is_refused_with_a_message(client):
    event = EventFactory()
    response = client.post("/en/accreditation/", _post_data(event, nationality="XX"))

    assert response.status_code == 200
    assert BadgeRequest.objects.count() == 0
    assert "Select a valid choice" in response.content.decode()


def test_outlet_match_ignores_case_and_uses_lower(db):
    outlet = OutletFactory(name="Le Soir", country="BE")

    with CaptureQueriesContext(connection) as queries:
        assert outlet_match(name="LE SOIR", country="BE") == outlet

    sql = queries.captured_queries[0]["sql"].upper()
    assert "LOWER(" in sql
    assert "UPPER(" not in sql and " LIKE " not in sql


def test_erasure_finds_requests_by_email_in_any_case(db):
    journalist = JournalistFactory(email="lea@media.example")
    BadgeRequestFactory(email="Lea@Media.Example")
    BadgeRequestFactory(email="other@media.example")

    with CaptureQueriesContext(connection) as queries:
        assert badge_requests_erase(journalist=journalist) == 1

    assert BadgeRequest.objects.filter(email="other@media.example").exists()
    lookups = [q["sql"].upper() for q in queries.captured_queries if "EMAIL" in q["sql"].upper()]
    assert lookups and all("UPPER(" not in sql for sql in lookups)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans of PostgreSQL")
def test_postgresql_uses_the_lower_indexes(db):
    event = EventFactory()
    OutletFactory.create_batch(5)
    BadgeRequestFactory(event=event, email="lea@media.example")
    BadgeRequestFactory.create_batch(20, event=event)
    with connection.cursor() as cursor:
        # Statistics as a real table has them, so the planner weighs the indexes.
        cursor.execute("ANALYZE accreditation_badgerequest")
        cursor.execute("SET enable_seqscan = off")
    email_plan = BadgeRequest.objects.filter(
        same_text("email", "LEA@media.example"), event=event
    ).explain()
    outlet_plan = Outlet.objects.filter(same_text("name", "JOURNAL")).explain()
    journalist_plan = Journalist.objects.filter(same_text("email", "x@y.example")).explain()

    assert "badge_request_one_per_email_per_event" in email_plan
    assert "outlet_unique_name_country" in outlet_plan
    assert "journalist_unique_email_ci" in journalist_plan


def test_forms_neither_list_nor_translate_countries_per_request(client, monkeypatch):
    """Rendering and validating the three country fields reuse what was built once:
    after the first page in each language, no request iterates the country list."""
    event = EventFactory()
    client.get("/fr/accreditation/")
    client.get("/en/accreditation/")
    client.post("/fr/accreditation/", _post_data(event, first_name=""))
    client.post("/fr/accreditation/", _post_data(event, email="first@x.example"))
    iterations = []
    real_iter = type(countries).__iter__

    def counting(self):
        iterations.append(1)
        return real_iter(self)

    monkeypatch.setattr(type(countries), "__iter__", counting)
    for language in ("fr", "en"):
        assert client.get(f"/{language}/accreditation/").status_code == 200
    response = client.post("/fr/accreditation/", _post_data(event, nationality="FR"))
    refused = client.post(
        "/fr/accreditation/", _post_data(event, email="b@x.example", nationality="XX")
    )

    assert response.status_code == 302
    assert refused.status_code == 200
    assert "nationality" in refused.context["form"].errors
    assert iterations == []
