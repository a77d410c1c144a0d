import pytest

from contacts.cleaning import country_normalise, email_normalise, language_normalise
from press.core.phones import phone_normalise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Belgique", "BE"),
        ("belgium", "BE"),
        ("BE", "BE"),
        ("bel", "BE"),
        ("Allemagne", "DE"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("Pays-Bas", "NL"),
        ("  ", ""),
        (None, ""),
        ("Narnia", None),
    ],
)
def test_country_normalise(value, expected):
    assert country_normalise(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr", ("fr", True)),
        ("EN", ("en", True)),
        ("en-GB", ("en", True)),
        ("English", ("en", True)),
        ("Français", ("fr", True)),
        ("anglais", ("en", True)),
        ("", ("fr", True)),
        ("Deutsch", ("fr", False)),
        ("xx", ("fr", False)),
    ],
)
def test_language_normalise(value, expected):
    assert language_normalise(value) == expected


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("+32 470 12 34 56", "", "+32470123456"),
        ("0470/12.34.56", "BE", "+32470123456"),
        ("0032 470 12 34 56", "", "+32470123456"),
        (32470123456, "", "+32470123456"),
        (32470123456.0, "FR", "+32470123456"),
        (612345678, "FR", "+33612345678"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("ext. 12", "", "ext. 12"),
        (None, "", ""),
    ],
)
def test_phone_normalise(value, country, expected):
    assert phone_normalise(value, country=country) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (" Ann@Media.Example ", "ann@media.example"),
        ("mailto:ann@media.example", "ann@media.example"),
        ("Ann Smith <Ann@media.example>", "ann@media.example"),
        (None, ""),
    ],
)
def test_email_normalise(value, expected):
    assert email_normalise(value) == expected
