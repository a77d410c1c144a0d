"""Reading a pasted URL's page: its title, site name, date and language, safely.

The office pastes addresses it did not write, so reading one must never become a way
into the office's own network or a way to hang a web request:

- http and https only;
- the host is resolved once and the connection goes to that very address (a second
  lookup could answer differently: DNS rebinding), which must be a public one —
  private, loopback, link-local, shared, multicast and reserved addresses are refused
  unless settings.COVERAGE_FETCH_ALLOW_PRIVATE allows them (True, or a list of
  networks: tests serving a page on 127.0.0.1);
- redirects are followed by hand, at most five, each new address checked again;
- settings.COVERAGE_FETCH_TIMEOUT_SECONDS (5 s) for the whole reading, redirects
  included, and settings.COVERAGE_FETCH_MAX_BYTES (2 MB) of body at most;
- HTML only (text/html, application/xhtml+xml).
"""

import codecs
import datetime as dt
import http.client
import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from press.core.errors import PresseError

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Presse coverage reader (press office)"
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class MetadataError(PresseError):
    """A page that could not be read; `code` says why (scheme, address, unresolvable,
    unreachable, timeout, too_large, not_html, status, redirects)."""


@dataclass(frozen=True)
class PageMetadata:
    url: str
    title: str
    site_name: str
    published_on: dt.date | None
    language: str


def address_allowed(address: str) -> bool:
    """Whether a connection may go to this IP address: a public one; also any address
    when settings.COVERAGE_FETCH_ALLOW_PRIVATE is True, or those of the networks it
    lists (["127.0.0.1/32"] lets tests reach their own server and nothing else)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_global and not ip.is_multicast:
        return True
    allowed = settings.COVERAGE_FETCH_ALLOW_PRIVATE
    if allowed is True:
        return True
    if not allowed:
        return False
    return any(ip in ipaddress.ip_network(network) for network in allowed)


def _resolve(host: str, port: int) -> str:
    """One lookup; the first address it gives is the one connected to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise MetadataError(
            "unresolvable", _("The address %(host)s does not exist.") % {"host": host}
        ) from error
    if not infos:
        raise MetadataError(
            "unresolvable", _("The address %(host)s does not exist.") % {"host": host}
        )
    address = str(infos[0][4][0])
    if not address_allowed(address):
        raise MetadataError(
            "address",
            _("%(host)s points to a private or reserved network address; it is not read.")
            % {"host": host},
        )
    return address


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address resolved beforehand, whatever the host says."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address resolved beforehand; the certificate is checked against the
    host name (SNI included), as a browser would."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise MetadataError("timeout", _("The page took too long to answer."))
    return left


def _fetch(url: str) -> tuple[str, str, bytes]:
    """(final URL, Content-Type header, body) of an HTML page, within the rules above."""
    deadline = time.monotonic() + settings.COVERAGE_FETCH_TIMEOUT_SECONDS
    max_bytes = settings.COVERAGE_FETCH_MAX_BYTES
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise MetadataError("scheme", _("Only http and https addresses can be read."))
        host = parts.hostname
        if not host:
            raise MetadataError("scheme", _("This address has no host name."))
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise MetadataError("scheme", _("This address has an invalid port.")) from error
        address = _resolve(host, port)
        connection_class = (
            _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        )
        connection = connection_class(host, port, address=address, timeout=_remaining(deadline))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response: http.client.HTTPResponse | None = None
        try:
            connection.request(
                "GET",
                target,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml",
                    "Accept-Encoding": "identity",
                },
            )
            response = connection.getresponse()
            if response.status in REDIRECT_STATUSES:
                location = response.getheader("Location")
                if not location:
                    raise MetadataError("status", _("The page redirects to nowhere."))
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise MetadataError(
                    "status",
                    _("The page answered with the error %(status)s.") % {"status": response.status},
                )
            content_type = response.getheader("Content-Type", "")
            if content_type.split(";", 1)[0].strip().lower() not in HTML_TYPES:
                raise MetadataError("not_html", _("This address is not a web page (HTML)."))
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise MetadataError("too_large", _("The page is too large to be read."))
            body = bytearray()
            while True:
                if connection.sock is not None:
                    connection.sock.settimeout(_remaining(deadline))
                chunk = response.read1(CHUNK_BYTES)
                if not chunk:
                    break
                body += chunk
                if len(body) > max_bytes:
                    raise MetadataError("too_large", _("The page is too large to be read."))
            return url, content_type, bytes(body)
        except TimeoutError as error:
            raise MetadataError("timeout", _("The page took too long to answer.")) from error
        except (OSError, http.client.HTTPException) as error:
            raise MetadataError(
                "unreachable", _("The page could not be reached (%(host)s).") % {"host": host}
            ) from error
        finally:
            # A response that will close owns the socket once getresponse() returns.
            if response is not None:
                response.close()
            connection.close()
    raise MetadataError("redirects", _("The page redirects too many times."))


def _charset(content_type: str, body: bytes) -> str:
    """The page's encoding: the header's, else a <meta> one near the top, else UTF-8."""
    candidates = []
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    if match:
        candidates.append(match.group(1))
    match_meta = META_CHARSET.search(body[:4096])
    if match_meta:
        candidates.append(match_meta.group(1).decode("ascii"))
    for candidate in candidates:
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return "utf-8"


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.html_lang = ""
        self.title_parts: list[str] = []
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "html" and not self.html_lang:
            self.html_lang = values.get("lang", "") or values.get("xml:lang", "")
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and key not in self.meta and values.get("content", "").strip():
                self.meta[key] = values["content"].strip()
        elif tag == "title" and not self._title_done:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


def _language(code: str) -> str:
    """fr_FR, fr-BE, FR → fr."""
    code = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else ""


def _date(value: str) -> dt.date | None:
    value = value.strip()
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        # Not a full ISO timestamp: try its leading date ("2024-03-21T…", "2024-03-21 …").
        pass
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def page_metadata_parse(*, url: str, content_type: str, body: bytes) -> PageMetadata:
    """What a page's HTML says about itself: Open Graph first, then <title> and
    <html lang>; the site name falls back to the host name."""
    text = body.decode(_charset(content_type, body), errors="replace")
    parser = _HeadParser()
    parser.feed(text)
    parser.close()
    meta = parser.meta
    title = meta.get("og:title") or " ".join("".join(parser.title_parts).split())
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    published = meta.get("article:published_time") or meta.get("og:published_time") or ""
    return PageMetadata(
        url=url,
        title=" ".join(title.split())[:500],
        site_name=(meta.get("og:site_name") or host)[:200],
        published_on=_date(published) if published else None,
        language=_language(meta.get("og:locale", "")) or _language(parser.html_lang),
    )


def page_metadata_read(*, url: str) -> PageMetadata:
    """Read the page at `url` within the rules of this module. Raises MetadataError
    (with a message for people) when the address is refused or the page unreadable."""
    final_url, content_type, body = _fetch(url.strip())
    return page_metadata_parse(url=final_url, content_type=content_type, body=body)
