"""Where alerts go: printed to a stream, appended to a JSONL file, POSTed to a webhook.

Printing and the JSONL file are written inside :meth:`.alerts.Alerter.check`, before the rules'
state is committed, so an alert they show is never lost to a crash (at worst it is shown twice).
A webhook is another machine, which may be slow or down: its alerts are queued for a daemon
worker thread that POSTs them with a short timeout and retries with backoff, so a webhook never
holds up the poll. Its queue is bounded; when it is full the oldest alert is dropped, with a
warning, since a receiver that far behind wants the newest news first. What is still queued when
the process ends is lost, which the docstring of :meth:`WebhookSink.close` says.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx

log = logging.getLogger(__name__)


class Deliverable(Protocol):
    """An alert as the sinks see it: its JSON object and its one-line text."""

    def payload(self) -> dict[str, Any]: ...

    def line(self) -> str: ...


class PrintSink:
    """One line per alert on a text stream (the watcher's stdout by default), flushed at once."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, alert: Deliverable) -> None:
        self.stream.write(alert.line() + "\n")
        self.stream.flush()


class JsonlSink:
    """One JSON object per line, appended to a file. The file is opened for each alert, so a log
    rotated or removed meanwhile is simply created again (with its folders)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def prepare(self) -> None:
        """Create the file and its folders now, so an unwritable path fails when the watcher
        starts rather than at its first alert."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(exist_ok=True)

    def emit(self, alert: Deliverable) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(alert.payload(), ensure_ascii=False, sort_keys=False) + "\n")
            fh.flush()


@dataclass(frozen=True)
class WebhookSettings:
    """How a webhook is called: the per-request timeout (seconds), the retries after the first
    attempt and the first retry's delay (doubled each time), and how many alerts may wait."""

    timeout: float = 5.0
    retries: int = 3
    backoff: float = 1.0
    queue_size: int = 1000


@dataclass(frozen=True)
class WebhookStats:
    """What a webhook's worker has done so far."""

    queued: int  # waiting now
    delivered: int
    failed: int  # given up after its retries, or refused by the receiver (4xx)
    dropped: int  # pushed out of a full queue, or still queued when the sink was closed


class _Refused(Exception):
    """The receiver answered with a status that retrying will not change (4xx but 408/429)."""


class WebhookSink:
    """POSTs each alert's JSON object to ``url`` from a daemon worker thread (see the module doc).

    The worker starts at the first alert, so building a sink does nothing. ``client`` makes the
    HTTP client (a test may give its own transport).
    """

    def __init__(self, url: str, settings: WebhookSettings | None = None, *,
                 client: Callable[[float], httpx.Client] | None = None) -> None:
        self.url = url
        self.settings = settings or WebhookSettings()
        self._client = client or (lambda timeout: httpx.Client(timeout=timeout))
        self._queue: deque[dict[str, Any]] = deque()
        self._cond = threading.Condition()
        self._stop = threading.Event()  # abandon everything: close's deadline has passed
        self._closing = False  # no more alerts; deliver what is queued, then end
        self._busy = False  # a delivery is in progress
        self._thread: threading.Thread | None = None
        self._delivered = self._failed = self._dropped = 0

    def emit(self, alert: Deliverable) -> None:
        """Queue the alert and return at once; never blocks on the network."""
        with self._cond:
            if self._closing:
                self._dropped += 1
                log.warning("webhook %s: closed; alert dropped", self.url)
                return
            if len(self._queue) >= self.settings.queue_size:
                self._queue.popleft()
                self._dropped += 1
                log.warning("webhook %s: %d alerts waiting; the oldest dropped", self.url, self.settings.queue_size)
            self._queue.append(alert.payload())
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=f"flashpoint-webhook {self.url}", daemon=True)
                self._thread.start()
            self._cond.notify()

    def stats(self) -> WebhookStats:
        with self._cond:
            return WebhookStats(queued=len(self._queue), delivered=self._delivered, failed=self._failed,
                                dropped=self._dropped)

    def begin_close(self) -> None:
        """Accept no more alerts; the worker delivers what is queued, then ends."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()

    def close(self, timeout: float = 5.0) -> bool:
        """Deliver what is queued within ``timeout`` seconds, best effort, and return whether all
        of it went. Never waits longer: what is left is dropped (and counted), a request in flight
        ends within its own timeout in the daemon thread."""
        deadline = time.monotonic() + max(0.0, timeout)
        self.begin_close()
        with self._cond:
            while self._thread is not None and (self._queue or self._busy):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            done = not self._queue and not self._busy
            if not done:
                self._dropped += len(self._queue)
                log.warning("webhook %s: %d alerts not delivered before closing", self.url,
                            len(self._queue) + self._busy)
                self._queue.clear()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(max(0.0, deadline - time.monotonic()))
        return done

    # --- the worker -------------------------------------------------------------------------

    def _work(self) -> None:
        client = self._client(self.settings.timeout)
        try:
            while True:
                with self._cond:
                    while not self._queue and not self._closing and not self._stop.is_set():
                        self._cond.wait()
                    if self._stop.is_set() or not self._queue:
                        return
                    body = self._queue.popleft()
                    self._busy = True
                ok = self._deliver(client, body)
                with self._cond:
                    self._busy = False
                    if ok:
                        self._delivered += 1
                    else:
                        self._failed += 1
                    self._cond.notify_all()
        finally:
            client.close()

    def _deliver(self, client: httpx.Client, body: dict[str, Any]) -> bool:
        """One alert: the first attempt and its retries. Connection errors, timeouts, 5xx, 408
        and 429 are retried; other answers are final."""
        delay = self.settings.backoff
        for attempt in range(self.settings.retries + 1):
            if self._stop.is_set():
                return False
            try:
                response = client.post(self.url, json=body)
                if response.status_code < 300:
                    return True
                if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
                    raise _Refused(f"HTTP {response.status_code}")
                reason = f"HTTP {response.status_code}"
            except _Refused as exc:
                log.warning("webhook %s refused alert %s: %s", self.url, body.get("event_id"), exc)
                return False
            except httpx.HTTPError as exc:
                reason = f"{type(exc).__name__}: {exc}"
            except Exception as exc:  # noqa: BLE001 - a bad URL or body must not end the worker
                log.warning("webhook %s: alert %s not sent: %s", self.url, body.get("event_id"), exc)
                return False
            if attempt < self.settings.retries:
                if self._stop.wait(delay):
                    return False
                delay *= 2
        log.warning("webhook %s: alert %s not delivered after %d attempts (%s)", self.url,
                    body.get("event_id"), self.settings.retries + 1, reason)
        return False
