"""The GitHub REST client: conditional requests, Link pagination, retries and rate limits.

Async httpx with a semaphore: a sync of 50 repositories is about 200 small requests whose time
is all network latency, so a handful in flight at once gives most of the win, while GitHub's
secondary limits ask for few concurrent requests. Every answer goes through `ResponseCache`;
when GitHub cannot be asked (offline, rate limited, bad token, network down, 5xx) the cached
answer is returned instead and the client stops asking for the rest of the sync. Only what
may succeed a moment later is retried (timeouts, dropped connections, 5xx, and a 429 whose
wait is short); a host that does not resolve or refuses the connection stops the sync at the
first attempt.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode, urlsplit

import httpx

from tamatar_site import __version__
from tamatar_site.github.cache import CacheEntry, ResponseCache

API_VERSION = "2022-11-28"
MAX_PAGES = 20  # 2,000 commits per repository at per_page=100
_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="([^"]*)"')
_RETRY_STATUSES = frozenset({500, 502, 503, 504})

Source = Literal["network", "not_modified", "cache"]
StopReason = Literal["rate_limit", "bad_token", "network", "server"]


@dataclass(frozen=True)
class ClientSettings:
    """Knobs of the client; tests shorten the delays."""

    timeout: float = 15.0  # seconds to wait for reading, writing or a pooled connection
    connect_timeout: float = 5.0  # seconds to open a connection (a dead network fails fast)
    retries: int = 2  # extra attempts after a timeout, a dropped connection, a 5xx or a 429
    backoff: float = 1.0  # first retry delay in seconds, doubled for each further retry
    # A 429 is retried when GitHub asks to wait at most this long (Retry-After), or says
    # nothing of when; a longer wait, or a spent hourly limit, stops asking at once.
    max_retry_after: float = 5.0
    concurrency: int = 8  # requests in flight at once
    per_page: int = 100


@dataclass(frozen=True)
class Answer:
    """A JSON answer, fresh from the network, revalidated (304) or from the cache."""

    url: str
    status: int
    body: Any
    link: str | None
    source: Source


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests sent, retries included
    not_modified: int = 0  # 304 answers
    statuses: dict[int, int] = field(default_factory=dict)


def parse_link_header(value: str | None) -> dict[str, str]:
    """`<url>; rel="next", ...` -> {"next": url, ...}; URLs are kept exactly as given."""
    links: dict[str, str] = {}
    for url, rels in _LINK.findall(value or ""):
        for rel in rels.split():
            links.setdefault(rel, url)
    return links


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _format_reset(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class GitHubClient:
    """Ask the REST API through the cache. One instance serves one sync."""

    def __init__(
        self,
        http: httpx.AsyncClient | None,  # None: offline, answers come from the cache only
        api_url: str,
        cache: ResponseCache,
        *,
        token: str | None = None,
        offline: bool = False,
        settings: ClientSettings | None = None,
    ) -> None:
        self._http = http
        self.api_url = api_url.rstrip("/")
        self._cache = cache
        self._token = token or None
        self.offline = offline or http is None
        self.settings = settings or ClientSettings()
        self._semaphore = asyncio.Semaphore(self.settings.concurrency)
        self._timeout = httpx.Timeout(
            self.settings.timeout,
            connect=min(self.settings.connect_timeout, self.settings.timeout),
        )
        self.stats = ClientStats()
        self.stop_reason: StopReason | None = None
        self.stop_message: str | None = None

    # -- public --------------------------------------------------------------------------

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        """The absolute URL of an API path with its query."""
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.api_url}{path}{query}"

    async def get(self, url: str) -> Answer | None:
        """GET `url`: fresh when possible, else cached; None when neither is available."""
        cached = self._cache.get(url)
        if self.offline or self.stop_reason is not None:
            return self._from_cache(cached)
        headers = self._headers(url)
        if cached is not None and cached.url == url and cached.status == 200:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        response = await self._send(url, headers)
        if response is None:
            return self._from_cache(cached)
        return self._handle(url, response, cached)

    async def get_pages(self, url: str) -> tuple[list[Any], int | None]:
        """All items of a paginated list, following `Link: rel="next"` as given.

        Returns the items and the status of the first page (None when nothing was available).
        """
        items: list[Any] = []
        first_status: int | None = None
        seen: set[str] = set()
        next_url: str | None = url
        while next_url is not None and next_url not in seen and len(seen) < MAX_PAGES:
            seen.add(next_url)
            answer = await self.get(next_url)
            if answer is None:
                break
            if first_status is None:
                first_status = answer.status
            if answer.status != 200 or not isinstance(answer.body, list):
                break
            items.extend(answer.body)
            next_url = parse_link_header(answer.link).get("next")
        return items, first_status

    # -- internals -----------------------------------------------------------------------

    def _headers(self, url: str) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"tamatar/{__version__}",
        }
        # The token only ever goes to the configured API host, never to a Link URL elsewhere.
        if self._token and _origin(url) == _origin(self.api_url):
            headers["Authorization"] = f"Bearer {self._token}"
        return headers

    def _from_cache(self, cached: CacheEntry | None) -> Answer | None:
        if cached is None:
            return None
        return Answer(cached.url, cached.status, cached.body, cached.link, "cache")

    async def _send(self, url: str, headers: dict[str, str]) -> httpx.Response | None:
        """Send with retries; None after a failure that stopped the client."""
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            if self.stop_reason is not None:
                return None
            last = attempt == attempts - 1
            assert self._http is not None  # not offline
            try:
                async with self._semaphore:
                    self.stats.requests += 1
                    response = await self._http.get(url, headers=headers, timeout=self._timeout)
                    await response.aread()
            except httpx.TimeoutException:
                if last:
                    self._stop(
                        "network", f"GitHub did not answer within {self.settings.timeout:g} s"
                    )
                    return None
            except (httpx.ConnectError, httpx.UnsupportedProtocol, httpx.ProxyError) as error:
                # A host that does not resolve or a refused connection (no network, a wrong
                # api_url) fails the same way a second later: give up at once, not after
                # the backoff.
                kind = type(error).__name__
                self._stop("network", f"could not reach GitHub at {self.api_url} ({kind})")
                return None
            except httpx.TransportError as error:  # a connection dropped mid-answer
                if last:
                    kind = type(error).__name__
                    self._stop("network", f"could not reach GitHub at {self.api_url} ({kind})")
                    return None
            else:
                self.stats.statuses[response.status_code] = (
                    self.stats.statuses.get(response.status_code, 0) + 1
                )
                if response.status_code == 429 and not last:
                    wait = _retry_wait(response, self.settings, attempt)
                    if wait is not None:
                        await asyncio.sleep(wait)
                        continue
                if response.status_code not in _RETRY_STATUSES:
                    return response
                if last:
                    self._stop(
                        "server",
                        f"GitHub answered {response.status_code} {response.reason_phrase}"
                        f" {attempts} times",
                    )
                    return None
            await asyncio.sleep(self.settings.backoff * (2**attempt))
        return None  # pragma: no cover - the loop always returns

    def _handle(
        self, url: str, response: httpx.Response, cached: CacheEntry | None
    ) -> Answer | None:
        status = response.status_code
        if status == 304:
            self.stats.not_modified += 1
            if cached is None:
                return None
            return Answer(url, cached.status, cached.body, cached.link, "not_modified")
        if status in (401, 403, 429):
            body = _json_or_none(response)
            if status == 401:
                self._stop(
                    "bad_token",
                    "GitHub rejected the token (401 Bad credentials): check or renew it"
                    if self._token
                    else "GitHub answered 401 Unauthorized: this API needs a token",
                )
                return self._from_cache(cached)
            limit_message = _rate_limit_message(response, body)
            if limit_message is not None:
                self._stop("rate_limit", limit_message)
                return self._from_cache(cached)
        if status == 200:
            body = _json_or_none(response)
            if body is None:
                self._stop("server", f"GitHub sent an answer that is not JSON for {url}")
                return self._from_cache(cached)
        elif status >= 400:
            body = _json_or_none(response)
        else:
            return self._from_cache(cached)
        entry = CacheEntry(
            url=url,
            status=status,
            body=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            link=response.headers.get("link"),
        )
        self._cache.put(entry)
        return Answer(url, status, body, entry.link, "network")

    def _stop(self, reason: StopReason, message: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason
            self.stop_message = self.redact(message)

    def redact(self, text: str) -> str:
        """`text` with the token blanked out: no message may ever carry it."""
        if self._token:
            text = text.replace(self._token, "***")
        return text


def _retry_wait(response: httpx.Response, settings: ClientSettings, attempt: int) -> float | None:
    """How long to wait before asking again after a 429; None: not worth asking again
    (the hourly limit is spent, or GitHub asks for a longer wait than a build should take)."""
    headers = response.headers
    if headers.get("x-ratelimit-remaining", "").strip() == "0":
        return None
    retry_after = headers.get("retry-after", "").strip()
    if retry_after.isdigit():
        seconds = float(retry_after)
        return seconds if seconds <= settings.max_retry_after else None
    return float(settings.backoff * 2**attempt)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def _rate_limit_message(response: httpx.Response, body: Any) -> str | None:
    """A warning sentence when a 403/429 is a primary or secondary rate limit, else None."""
    headers = response.headers
    message = body.get("message", "") if isinstance(body, dict) else ""
    message = message if isinstance(message, str) else ""
    now = dt.datetime.now(dt.UTC)
    retry_after = headers.get("retry-after", "").strip()
    if retry_after.isdigit():
        moment = now + dt.timedelta(seconds=int(retry_after))
        return (
            "GitHub's secondary rate limit was reached; GitHub asks to wait "
            f"{int(retry_after)} s (until {_format_reset(moment)})"
        )
    if headers.get("x-ratelimit-remaining", "").strip() == "0":
        reset = headers.get("x-ratelimit-reset", "").strip()
        limit = headers.get("x-ratelimit-limit", "").strip()
        per_hour = f" of {limit} requests per hour" if limit.isdigit() else ""
        when = (
            f"; it resets at {_format_reset(dt.datetime.fromtimestamp(int(reset), dt.UTC))}"
            if reset.isdigit()
            else ""
        )
        return f"GitHub's rate limit{per_hour} was reached{when}"
    if "secondary rate limit" in message.lower() or "abuse" in message.lower():
        return "GitHub's secondary rate limit was reached; try again in a few minutes"
    if response.status_code == 429:
        return "GitHub answered 429 Too Many Requests; try again in a few minutes"
    return None
