"""HTTP for the feed watcher: feeds, article pages and robots.txt, politely and within limits.

Everything the watcher downloads goes through one :class:`Fetcher`, so the rules a site may
expect of a well-behaved client hold everywhere:

- it says who it is (``User-Agent: flashpoint/<version> (+feed watcher)``);
- it honours robots.txt (RFC 9309) for feeds and pages alike, each site's file read once and
  kept for ``robots_ttl`` seconds: a 4xx file means no rules, a server error or an unreachable
  file means "fetch nothing" until it can be read;
- it sends one request at a time to a site (per origin, the scope robots.txt has): the watcher
  fetches several feeds at once, but never two requests to one server together;
- every request has a timeout, and a body is read as a stream and abandoned past ``max_bytes``
  (and past ``timeout`` in all, so a server dripping bytes cannot hold it);
- redirects are followed by hand (at most ``max_redirects``), so that robots.txt is asked for
  every hop, not only the first.

A request that cannot give a usable answer raises :class:`FetchError` with a one-line reason
the user reads in ``flashpoint feeds list``; its ``permanent`` flag says whether asking again
later could help (a 404 will not; a timeout may).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__

USER_AGENT = f"flashpoint/{__version__} (+feed watcher)"
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be read; the rest may be ignored


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 20.0  # seconds: each connect/read, and the whole body
    max_bytes: int = 5_000_000  # a feed's or a page's body, decoded
    max_redirects: int = 5
    robots_ttl: float = 3600.0  # seconds a site's robots.txt is kept
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Response:
    """A usable answer: 200 with its body, or 304 (``not_modified``) with none."""

    url: str  # the final URL, after redirects
    status: int
    body: bytes
    content_type: str | None = None  # the media type, lower case, without parameters
    charset: str | None = None  # the charset the Content-Type header names
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """Why a URL gave no usable answer (one line), and whether trying later could help."""

    def __init__(self, reason: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.status = status  # the HTTP status that said no, if one did


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: no rules, or the file could not be read
    unreadable: str | None  # why the file could not be read: then nothing is fetched
    fetched: float

    def refusal(self, agent: str, url: str, site: str) -> FetchError | None:
        """Why robots.txt forbids ``url`` (None when it allows it)."""
        if self.unreadable is not None:
            return FetchError(f"{self.unreadable} (asking for robots.txt of {site[:200]}: nothing is fetched from "
                              "the site until it answers)")
        if self.parser is not None and not self.parser.can_fetch(agent, url):
            return FetchError(f"robots.txt of {site[:200]} disallows {url[:200]}", permanent=True)
        return None


def origin(url: str) -> str:
    """scheme://host[:port]: the scope of robots.txt, and of the one-request-at-a-time rule."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    kind, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.strip().partition("=")
        if name.lower() == "charset" and val:
            charset = val.strip().strip('"').lower()
    return kind.strip().lower() or None, charset


class Fetcher:
    """The watcher's HTTP client (see the module doc). Thread-safe; close it when done."""

    def __init__(self, settings: FetchSettings | None = None, *, client: httpx.Client | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout), follow_redirects=False,
            headers={"User-Agent": self.settings.user_agent},
        )
        self._guard = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._rules: dict[str, _Robots] = {}  # per site, its robots.txt as last read
        self._robots_reading: dict[str, threading.Lock] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get_feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """The feed at ``url``; a 304 when the validators of the last answer still hold."""
        headers = {"Accept": FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers)

    def get_page(self, url: str) -> Response:
        """An article's page."""
        return self._get(url, {"Accept": PAGE_ACCEPT})

    # -- requests ---------------------------------------------------------------------------

    def _get(self, url: str, headers: dict[str, str]) -> Response:
        seen = [url]
        for _ in range(self.settings.max_redirects + 1):
            _check_url(url)
            refusal = self._robots(url)
            if refusal is not None:
                raise refusal
            with self._host(url):
                answer = self._request(url, headers, self.settings.max_bytes)
            if isinstance(answer, str):  # a redirect's Location
                url = urljoin(url, answer)
                seen.append(url)
                continue
            return answer
        raise FetchError(f"more than {self.settings.max_redirects} redirects ({' -> '.join(seen[:4])} ...)")

    def _host(self, url: str) -> threading.Lock:
        """The lock held while a request to ``url``'s site is under way. Held for one request
        only, taking no other lock meanwhile: so no two threads can wait on each other."""
        key = origin(url)
        with self._guard:
            return self._hosts.setdefault(key, threading.Lock())

    def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> Response | str:
        """One GET: the response, or the Location a redirect points to."""
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                if r.status_code in _REDIRECTS:
                    location = r.headers.get("location")
                    if not location:
                        raise FetchError(f"HTTP {r.status_code} redirect without a Location")
                    return location
                if r.status_code == 304:
                    return Response(str(r.url), 304, b"", etag=r.headers.get("etag"),
                                    last_modified=r.headers.get("last-modified"))
                if r.status_code >= 400 or r.status_code < 200:
                    raise FetchError(f"HTTP {r.status_code} {r.reason_phrase}".rstrip(),
                                     permanent=r.status_code in (404, 410), status=r.status_code)
                body = _read_body(r, max_bytes, deadline, self.settings.timeout)
                kind, charset = _media_type(r.headers.get("content-type"))
                return Response(str(r.url), r.status_code, body, kind, charset,
                                r.headers.get("etag"), r.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.settings.timeout:g} s") from None
        except (httpx.InvalidURL, UnicodeError) as exc:  # an unencodable host name, say
            raise FetchError(f"invalid URL: {exc}", permanent=True) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"network error: {type(exc).__name__}: {str(exc)[:200]}".rstrip(": ")) from None

    # -- robots.txt -------------------------------------------------------------------------

    def _robots(self, url: str) -> FetchError | None:
        """Why the site's robots.txt forbids fetching ``url`` now (None when it allows it)."""
        key = origin(url)
        with self._guard:
            reading = self._robots_reading.setdefault(key, threading.Lock())
        with reading:  # one thread reads a site's robots.txt; the others wait for its answer
            cached = self._rules.get(key)
            if cached is None or time.monotonic() - cached.fetched > self.settings.robots_ttl:
                cached = self._read_robots(key)
                self._rules[key] = cached
        return cached.refusal(self.settings.user_agent, url, key)

    def _read_robots(self, site: str) -> _Robots:
        url = f"{site}/robots.txt"
        now = time.monotonic()
        answer: Response | str | None = None
        try:
            for _ in range(self.settings.max_redirects + 1):  # RFC 9309: follow at least five
                with self._host(url):
                    answer = self._request(url, {"Accept": "text/plain"}, ROBOTS_MAX_BYTES * 4)
                if not isinstance(answer, str):
                    break
                url = urljoin(url, answer)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:  # "unavailable": no rules at all
                return _Robots(None, None, now)
            # unreachable (5xx, timeout, network): everything is disallowed; asked again in a minute
            return _Robots(None, exc.reason, now - self.settings.robots_ttl + 60)
        if not isinstance(answer, Response) or answer.not_modified:
            return _Robots(None, None, now)
        parser = RobotFileParser()
        text = answer.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return _Robots(parser, None, now)


def _check_url(url: str) -> None:
    """Raise a (permanent) FetchError unless ``url`` is an http(s) URL httpx can ask for."""
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url[:200]}", permanent=True)
        httpx.URL(url)
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:
        raise FetchError(f"invalid URL {url[:200]}: {str(exc)[:200]}", permanent=True) from None


def _read_body(r: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    declared = r.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large: {int(declared):,} bytes, the limit is {max_bytes:,}", permanent=True)
    body = bytearray()
    for chunk in r.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"too large: more than {max_bytes:,} bytes, the limit", permanent=True)
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s (the body was still arriving)")
    return bytes(body)
