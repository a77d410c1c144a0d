"""French typography: the function, the template filter on release text (page and
email), and the French catalogue as compile_translations writes it."""

import shutil
from io import StringIO

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe

from press.core.typography import french_typography
from press.mailings.rendering import language_pack
from tests.factories import ReleaseVersionFactory
from tests.factories.mailings import MailingFactory

N = "\u202f"  # narrow no-break space
B = "\u00a0"  # no-break space

# The organiser's own kind of release, as the editor stores it after sanitising.
RELEASE_BODY = (
    "<h2>Sécurité, Démocratie &amp; Villes (20-22 mars 2024)</h2>"
    "<p>Le maire l’a dit : « la sécurité est un bien commun ». Qui viendra ? Tous !</p>"
    '<p>Inscriptions : <a href="https://efus.example/fr/presse?edition=2024" '
    'rel="noopener noreferrer">efus.example</a> ; '
    "accueil de 8 h – 18 h, ouverture à 9 h 30, plénière à 10:30.</p>"
    "<h3>Chiffres clés</h3>"
    "<p>800 participants, 10 000 visiteurs, 50 % de villes ; contact : +32 2 550 12 34, "
    "presse@efus.example.</p>"
)
RELEASE_BODY_TYPESET = (
    "<h2>Sécurité, Démocratie &amp; Villes (20-22 mars 2024)</h2>"
    f"<p>Le maire l’a dit{N}: «{N}la sécurité est un bien commun{N}». Qui viendra{N}? Tous{N}!</p>"
    f'<p>Inscriptions{N}: <a href="https://efus.example/fr/presse?edition=2024" '
    f'rel="noopener noreferrer">efus.example</a>{N}; '
    f"accueil de 8{B}h – 18{B}h, ouverture à 9{B}h{B}30, plénière à 10:30.</p>"
    "<h3>Chiffres clés</h3>"
    f"<p>800 participants, 10{B}000 visiteurs, 50{B}% de "
    f"villes{N}; contact{N}: +32{B}2{B}550{B}12{B}34, "
    "presse@efus.example.</p>"
)


def test_french_typography_on_a_release_body():
    assert french_typography(RELEASE_BODY, html=True) == RELEASE_BODY_TYPESET


def test_french_typography_adds_the_missing_space_and_replaces_the_wide_one():
    assert french_typography("Attention! Pourquoi?") == f"Attention{N}! Pourquoi{N}?"
    assert french_typography(f"Note{B}: «Bonjour»") == f"Note{N}: «{N}Bonjour{N}»"


def test_french_typography_is_idempotent():
    once = french_typography(RELEASE_BODY, html=True)

    assert french_typography(once, html=True) == once


def test_french_typography_leaves_urls_addresses_times_and_entities():
    text = (
        "Voir http://a.example/x?y=1;z=2:3 et www.b.example/?q=1 ou "
        "écrire à a!b@c.example à 10:30 &amp; 12:45"
    )

    assert french_typography(text, html=True) == text


def test_french_typography_leaves_tags_attributes_comments_and_code():
    html = (
        '<p title="Note : oui ; non ?" style="color: red;" data-x="10 000">x</p>'
        "<!-- commentaire : rien --><code>a ; b ?</code><pre>c : d</pre>"
    )

    assert french_typography(html, html=True) == html


def test_french_typography_in_plain_text_mode_does_not_read_markup():
    assert french_typography("a <b : c>") == f"a <b{N}: c>"


def render(source: str, **context) -> str:
    return Template("{% load presse %}" + source).render(Context(context))


def test_typography_filter_keeps_safe_html_safe_and_escapes_other_text():
    safe = render("{{ body|typography:'fr' }}", body=mark_safe("<strong>Attention !</strong>"))
    escaped = render("{{ body|typography:'fr' }}", body="<script>alert(1)</script> !")

    assert safe == f"<strong>Attention{N}!</strong>"
    assert escaped == f"&lt;script&gt;alert(1)&lt;/script&gt;{N}!"


def test_typography_filter_leaves_other_languages_alone():
    assert render("{{ text|typography:'en' }}", text="Note : yes !") == "Note : yes !"


def test_typography_filter_defaults_to_the_active_language():
    with translation.override("fr"):
        assert render("{{ text|typography }}", text="Oui !") == f"Oui{N}!"
    with translation.override("en"):
        assert render("{{ text|typography }}", text="Yes !") == "Yes !"


@pytest.mark.django_db
def test_release_page_shows_french_text_with_french_typography(client):
    version = ReleaseVersionFactory(
        language="fr",
        slug="conference",
        title="Sécurité, Démocratie & Villes : le programme",
        standfirst="« Ensemble » pour 800 villes !",
        body=RELEASE_BODY,
    )

    html = client.get(version.get_absolute_url()).content.decode()

    assert f"<h1>Sécurité, Démocratie &amp; Villes{N}: le programme</h1>" in html
    assert f'<p class="lead">«{N}Ensemble{N}» pour 800 villes{N}!</p>' in html
    assert RELEASE_BODY_TYPESET in html


@pytest.mark.django_db
def test_english_release_page_keeps_its_spacing(client):
    version = ReleaseVersionFactory(language="en", slug="conf", title="Cities: the programme")

    html = client.get(version.get_absolute_url()).content.decode()

    assert "<h1>Cities: the programme</h1>" in html


@pytest.mark.django_db
def test_release_email_in_french_has_french_typography_in_html_and_text():
    mailing = MailingFactory()
    version = mailing.release.versions.get(language="fr")
    version.title = "Programme : trois jours"
    version.body = "<p>Venez ! Rendez-vous à 9 h 30.</p>"
    version.save()

    compiled = language_pack(mailing=mailing, language="fr").compiled
    html = compiled.html.render({})
    text = compiled.text.render({})

    assert f"Programme{N}: trois jours" in html
    assert f"Venez{N}! Rendez-vous à 9{B}h{B}30." in html
    assert f"Programme{N}: trois jours" in text
    assert f"Venez{N}! Rendez-vous à 9{B}h{B}30." in text


@pytest.mark.django_db
def test_release_email_in_english_keeps_its_spacing():
    mailing = MailingFactory()
    version = mailing.release.versions.get(language="en")
    version.title = "Programme : three days"
    version.save()

    html = language_pack(mailing=mailing, language="en").compiled.html.render({})

    assert "Programme : three days" in html


def test_compile_translations_typesets_french_strings_in_the_mo_only(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(settings.BASE_DIR / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    po_path = locale / "fr" / "LC_MESSAGES" / "django.po"
    po_before = po_path.read_text()

    with override_settings(LOCALE_PATHS=[locale]):
        call_command("compile_translations", stdout=StringIO())
        with translation.override("fr"):
            subject = translation.gettext("Subject:")
            erase = translation.gettext("Erase %(name)s from the media file?")
        with translation.override("en"):
            english = translation.gettext("Subject:")

    assert subject == f"Objet{N}:"
    assert erase == f"Effacer %(name)s du fichier médias{N}?"
    assert english == "Subject:"
    assert po_path.read_text() == po_before
    assert polib.pofile(str(po_path)).find("Subject:").msgstr == "Objet :"


def test_compile_translations_typesets_plural_forms(tmp_path):
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    po.append(
        polib.POEntry(
            msgid="%(count)s journalist added to “%(list)s”.",
            msgid_plural="%(count)s journalists added to “%(list)s”.",
            msgstr_plural={
                0: "%(count)s ajouté à « %(list)s ».",
                1: "%(count)s ajoutés à « %(list)s ».",
            },
        )
    )
    directory = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    po.save(str(directory / "django.po"))

    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("compile_translations", stdout=StringIO())

    compiled = polib.mofile(str(directory / "django.mo"))
    assert compiled[0].msgstr_plural == {
        0: f"%(count)s ajouté à «{N}%(list)s{N}».",
        1: f"%(count)s ajoutés à «{N}%(list)s{N}».",
    }
