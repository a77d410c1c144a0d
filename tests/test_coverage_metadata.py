"""Reading a pasted address's page, against pages served by the test on 127.0.0.1."""

import datetime as dt
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from press.coverage.metadata import MetadataError, address_allowed, page_metadata_read

ARTICLE = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Fallback title | The Daily</title>
<meta property="og:title" content="Cities meet in Brussels">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-03-21T08:30:00+01:00">
<meta property="og:locale" content="fr_BE">
</head><body>Text</body></html>"""

TITLE_ONLY = """<html lang="de-AT"><head><title>
  Städte   und Sicherheit
</title></head><body></body></html>"""

LATIN1 = "<html lang='fr'><head><title>Sécurité urbaine à Bruxelles</title></head></html>"
WINDOWS_1252_META = (
    "<html><head><meta charset='windows-1252'><title>L’été des villes</title></head></html>"
)


class Pages(BaseHTTPRequestHandler):
    slow_release = threading.Event()

    def log_message(self, *args):
        """Quiet: the test reads its answers, not a request log."""

    def _send(self, body: bytes, content_type: str, status: int = 200, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str):
        self._send(b"", "text/html", status=302, headers={"Location": location})

    def do_GET(self):  # noqa: C901 - one page per branch
        path = self.path
        if path == "/article":
            self._send(ARTICLE.encode(), "text/html; charset=utf-8")
        elif path == "/title-only":
            self._send(TITLE_ONLY.encode(), "text/html")
        elif path == "/latin1":
            self._send(LATIN1.encode("latin-1"), "text/html; charset=ISO-8859-1")
        elif path == "/meta-1252":
            self._send(WINDOWS_1252_META.encode("cp1252"), "text/html")
        elif path == "/pdf":
            self._send(b"%PDF-1.4 ...", "application/pdf")
        elif path == "/big":
            # No Content-Length: the limit must hold while reading, not only on the header.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65533 + b"</p>"
            for _ in range(40):
                self.wfile.write(chunk)
            self.close_connection = True
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.close_connection = True
        elif path == "/slow":
            self.slow_release.wait(10)
            self._send(ARTICLE.encode(), "text/html")
        elif path == "/redirect-ok":
            self._redirect("/article")
        elif path == "/redirect-private":
            self._redirect("http://10.1.2.3/internal")
        elif path == "/redirect-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/redirect-ftp":
            self._redirect("ftp://127.0.0.1/file")
        elif path.startswith("/loop"):
            count = int(path.removeprefix("/loop") or 0)
            self._redirect(f"/loop{count + 1}")
        elif path == "/missing":
            self._send(b"gone", "text/html", status=404)
        else:
            self._send(b"?", "text/plain", status=404)


@pytest.fixture
def site(settings):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = ["127.0.0.1/32"]
    settings.COVERAGE_FETCH_TIMEOUT_SECONDS = 1.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    Pages.slow_release.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    Pages.slow_release.set()
    server.shutdown()
    server.server_close()


def test_metadata_open_graph_first(site):
    page = page_metadata_read(url=f"{site}/article")

    assert page.title == "Cities meet in Brussels"
    assert page.site_name == "The Daily Example"
    assert page.published_on == dt.date(2024, 3, 21)
    assert page.language == "fr"


def test_metadata_title_and_html_lang_without_open_graph(site):
    page = page_metadata_read(url=f"{site}/title-only")

    assert page.title == "Städte und Sicherheit"
    assert page.language == "de"
    assert page.site_name == "127.0.0.1"
    assert page.published_on is None


def test_metadata_latin1_from_the_header(site):
    page = page_metadata_read(url=f"{site}/latin1")

    assert page.title == "Sécurité urbaine à Bruxelles"
    assert page.language == "fr"


def test_metadata_windows_1252_from_a_meta_tag(site):
    page = page_metadata_read(url=f"{site}/meta-1252")

    assert page.title == "L’été des villes"


def test_metadata_follows_a_redirect_and_reports_the_final_address(site):
    page = page_metadata_read(url=f"{site}/redirect-ok")

    assert page.title == "Cities meet in Brussels"
    assert page.url == f"{site}/article"


def test_metadata_refuses_loopback_with_the_setting_off(site, settings):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False

    with translation.override("en"), pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/article")

    assert refused.value.code == "address"
    assert "private or reserved" in str(refused.value)


@pytest.mark.parametrize("path", ["/redirect-private", "/redirect-metadata"])
def test_metadata_refuses_a_redirect_to_a_private_address(site, path):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}{path}")

    assert refused.value.code == "address"


def test_metadata_refuses_a_redirect_to_another_scheme(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/redirect-ftp")

    assert refused.value.code == "scheme"


def test_metadata_stops_after_five_redirects(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/loop")

    assert refused.value.code == "redirects"


def test_metadata_refuses_a_page_too_large_while_reading(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/big")

    assert refused.value.code == "too_large"


def test_metadata_refuses_a_declared_size_too_large(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/big-declared")

    assert refused.value.code == "too_large"


def test_metadata_gives_up_on_a_slow_page(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/slow")

    assert refused.value.code == "timeout"


def test_metadata_refuses_what_is_not_html(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/pdf")

    assert refused.value.code == "not_html"


def test_metadata_reports_an_error_status(site):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/missing")

    assert refused.value.code == "status"
    assert "404" in str(refused.value)


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "javascript:alert(1)", "//host/x"]
)
def test_metadata_refuses_other_schemes(url):
    with pytest.raises(MetadataError) as refused:
        page_metadata_read(url=url)

    assert refused.value.code == "scheme"


def test_metadata_message_in_french(site, settings):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False
    with translation.override("fr"), pytest.raises(MetadataError) as refused:
        page_metadata_read(url=f"{site}/article")

    assert "adresse privée ou réservée" in str(refused.value)


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "192.168.1.1",
        "172.16.0.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "240.0.0.1",
    ],
)
def test_address_allowed_refuses_non_public_addresses(settings, address):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False

    assert address_allowed(address) is False


def test_address_allowed_accepts_public_addresses(settings):
    settings.COVERAGE_FETCH_ALLOW_PRIVATE = False

    assert address_allowed("93.184.216.34") is True
    assert address_allowed("2606:2800:220:1:248:1893:25c8:1946") is True


def test_metadata_connects_to_the_address_resolved_once(site, monkeypatch):
    """A host whose second lookup would answer differently (DNS rebinding) is still
    reached at the first answer: the name is resolved once and that address is used."""
    port = int(site.rsplit(":", 1)[1])
    answers = iter(["127.0.0.1", "10.9.9.9"])
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "news.example":
            address = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    page = page_metadata_read(url=f"http://news.example:{port}/article")

    assert page.title == "Cities meet in Brussels"
    assert next(answers) == "10.9.9.9"  # only the first answer was ever asked for
