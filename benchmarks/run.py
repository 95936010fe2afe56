"""seam-fake's benchmarks, side by side in one run, checked against their targets.

    python benchmarks/run.py [--quick] [--plot docs/scaling.png]

Measures, through the real ``seam`` SDK where a user would call it:

- fixture cost: ``FakeSeam()`` plus entering and leaving ``patch()``;
- ``Seam()`` inside a fake, and a generated suite of 500 tests (fixture, ``Seam()``,
  create, get) against 500 empty ones, per test, as whole ``pytest`` runs;
- ``user_identities.create`` + ``get`` through the fake, against the same SDK
  calls answered by an ``httpx.MockTransport`` with canned JSON (the floor;
  the fake's own share is the difference);
- scaling: the same calls, and a ``list`` page of 100, with 100 and with
  100,000 identities in the workspace;
- memory per identity with one linked ACS user (tracemalloc), and per call the log keeps;
- server mode: SDK requests per second over loopback, from 1, 4 and 16 client threads
  with median and 99th-percentile latency; SDK create + get against a canned
  ``http.server`` (the loopback floor); and the server's own capacity, in its own
  process under light ``http.client`` clients, with its CPU time per request;
- one create against a server keeping a ``--state`` file, with 1,000, 10,000 and
  100,000 identities.

Figures are medians of several rounds. Machines are noisy: compare the ratios,
which are measured within one run, rather than absolute figures.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import http.client
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from httpx_retries import RetryTransport
from seam.client import DEFAULT_RETRIES
from seam.seam import Seam

from seam_fake import FakeSeam, Request
from seam_fake.api import render
from seam_fake.server import BackgroundServer

LIST_PAGE = 100


@dataclass
class Row:
    measure: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None


def median(rounds: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(rounds))


# One sequence for every call of the run, so no two creates share a key, email or phone.
_NUMBERS = itertools.count()


def per_call_us(calls: int, action: Callable[[int], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            action(next(_NUMBERS))
        return (time.perf_counter() - start) / calls * 1e6

    return run


def fixture_us(calls: int) -> Callable[[], float]:
    def once(_: int) -> None:
        with FakeSeam().patch():
            pass

    return per_call_us(calls, once)


def seam_client_us(calls: int) -> Callable[[], float]:
    """``Seam()`` inside a fake, as code under test builds it in every test."""
    fake = FakeSeam()

    def run() -> float:
        with fake.patch():
            return per_call_us(calls, lambda _: Seam(api_key=fake.api_key))()

    return run


SUITE_TESTS = 500
_SUITE = {
    "test_fake.py": """
def test_{n}(fake_seam):
    seam = Seam()
    created = seam.user_identities.create(full_name="Jean Doe")
    seam.user_identities.get(user_identity_id=created.user_identity_id)
""",
    # The same imports, so what is left is the per-test cost.
    "test_bare.py": """
def test_{n}():
    pass
""",
}


def suite_per_test_ms(rounds: int) -> float:
    """A generated suite of 500 tests, each the ``fake_seam`` fixture, ``Seam()``, one
    create and one get, against 500 empty tests: the difference per test, in ms, of
    whole ``pytest`` runs (start-up included on both sides, so it cancels)."""
    with tempfile.TemporaryDirectory() as folder:
        for name, body in _SUITE.items():
            text = "from seam import Seam\n" + "".join(body.format(n=n) for n in range(SUITE_TESTS))
            Path(folder, name).write_text(text, encoding="utf-8")

        def seconds(name: str) -> float:
            command = [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                name,
            ]
            start = time.perf_counter()
            subprocess.run(command, cwd=folder, check=True, capture_output=True)
            return time.perf_counter() - start

        differences = [seconds("test_fake.py") - seconds("test_bare.py") for _ in range(rounds)]
    return statistics.median(differences) / SUITE_TESTS * 1e3


def create_and_get(seam: Seam, prefix: str) -> Callable[[int], object]:
    def action(n: int) -> object:
        created = seam.user_identities.create(
            user_identity_key=f"{prefix}key{n}",
            email_address=f"{prefix}user{n}@example.com",
            phone_number=f"+1555{n % 10_000_000:07d}",
            full_name="Jean Doe",
        )
        return seam.user_identities.get(user_identity_id=created.user_identity_id)

    return action


def floor_client(fake: FakeSeam) -> Seam:
    """The SDK answered by canned JSON, wrapped in its own retry transport as its default client is."""
    headers = {"authorization": f"Bearer {fake.api_key}", "content-type": "application/json"}
    created = fake.handle(
        Request("POST", "/user_identities/create", "", headers, b'{"full_name": "Jean Doe"}')
    ).json()
    canned = json.dumps({"ok": True, "user_identity": created["user_identity"]}).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "application/json"}, content=canned)

    transport = RetryTransport(httpx.MockTransport(answer), retry=DEFAULT_RETRIES)
    return Seam(api_key="seam_test_floor", httpx_options={"transport": transport})


def populate(fake: FakeSeam, count: int) -> None:
    """``count`` identities, seeded from Python: creating 100,000 through the SDK would
    take minutes and measure nothing new."""
    for n in range(count):
        fake.add_user_identity(
            user_identity_key=f"bulk{n}", email_address=f"bulk{n}@example.com", full_name=f"Bulk Person {n}"
        )


@contextmanager
def sized_fake(count: int) -> Iterator[tuple[FakeSeam, Seam]]:
    fake = FakeSeam()
    populate(fake, count)
    with fake.patch():
        yield fake, Seam(api_key=fake.api_key)


def memory_per_identity(pairs: int, call_log_limit: int | None = 0) -> float:
    """Bytes per identity with one linked ACS user, past the fixed costs (caches, first
    allocations): the growth between ``pairs`` and ``2 * pairs`` identities. By default
    the call log keeps nothing, so this is the state alone; the log's own cost per call
    is the difference with ``call_log_limit=None``."""
    fake = FakeSeam(call_log_limit=call_log_limit)
    system = fake.add_acs_system("HQ")["acs_system_id"]
    headers = {"authorization": f"Bearer {fake.api_key}", "content-type": "application/json"}

    def create(n: int) -> None:
        body = {
            "user_identity_key": f"member-{n:07d}",
            "email_address": f"member{n:07d}@example.com",
            "phone_number": f"+1555{n:07d}",
            "full_name": f"Member {n:07d}",
            "acs_system_ids": [system],
        }
        response = fake.handle(
            Request("POST", "/user_identities/create", "", headers, json.dumps(body).encode())
        )
        assert response.status == 200, response.body

    for n in range(pairs):
        create(n)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(pairs, 2 * pairs):
        create(n)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / pairs


def server_threads(threads: int, seconds: float, canned: bool = False) -> tuple[float, float, float]:
    """SDK gets over loopback from ``threads`` clients at once, each its own ``Seam()``:
    requests per second in all, and the median and 99th-percentile latency in ms. With
    ``canned``, against the canned ``http.server`` instead of the fake: the most these
    clients can get from any server in this process."""
    with contextlib.ExitStack() as stack:
        if canned:
            api_key, endpoint = "seam_test_floor", stack.enter_context(canned_server(FakeSeam()))
            identity_id = "00000000-0000-4000-8000-000000000000"
        else:
            server = stack.enter_context(BackgroundServer())
            api_key, endpoint = server.api_key, server.endpoint
            identity_id = (
                Seam(api_key=api_key, endpoint=endpoint)
                .user_identities.create(full_name="Jean")
                .user_identity_id
            )
        latencies: list[list[float]] = [[] for _ in range(threads)]
        start = time.perf_counter()

        def client(index: int) -> None:
            seam = Seam(api_key=api_key, endpoint=endpoint)
            while time.perf_counter() - start < seconds:
                began = time.perf_counter()
                seam.user_identities.get(user_identity_id=identity_id)
                latencies[index].append((time.perf_counter() - began) * 1e3)

        workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - start
    every = sorted(latency for mine in latencies for latency in mine)
    return len(every) / elapsed, every[len(every) // 2], every[min(len(every) - 1, len(every) * 99 // 100)]


def state_create_ms(count: int, calls: int) -> float:
    """One SDK create against a server keeping a ``--state`` file, with ``count``
    identities in the workspace: the median ms (each write appends its change to the
    file's journal and fsyncs it; the file starts as a base of the whole state)."""
    fake = FakeSeam()
    populate(fake, count)
    runs = []
    with (
        tempfile.TemporaryDirectory() as folder,
        BackgroundServer(fake, state_file=Path(folder, "s.json")) as server,
    ):
        seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
        for n in range(calls):
            began = time.perf_counter()
            seam.user_identities.create(full_name=f"Saved {n}")
            runs.append((time.perf_counter() - began) * 1e3)
    return statistics.median(runs)


OFFICIAL_FAKE_VERSION = "1.86.0"
CI = Path(__file__).resolve().parent.parent / ".ci"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_for_health(endpoint: str) -> None:
    """Until a server just started answers ``/health`` (at most some 20 s)."""
    for _ in range(400):
        try:
            httpx.get(endpoint + "/health", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)


@contextmanager
def official_fake() -> Iterator[str | None]:
    """Seam's official fake (@seamapi/fake-seam-connect, pinned) serving on 127.0.0.1 from a
    temporary folder, as the differential tests start it; None without node and npm."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        yield None
        return
    with tempfile.TemporaryDirectory() as folder:
        quiet = {"cwd": folder, "check": True, "capture_output": True}
        subprocess.run(["npm", "init", "-y"], **quiet)  # type: ignore[call-overload]
        package = f"@seamapi/fake-seam-connect@{OFFICIAL_FAKE_VERSION}"
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", package], **quiet)  # type: ignore[call-overload]
        for name in ("official_fake.mjs", "loopback.cjs"):
            shutil.copy(CI / name, folder)
        port = _free_port()
        environment = {**os.environ, "PORT": str(port), "NODE_ENV": "production"}
        process = subprocess.Popen(
            ["node", "-r", "./loopback.cjs", "official_fake.mjs"],
            cwd=folder,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            endpoint = f"http://127.0.0.1:{port}"
            _wait_for_health(endpoint)
            yield endpoint
        finally:
            process.terminate()
            process.wait(timeout=10)


def acs_user_create_and_get(seam: Seam, system: str) -> Callable[[int], object]:
    def action(n: int) -> object:
        user = seam.acs.users.create(acs_system_id=system, full_name=f"Bench User {n}")
        return seam.acs.users.get(acs_user_id=user.acs_user_id)

    return action


def server_create_and_get_us(calls: int, rounds: int) -> float:
    """SDK create + get of a user identity against seam-fake serve over loopback."""
    with BackgroundServer() as server:
        seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
        return median(rounds, per_call_us(calls, create_and_get(seam, "server")))


def acs_users_over_loopback_us(calls: int, rounds: int) -> tuple[float, float | None]:
    """SDK ACS user create + get over loopback: seam-fake serve, and the official fake
    (None without node)."""
    with BackgroundServer() as server:
        system = server.fake.add_acs_system("Bench", external_type="visionline_system")["acs_system_id"]
        ours = median(
            rounds,
            per_call_us(
                calls, acs_user_create_and_get(Seam(api_key=server.api_key, endpoint=server.endpoint), system)
            ),
        )
    with official_fake() as endpoint:
        if endpoint is None:
            return ours, None
        seam = Seam(api_key="seam_apikey1_token", endpoint=endpoint)
        theirs = median(rounds, per_call_us(calls, acs_user_create_and_get(seam, "visionline_acs_system_1")))
    return ours, theirs


@contextmanager
def canned_server(fake: FakeSeam) -> Iterator[str]:
    """An ``http.server`` on 127.0.0.1 that answers every request with one identity's
    canned JSON: what the SDK, httpx and a standard-library server cost over loopback
    with no fake at all (the floor for server mode)."""
    floor_client(fake)  # one identity in the fake, for its JSON
    identity = next(iter(fake.world.workspace(None).user_identities.values()))
    body = json.dumps(
        {"ok": True, "user_identity": render.user_identity(fake.world.workspace(None), identity)}
    )
    canned = body.encode()

    class Canned(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(canned)))
            self.end_headers()
            self.wfile.write(canned)

        do_GET = do_POST

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def loopback_floor_us(calls: int, rounds: int) -> float:
    """SDK create + get against the canned server over loopback."""
    fake = FakeSeam()
    with canned_server(fake) as endpoint:
        seam = Seam(api_key="seam_test_floor", endpoint=endpoint)
        return median(rounds, per_call_us(calls, create_and_get(seam, "loop")))


def server_capacity(threads: int, seconds: float) -> tuple[float, float]:
    """``seam-fake serve`` in its own process, loaded by ``threads`` light clients
    (``http.client``, keep-alive) in this one: gets per second, and the server's CPU
    time per request (from /proc; 0 where there is none). The SDK clients of the other
    server rows cost more CPU than the server does, so those rows measure the clients."""
    port, key = _free_port(), "seam_test_capacity"
    command = [sys.executable, "-m", "seam_fake", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--api-key", key], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def cpu_seconds() -> float:
        try:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    try:
        endpoint = f"http://127.0.0.1:{port}"
        _wait_for_health(endpoint)
        headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}
        created = httpx.post(
            endpoint + "/user_identities/create", json={"full_name": "Jean"}, headers=headers
        )
        body = json.dumps({"user_identity_id": created.json()["user_identity"]["user_identity_id"]})
        counts = [0] * threads
        start, cpu_before = time.perf_counter(), cpu_seconds()

        def client(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port)
            while time.perf_counter() - start < seconds:
                connection.request("POST", "/user_identities/get", body=body, headers=headers)
                connection.getresponse().read()
                counts[index] += 1
            connection.close()

        workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        done = sum(counts)
        return done / (time.perf_counter() - start), (cpu_seconds() - cpu_before) / done * 1e6
    finally:
        process.terminate()
        process.wait(timeout=10)


def server_requests_per_second(seconds: float) -> float:
    with BackgroundServer() as server:
        seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
        identity = seam.user_identities.create(full_name="Jean Doe")
        done = 0
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            seam.user_identities.get(user_identity_id=identity.user_identity_id)
            done += 1
        return done / (time.perf_counter() - start)


def scaling_points(sizes: list[int], calls: int, rounds: int) -> dict[int, tuple[float, float]]:
    """Per size: (create + get us, list page us)."""
    points = {}
    for size in sizes:
        with sized_fake(size) as (_, seam):
            call = median(rounds, per_call_us(calls, create_and_get(seam, "s")))
            page = median(rounds, per_call_us(calls, lambda _: seam.user_identities.list(limit=LIST_PAGE)))
        points[size] = (call, page)
    return points


def plot(points: dict[int, tuple[float, float]], floor: float, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(points)
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot(sizes, [points[s][0] for s in sizes], marker="o", label="create + get through the SDK")
    axes.plot(sizes, [points[s][1] for s in sizes], marker="o", label=f"list page of {LIST_PAGE}")
    axes.axhline(floor, linestyle="--", color="grey", label="create + get, canned-response floor")
    axes.set_xscale("log")
    axes.set_ylim(bottom=0)
    axes.set_xlabel("identities in the workspace")
    axes.set_ylabel("microseconds per call (median)")
    axes.set_title("seam-fake: cost per call against workspace size")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer calls and rounds: a smoke run")
    parser.add_argument("--plot", metavar="PNG", help="write the scaling plot here (needs matplotlib)")
    args = parser.parse_args()
    calls, rounds = (60, 3) if args.quick else (400, 5)

    rows: list[Row] = []
    fixture = median(rounds, fixture_us(calls * 5))
    rows.append(Row("FakeSeam() + patch() enter/exit", fixture, "us", "<= 1000 us", fixture <= 1000))
    client = median(rounds, seam_client_us(calls))
    rows.append(Row("Seam() inside a fake", client, "us", "<= 1000 us", client <= 1000))
    per_test = suite_per_test_ms(1 if args.quick else 3)
    rows.append(
        Row(f"{SUITE_TESTS}-test suite: per test over a bare suite", per_test, "ms", "<= 2 ms", per_test <= 2)
    )

    fake = FakeSeam()
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        floor = floor_client(fake)
        # Interleaved rounds, so a burst of noise hits both sides alike.
        fake_runs: list[float] = []
        floor_runs: list[float] = []
        for _ in range(rounds):
            fake_runs.append(per_call_us(calls, create_and_get(seam, f"r{len(fake_runs)}"))())
            floor_runs.append(per_call_us(calls, create_and_get(floor, "f"))())
    fake_us, floor_us = statistics.median(fake_runs), statistics.median(floor_runs)
    ratio = fake_us / floor_us
    rows.append(Row("SDK create + get: canned-response floor", floor_us, "us"))
    rows.append(Row("SDK create + get: fake", fake_us, "us"))
    rows.append(Row("SDK create + get: fake / floor", ratio, "x", "<= 1.3 x", ratio <= 1.3))

    sizes = [100, 1_000, 10_000, 100_000]
    points = scaling_points(sizes, calls, rounds)
    small, large = points[sizes[0]], points[sizes[-1]]
    for size in (sizes[0], sizes[-1]):
        rows.append(Row(f"SDK create + get, {size:,} identities", points[size][0], "us"))
        rows.append(Row(f"SDK list page of {LIST_PAGE}, {size:,} identities", points[size][1], "us"))
    call_ratio, page_ratio = large[0] / small[0], large[1] / small[1]
    rows.append(Row("create + get: 100,000 / 100 identities", call_ratio, "x", "<= 1.2 x", call_ratio <= 1.2))
    rows.append(Row("list page: 100,000 / 100 identities", page_ratio, "x", "<= 1.5 x", page_ratio <= 1.5))

    pairs = 2_000 if args.quick else 10_000
    memory = memory_per_identity(pairs)
    rows.append(
        Row("memory per identity with one linked ACS user", memory, "bytes", "<= 4096 B", memory <= 4096)
    )
    # The log is bounded (10,000 calls by default), so this is a fixed ceiling, not growth.
    rows.append(Row("call log: memory per call kept", memory_per_identity(pairs, None) - memory, "bytes"))
    rows.append(
        Row(
            "server mode: SDK gets over loopback", server_requests_per_second(1 if args.quick else 3), "req/s"
        )
    )
    over_loopback = server_create_and_get_us(calls // 2, rounds)
    loopback_ratio = over_loopback / floor_us
    rows.append(Row("server: SDK create + get over loopback", over_loopback, "us"))
    rows.append(
        Row("server create + get / in-process floor", loopback_ratio, "x", "<= 3 x", loopback_ratio <= 3)
    )
    canned = loopback_floor_us(calls // 2, rounds)
    rows.append(Row("loopback floor: the same calls, canned http.server", canned, "us"))
    rows.append(Row("server create + get / loopback floor", over_loopback / canned, "x"))
    ours, theirs = acs_users_over_loopback_us(calls // 4, rounds)
    rows.append(Row("seam-fake serve: SDK ACS user create + get", ours, "us"))
    if theirs is None:
        print("official fake NOT MEASURED: node and npm are not on this machine")
    else:
        rows.append(Row(f"official fake {OFFICIAL_FAKE_VERSION}: the same calls", theirs, "us"))
        rows.append(Row("official fake / seam-fake serve", theirs / ours, "x"))
    seconds = 1 if args.quick else 2
    single = 0.0
    for threads in (1, 4, 16):
        rate, p50, p99 = server_threads(threads, seconds)
        single = single or rate
        target = "" if threads == 1 else ">= 3 x 1"
        met = None if threads == 1 else rate >= 3 * single
        rows.append(Row(f"server, {threads} client threads: SDK gets", rate, "req/s", target, met))
        rows.append(
            Row(f"server, {threads} client threads: p50 / p99 latency", p50, "ms", f"p99 {p99:.1f} ms")
        )
        rows.append(
            Row(
                f"canned http.server, {threads} client threads",
                server_threads(threads, seconds, True)[0],
                "req/s",
            )
        )
    for threads in (1, 4):
        rate, cpu = server_capacity(threads, seconds)
        rows.append(Row(f"server capacity, {threads} light client(s): gets", rate, "req/s"))
        rows.append(Row(f"server capacity, {threads} light client(s): server CPU", cpu, "us/req"))
    state_sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    # A write no longer rewrites the state, so enough of them for a steady median.
    state = {size: state_create_ms(size, 25) for size in state_sizes}
    for size, cost in state.items():
        rows.append(Row(f"--state: one create, {size:,} identities", cost, "ms"))
    growth = state[state_sizes[-1]] / state[1_000]
    rows.append(
        Row(f"--state create: {state_sizes[-1]:,} / 1,000 identities", growth, "x", "<= 2 x", growth <= 2)
    )

    print(f"{'measure':<50} {'value':>10} {'unit':<6} {'target':<11} ok")
    for row in rows:
        verdict = "" if row.ok is None else ("yes" if row.ok else "NO")
        print(f"{row.measure:<50} {row.value:>10.1f} {row.unit:<6} {row.target:<11} {verdict}")
    print(f"\nscaling (us per call): {json.dumps({s: [round(v, 1) for v in p] for s, p in points.items()})}")
    if args.plot:
        plot(points, floor_us, args.plot)
        print(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
