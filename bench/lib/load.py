"""Load generators: wrk for reads (its Lua ``done()`` hook prints the result as JSON), a
sequential keep-alive client for single-request latency, and a threaded client posting comments
that waits for every answer, so that its count of accepted posts is exact."""

from __future__ import annotations

import atexit
import http.client
import json
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

WRK_DONE_HOOK = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"bytes\\":%d,\\"connect\\":%d," ..
    "\\"read\\":%d,\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50_us\\":%d," ..
    "\\"p90_us\\":%d,\\"p99_us\\":%d,\\"max_us\\":%d}\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""
_hook_file: Path | None = None


def _hook() -> Path:
    global _hook_file
    if _hook_file is None:
        handle = tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="wrk-", delete=False)
        handle.write(WRK_DONE_HOOK)
        handle.close()
        _hook_file = Path(handle.name)
        atexit.register(_hook_file.unlink, missing_ok=True)
    return _hook_file


def wrk(
    url: str, connections: int, seconds: float, threads: int = 2, timeout_s: int = 10
) -> dict[str, Any]:
    """One wrk run: requests/s, latency percentiles in ms and the error counts. ``errors``
    counts answers of 400 or more (wrk's "Non-2xx or 3xx responses") and socket errors."""
    command = [
        "wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s", "--latency", "-s", str(_hook()), url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {url}:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "requests": raw["requests"],
        "non_2xx_3xx": raw["status"],
        "socket_errors": socket_errors,
        "timeouts": raw["timeout"],
    }


def wrk_series(
    url: str, connections: int, seconds: float, repeat: int, warmup_s: float, threads: int = 2
) -> dict[str, Any]:
    """A warm-up run (thrown away), then ``repeat`` runs; medians of rps, p50 and p99."""
    return wrk_pairs({url: url}, connections, seconds, repeat, warmup_s, threads)[url]


def wrk_pairs(
    urls: dict[str, str],
    connections: int,
    seconds: float,
    repeat: int,
    warmup_s: float,
    threads: int = 2,
) -> dict[str, dict[str, Any]]:
    """Several servers measured in turns, run by run (A B A B…), each with its warm-up: a
    comparison between them then holds even when the machine's speed drifts during the
    benchmark (measured here: nginx 76,000 req/s in one run and 55,000 an hour later)."""
    if warmup_s > 0:
        for url in urls.values():
            wrk(url, connections, warmup_s, threads)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in urls}
    for _ in range(repeat):
        for name, url in urls.items():
            runs[name].append(wrk(url, connections, seconds, threads))
    return {
        name: {
            "rps": statistics.median(run["rps"] for run in done),
            "p50_ms": statistics.median(run["p50_ms"] for run in done),
            "p99_ms": statistics.median(run["p99_ms"] for run in done),
            "errors": sum(run["non_2xx_3xx"] + run["socket_errors"] for run in done),
            "runs": done,
        }
        for name, done in runs.items()
    }


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """GET without following redirects: (status, lower-cased headers, body)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body
    finally:
        connection.close()


def sequential(base: str, path: str, count: int, warmup: int = 5) -> dict[str, Any]:
    """``count`` requests one after another on one keep-alive connection: median and 90th
    percentile in ms, and every status that was not 200."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    times: list[float] = []
    statuses: dict[int, int] = {}
    size = 0
    try:
        for n in range(warmup + count):
            started = time.perf_counter()
            connection.request("GET", path)
            answer = connection.getresponse()
            body = answer.read()
            elapsed = (time.perf_counter() - started) * 1000
            if n >= warmup:
                times.append(elapsed)
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
                size = len(body)
    finally:
        connection.close()
    return {
        "median_ms": statistics.median(times),
        "p90_ms": statistics.quantiles(times, n=10, method="inclusive")[8],
        "bytes": size,
        "not_200": {str(code): n for code, n in statuses.items() if code != 200},
    }


class _FormReader(HTMLParser):
    """The named fields of the form with ``id``, and their default values."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.action = form_id, False, ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("id") == self.form_id:
            self.inside, self.action = True, found.get("action", "")
        elif self.inside and tag in {"input", "textarea"} and found.get("name"):
            if found.get("type") not in {"checkbox", "submit"}:
                self.fields[found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def read_form(html: bytes, form_id: str = "commentform") -> tuple[str, dict[str, str]]:
    reader = _FormReader(form_id)
    reader.feed(html.decode("utf-8", errors="replace"))
    if not reader.action:
        raise SystemExit(f"no <form id={form_id}> on the page")
    return reader.action, reader.fields


@dataclass
class PostResults:
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def post_comments(
    base: str,
    action: str,
    form: dict[str, str],
    connections: int,
    seconds: float,
    tag: str,
) -> PostResults:
    """Post the comment form from ``connections`` threads for ``seconds``, each post with its
    own author, email and text, as a browser would send it (form encoding, ``Origin``)."""
    parts = urllib.parse.urlsplit(base)
    path = urllib.parse.urlsplit(action).path
    origin = f"{parts.scheme}://{parts.netloc}"
    results = PostResults()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(number: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        sent = 0
        while time.monotonic() < deadline:
            sent += 1
            who = f"{tag}{number}-{sent}"
            fields = {
                **form,
                "comment": f"Benchmark comment {who}: the frigate programme looks late again.",
                "author": f"Bench Reader {who}",
                "email": f"{who}@example.org",
                "url": "",
                "fax_number": "",
            }
            body = urllib.parse.urlencode(fields)
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + "/",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                answer = connection.getresponse()
                answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
                with lock:
                    results.errors.append(f"{type(error).__name__}: {error}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                results.statuses[status] = results.statuses.get(status, 0) + 1
                results.latencies_ms.append(elapsed)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.seconds = time.perf_counter() - started
    return results
