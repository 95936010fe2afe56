"""``FakeSeam.patch()``: which traffic reaches the fake, which passes through, and clean restoration.

These tests build ``FakeSeam()`` themselves instead of using the ``fake_seam``
fixture, so they control exactly when the patch is entered and left.

To check that traffic is *not* answered by the fake without touching the
network, ``original_transports`` swaps sentinels in for the original httpx and
requests transport methods before a patch is entered: the patch then captures
the sentinels as "the originals", and anything passed through lands in them.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import requests
import requests.adapters
from helpers import auth, free_port
from openapi_schema import assert_valid_response
from seam import AsyncSeam, Seam, SeamHttpApiError

from seam_fake import DEFAULT_ENDPOINT, FakeSeam, Response

CREATE = "/user_identities/create"
GET = "/user_identities/get"


def identity_ids(fake: FakeSeam) -> set[str]:
    """Every user identity id the fake holds, in every workspace."""
    return {
        user_identity_id
        for ws in fake.snapshot()["workspaces"].values()
        for user_identity_id in ws["user_identities"]
    }


def identity_keys(fake: FakeSeam) -> list[str]:
    return sorted(
        (identity["user_identity_key"] or "")
        for ws in fake.snapshot()["workspaces"].values()
        for identity in ws["user_identities"].values()
    )


def assert_fake_created(body: dict[str, Any], fake: FakeSeam, key: str) -> None:
    """A create answer from ``fake``: valid, in its workspace, and now in its state."""
    assert_valid_response(CREATE, body)
    identity = body["user_identity"]
    assert identity["user_identity_key"] == key
    assert identity["workspace_id"] == fake.workspace_id
    assert identity["user_identity_id"] in identity_ids(fake)


# Sentinel originals ---------------------------------------------------------------------------------------


@dataclass
class Originals:
    """Sentinels installed in place of the real transport methods, and what reached them."""

    urls: list[str] = field(default_factory=list)
    sync: Any = None
    async_: Any = None
    send: Any = None

    def current(self) -> tuple[Any, Any, Any]:
        return (
            httpx.HTTPTransport.handle_request,
            httpx.AsyncHTTPTransport.handle_async_request,
            requests.adapters.HTTPAdapter.send,
        )


SENTINEL_BODY = b'{"sentinel": true}'


@pytest.fixture
def original_transports(monkeypatch: pytest.MonkeyPatch) -> Originals:
    originals = Originals()

    def sync(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        originals.urls.append(str(request.url))
        return httpx.Response(200, content=SENTINEL_BODY, request=request)

    async def async_(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        originals.urls.append(str(request.url))
        return httpx.Response(200, content=SENTINEL_BODY, request=request)

    def send(
        self: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        originals.urls.append(request.url or "")
        response = requests.Response()
        response.status_code = 200
        response._content = SENTINEL_BODY
        response.request = request
        response.url = request.url or ""
        return response

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", sync)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", async_)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    originals.sync, originals.async_, originals.send = sync, async_, send
    return originals


def via_httpx(url: str, **kwargs: Any) -> httpx.Response:
    with httpx.Client() as client:
        return client.post(url, **kwargs)


def via_httpx_async(url: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.post(url, **kwargs)

    return asyncio.run(go())


def via_requests(url: str, **kwargs: Any) -> requests.Response:
    return requests.post(url, **kwargs)


CLIENTS = {"httpx": via_httpx, "httpx_async": via_httpx_async, "requests": via_requests}


# A real local HTTP server -----------------------------------------------------------------------------------


class _EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        body = json.loads(raw) if raw else None
        payload = json.dumps({"method": self.command, "path": self.path, "body": body}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("x-real-server", "yes")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def real_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Every client reaches the fake ------------------------------------------------------------------------------


def test_sdk_reaches_the_fake_inside_the_patch() -> None:
    fake = FakeSeam()
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        created = seam.user_identities.create(user_identity_key="sdk_user", full_name="Sdk User")
        fetched = seam.user_identities.get(user_identity_key="sdk_user")
    assert fetched.user_identity_id == created.user_identity_id
    assert created.workspace_id == fake.workspace_id
    assert identity_ids(fake) == {created.user_identity_id}


def test_async_sdk_reaches_the_fake_inside_the_patch() -> None:
    fake = FakeSeam()

    async def go() -> tuple[Any, Any]:
        seam = AsyncSeam(api_key=fake.api_key)
        created = await seam.user_identities.create(user_identity_key="async_user")
        fetched = await seam.user_identities.get(user_identity_id=created.user_identity_id)
        return created, fetched

    with fake.patch():
        created, fetched = asyncio.run(go())
    assert fetched.user_identity_key == "async_user"
    assert created.workspace_id == fake.workspace_id
    assert identity_ids(fake) == {created.user_identity_id}


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_raw_clients_reach_the_fake_inside_the_patch(client: str) -> None:
    fake = FakeSeam()
    key = f"raw_{client}"
    with fake.patch():
        response = CLIENTS[client](
            fake.endpoint + CREATE, json={"user_identity_key": key}, headers=auth(fake)
        )
    assert response.status_code == 200, response.text
    assert response.headers["seam-request-id"]
    assert_fake_created(response.json(), fake, key)


def test_requests_get_and_a_session_reach_the_fake_inside_the_patch() -> None:
    fake = FakeSeam()
    with fake.patch():
        created = requests.post(
            fake.endpoint + CREATE, json={"user_identity_key": "via_post"}, headers=auth(fake)
        ).json()["user_identity"]
        fetched = requests.get(
            fake.endpoint + GET, params={"user_identity_key": "via_post"}, headers=auth(fake)
        )
        with requests.Session() as session:
            session.headers.update(auth(fake))
            from_session = session.post(fake.endpoint + CREATE, json={"user_identity_key": "via_session"})
            session_get = session.get(
                fake.endpoint + GET,
                params={"user_identity_id": from_session.json()["user_identity"]["user_identity_id"]},
            )
    assert fetched.status_code == 200, fetched.text
    assert_valid_response(GET, fetched.json(), "get")
    assert fetched.json()["user_identity"] == created
    assert from_session.status_code == 200, from_session.text
    assert_fake_created(from_session.json(), fake, "via_session")
    assert session_get.json()["user_identity"] == from_session.json()["user_identity"]
    assert identity_keys(fake) == ["via_post", "via_session"]


def test_httpx_client_created_before_the_patch_is_routed_too() -> None:
    fake = FakeSeam()
    sync_client = httpx.Client(headers=auth(fake))
    async_client = httpx.AsyncClient(headers=auth(fake))
    seam = Seam(api_key=fake.api_key)
    try:
        with fake.patch():
            sync_response = sync_client.post(fake.endpoint + CREATE, json={"user_identity_key": "early_sync"})
            async_response = asyncio.run(
                async_client.post(fake.endpoint + CREATE, json={"user_identity_key": "early_async"})
            )
            from_sdk = seam.user_identities.create(user_identity_key="early_sdk")
    finally:
        sync_client.close()
        asyncio.run(async_client.aclose())
    assert_fake_created(sync_response.json(), fake, "early_sync")
    assert_fake_created(async_response.json(), fake, "early_async")
    assert from_sdk.workspace_id == fake.workspace_id
    assert identity_keys(fake) == ["early_async", "early_sdk", "early_sync"]


def test_requests_session_created_before_the_patch_is_routed_too() -> None:
    fake = FakeSeam()
    with requests.Session() as session:
        session.headers.update(auth(fake))
        with fake.patch():
            response = session.post(fake.endpoint + CREATE, json={"user_identity_key": "early_session"})
    assert_fake_created(response.json(), fake, "early_session")


def test_requests_from_other_threads_reach_the_fake() -> None:
    fake = FakeSeam()
    keys = [f"thread_{i}" for i in range(6)]

    def create(key: str) -> int:
        return requests.post(
            fake.endpoint + CREATE, json={"user_identity_key": key}, headers=auth(fake)
        ).status_code

    with fake.patch(), ThreadPoolExecutor(max_workers=3) as pool:
        statuses = list(pool.map(create, keys))
    assert statuses == [200] * len(keys)
    assert identity_keys(fake) == sorted(keys)


def test_sdk_reaches_the_fake_through_a_configured_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A CI runner's HTTPS_PROXY makes httpx build a proxy transport; the fake still answers, the proxy
    # (a closed port) is never contacted.
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{free_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    fake = FakeSeam()
    with fake.patch():
        created = Seam(api_key=fake.api_key).user_identities.create(user_identity_key="behind_proxy")
        response = requests.post(
            fake.endpoint + CREATE, json={"user_identity_key": "req_proxy"}, headers=auth(fake)
        )
    assert created.workspace_id == fake.workspace_id
    assert_fake_created(response.json(), fake, "req_proxy")


@pytest.mark.parametrize(
    "url_endpoint",
    ["https://CONNECT.GetSeam.com", "https://connect.getseam.com:443"],
    ids=["upper_case_host", "explicit_default_port"],
)
@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_equivalent_spellings_of_the_endpoint_reach_the_fake(
    original_transports: Originals, client: str, url_endpoint: str
) -> None:
    fake = FakeSeam()
    with fake.patch():
        response = CLIENTS[client](url_endpoint + CREATE, json={"user_identity_key": "k"}, headers=auth(fake))
    assert original_transports.urls == []
    assert_fake_created(response.json(), fake, "k")


# Other URLs pass through ------------------------------------------------------------------------------------


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_other_urls_reach_a_real_server_while_patched(real_server: str, client: str) -> None:
    fake = FakeSeam()
    before = fake.snapshot()
    payload = {"client": client}
    with fake.patch():
        response = CLIENTS[client](real_server + f"/echo/{client}?x=1", json=payload, headers=auth(fake))
    assert response.status_code == 200
    assert response.headers["x-real-server"] == "yes"
    assert response.json() == {"method": "POST", "path": f"/echo/{client}?x=1", "body": payload}
    assert fake.snapshot() == before


def test_requests_get_reaches_a_real_server_while_patched(real_server: str) -> None:
    fake = FakeSeam()
    with fake.patch():
        response = requests.get(real_server + "/plain")
    assert response.json() == {"method": "GET", "path": "/plain", "body": None}


def test_fake_on_the_same_host_and_another_port_leaves_the_real_server_alone(real_server: str) -> None:
    fake = FakeSeam(endpoint=f"http://127.0.0.1:{free_port()}")
    with fake.patch():
        real = httpx.get(real_server + CREATE)
        faked = requests.post(fake.endpoint + CREATE, json={"user_identity_key": "local"}, headers=auth(fake))
    assert real.json()["path"] == CREATE
    assert_fake_created(faked.json(), fake, "local")


def test_fake_with_a_base_path_on_a_real_server_splits_the_traffic(real_server: str) -> None:
    fake = FakeSeam(endpoint=real_server + "/seam")
    with fake.patch():
        faked = httpx.post(fake.endpoint + CREATE, json={"user_identity_key": "split"}, headers=auth(fake))
        real = requests.post(real_server + CREATE, json={"user_identity_key": "not_faked"})
        lookalike = requests.get(real_server + "/seamless" + CREATE)
    assert_fake_created(faked.json(), fake, "split")
    assert real.json()["path"] == CREATE
    assert lookalike.json()["path"] == "/seamless" + CREATE
    assert identity_keys(fake) == ["split"]


@pytest.mark.parametrize(
    "url",
    [
        "http://connect.getseam.com" + CREATE,
        "https://connect.getseam.com:8443" + CREATE,
        "https://api.connect.getseam.com" + CREATE,
        "https://connect.getseam.com.example.test" + CREATE,
        "https://getseam.com" + CREATE,
    ],
    ids=["other_scheme", "other_port", "subdomain", "host_suffix", "parent_domain"],
)
@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_lookalike_urls_pass_through_to_the_original_transport(
    original_transports: Originals, client: str, url: str
) -> None:
    fake = FakeSeam()
    before = fake.snapshot()
    with fake.patch():
        response = CLIENTS[client](url, json={"user_identity_key": "lookalike"}, headers=auth(fake))
    assert response.content == SENTINEL_BODY
    assert len(original_transports.urls) == 1
    assert fake.snapshot() == before


# Several fakes at once --------------------------------------------------------------------------------------


def test_two_nested_fakes_each_see_only_their_own_traffic(original_transports: Originals) -> None:
    outer = FakeSeam(endpoint="https://outer.example.test")
    inner = FakeSeam(endpoint="https://inner.example.test")
    with outer.patch():
        outer_seam = Seam(api_key=outer.api_key, endpoint=outer.endpoint)
        with inner.patch():
            inner_seam = Seam(api_key=inner.api_key, endpoint=inner.endpoint)
            # The same key in both: a shared state would refuse the second one.
            in_outer = outer_seam.user_identities.create(user_identity_key="same_key")
            in_inner = inner_seam.user_identities.create(user_identity_key="same_key")
            # Each fake knows only its own key.
            crossed = requests.post(inner.endpoint + CREATE, json={}, headers=auth(outer))
            both_patched = original_transports.current()
        # Leaving the inner block keeps the outer fake routed and lets the inner endpoint through.
        outer_after = outer_seam.user_identities.create(user_identity_key="after_inner")
        gone = via_httpx(inner.endpoint + CREATE, json={"user_identity_key": "x"}, headers=auth(inner))
        outer_patched = original_transports.current()
    assert in_outer.workspace_id == outer.workspace_id
    assert in_inner.workspace_id == inner.workspace_id
    assert crossed.status_code == 401
    assert crossed.json()["error"]["type"] == "unauthorized"
    assert identity_ids(outer) == {in_outer.user_identity_id, outer_after.user_identity_id}
    assert identity_ids(inner) == {in_inner.user_identity_id}
    assert gone.content == SENTINEL_BODY
    assert original_transports.urls == [inner.endpoint + CREATE]
    sentinels = (original_transports.sync, original_transports.async_, original_transports.send)
    assert both_patched == outer_patched
    assert all(a is not b for a, b in zip(both_patched, sentinels, strict=True))
    assert original_transports.current() == sentinels


def test_two_fakes_on_one_host_with_lookalike_base_paths(original_transports: Originals) -> None:
    first = FakeSeam(endpoint="https://api.example.test/seam")
    second = FakeSeam(endpoint="https://api.example.test/seam2")
    with first.patch(), second.patch():
        for fake in (first, second):
            for client in sorted(CLIENTS):
                response = CLIENTS[client](
                    fake.endpoint + CREATE, json={"user_identity_key": client}, headers=auth(fake)
                )
                assert_fake_created(response.json(), fake, client)
    assert identity_keys(first) == identity_keys(second) == sorted(CLIENTS)
    assert original_transports.urls == []


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_endpoint_with_a_base_path_routes_only_below_it(original_transports: Originals, client: str) -> None:
    fake = FakeSeam(endpoint="https://api.example.test/seam")
    with fake.patch():
        faked = CLIENTS[client](
            "https://api.example.test/seam" + CREATE, json={"user_identity_key": "based"}, headers=auth(fake)
        )
        other = CLIENTS[client]("https://api.example.test/other", json={}, headers=auth(fake))
        unprefixed = CLIENTS[client]("https://api.example.test" + CREATE, json={}, headers=auth(fake))
        lookalike = CLIENTS[client]("https://api.example.test/seamless" + CREATE, json={}, headers=auth(fake))
    assert_fake_created(faked.json(), fake, "based")
    assert other.content == unprefixed.content == lookalike.content == SENTINEL_BODY
    assert original_transports.urls == [
        "https://api.example.test/other",
        "https://api.example.test" + CREATE,
        "https://api.example.test/seamless" + CREATE,
    ]
    assert identity_keys(fake) == ["based"]


def test_sdk_with_a_base_path_endpoint_reaches_the_fake(original_transports: Originals) -> None:
    fake = FakeSeam(endpoint="https://api.example.test/seam/")
    with fake.patch():
        seam = Seam(api_key=fake.api_key, endpoint="https://api.example.test/seam")
        created = seam.user_identities.create(user_identity_key="sdk_based")
        fetched = seam.user_identities.get(user_identity_key="sdk_based")
    assert fetched.user_identity_id == created.user_identity_id
    assert identity_ids(fake) == {created.user_identity_id}
    assert original_transports.urls == []


# Restoring the originals ------------------------------------------------------------------------------------


def real_methods() -> tuple[Any, Any, Any]:
    return (
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
        requests.adapters.HTTPAdapter.send,
    )


def test_leaving_the_block_restores_the_very_same_methods() -> None:
    before = real_methods()
    fake = FakeSeam()
    with fake.patch():
        during = real_methods()
    after = real_methods()
    assert all(a is not b for a, b in zip(before, during, strict=True))
    assert all(a is b for a, b in zip(before, after, strict=True))


def test_an_exception_in_the_block_restores_the_methods_and_propagates() -> None:
    before = real_methods()
    fake = FakeSeam()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), fake.patch():
        requests.post(fake.endpoint + CREATE, json={"user_identity_key": "before_boom"}, headers=auth(fake))
        raise Boom
    assert all(a is b for a, b in zip(before, real_methods(), strict=True))
    # What happened before the exception stays in the fake.
    assert identity_keys(fake) == ["before_boom"]


def test_an_exception_in_a_nested_block_restores_each_level() -> None:
    before = real_methods()
    outer = FakeSeam(endpoint="https://outer.example.test")
    inner = FakeSeam(endpoint="https://inner.example.test")
    with pytest.raises(RuntimeError), outer.patch():
        with pytest.raises(KeyError), inner.patch():
            raise KeyError("inner")
        # The outer fake still answers after the inner block failed.
        response = requests.post(
            outer.endpoint + CREATE, json={"user_identity_key": "o"}, headers=auth(outer)
        )
        assert_fake_created(response.json(), outer, "o")
        raise RuntimeError("outer")
    assert all(a is b for a, b in zip(before, real_methods(), strict=True))


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_after_the_block_the_default_endpoint_goes_to_the_original_transport(
    original_transports: Originals, client: str
) -> None:
    fake = FakeSeam()
    assert fake.endpoint == DEFAULT_ENDPOINT
    with fake.patch():
        inside = CLIENTS[client](
            DEFAULT_ENDPOINT + CREATE, json={"user_identity_key": "in"}, headers=auth(fake)
        )
    before = fake.snapshot()
    outside = CLIENTS[client](
        DEFAULT_ENDPOINT + CREATE, json={"user_identity_key": "out"}, headers=auth(fake)
    )
    assert_fake_created(inside.json(), fake, "in")
    assert outside.content == SENTINEL_BODY
    assert original_transports.urls == [DEFAULT_ENDPOINT + CREATE]
    assert fake.snapshot() == before


def test_after_the_block_the_sdk_is_no_longer_answered(original_transports: Originals) -> None:
    fake = FakeSeam()
    seam = Seam(api_key=fake.api_key)
    with fake.patch():
        seam.user_identities.create(user_identity_key="inside")
    seam.client.post(CREATE, json={"user_identity_key": "outside"})
    assert original_transports.urls == [DEFAULT_ENDPOINT + CREATE]
    assert identity_keys(fake) == ["inside"]


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_after_the_block_a_local_endpoint_hits_the_real_network(client: str) -> None:
    # No mocking at all: the fake's endpoint is a closed local port, so a request that is not
    # answered by the fake fails to connect.
    fake = FakeSeam(endpoint=f"http://127.0.0.1:{free_port()}")
    with fake.patch():
        inside = CLIENTS[client](fake.endpoint + CREATE, json={"user_identity_key": "in"}, headers=auth(fake))
    assert_fake_created(inside.json(), fake, "in")
    with pytest.raises((httpx.ConnectError, requests.ConnectionError)):
        CLIENTS[client](fake.endpoint + CREATE, json={"user_identity_key": "out"}, headers=auth(fake))


def test_the_same_fake_can_be_patched_again_and_keeps_its_state() -> None:
    before = real_methods()
    fake = FakeSeam()
    for key in ("first", "second"):
        with fake.patch():
            response = requests.post(
                fake.endpoint + CREATE, json={"user_identity_key": key}, headers=auth(fake)
            )
            assert_fake_created(response.json(), fake, key)
        assert all(a is b for a, b in zip(before, real_methods(), strict=True))
    assert identity_keys(fake) == ["first", "second"]


# The SDK's retry transport stays above the fake -------------------------------------------------------------


def count_calls(
    monkeypatch: pytest.MonkeyPatch, fake: FakeSeam, *, fail_first_with: int | None = None
) -> list[str]:
    """Record every request the fake answers; optionally answer the first one with an error status."""
    calls: list[str] = []
    real_handle = fake.handle

    def handle(request: Any) -> Response:
        calls.append(f"{request.method} {request.path}")
        if fail_first_with is not None and len(calls) == 1:
            body = {"error": {"type": "unavailable", "message": "try again"}, "ok": False}
            return Response(
                fail_first_with,
                {"content-type": "application/json", "retry-after": "0", "seam-request-id": "injected"},
                json.dumps(body).encode(),
            )
        return real_handle(request)

    monkeypatch.setattr(fake, "handle", handle)
    return calls


def test_a_4xx_comes_back_as_the_sdk_exception_without_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSeam()
    calls = count_calls(monkeypatch, fake)
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        seam.user_identities.create(user_identity_key="taken")
        with pytest.raises(SeamHttpApiError) as conflict:
            seam.user_identities.create(user_identity_key="taken")
        with pytest.raises(SeamHttpApiError) as missing:
            seam.user_identities.get(user_identity_key="nobody")  # a GET: retryable, but a 404 is not
    assert (conflict.value.status_code, conflict.value.code) == (400, "user_identity_key_already_in_use")
    assert (missing.value.status_code, missing.value.code) == (404, "user_identity_not_found")
    assert calls == [f"POST {CREATE}", f"POST {CREATE}", f"GET {GET}"]


@pytest.mark.parametrize("status", [429, 503])
def test_the_sdk_retry_transport_retries_a_get_answered_by_the_fake(
    monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    fake = FakeSeam()
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        identity = seam.user_identities.create(user_identity_key="retried")
        calls = count_calls(monkeypatch, fake, fail_first_with=status)
        fetched = seam.user_identities.get(user_identity_key="retried")
    assert fetched.user_identity_id == identity.user_identity_id
    assert calls == [f"GET {GET}", f"GET {GET}"]


def test_the_sdk_retry_transport_does_not_retry_a_post(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSeam()
    calls = count_calls(monkeypatch, fake, fail_first_with=503)
    with fake.patch(), pytest.raises(SeamHttpApiError) as unavailable:
        Seam(api_key=fake.api_key).user_identities.create(user_identity_key="once")
    assert unavailable.value.status_code == 503
    assert calls == [f"POST {CREATE}"]
    assert identity_ids(fake) == set()


# Optional client libraries ----------------------------------------------------------------------------------

_WITHOUT = textwrap.dedent(
    """
    import json, sys
    sys.modules[{blocked!r}] = None
    import seam_fake
    from seam_fake import FakeSeam
    fake = FakeSeam()
    headers = {{"Authorization": "Bearer " + fake.api_key}}
    url = fake.endpoint + "/user_identities/create"
    import {used}
    before = {original}
    with fake.patch():
        response = {used}.post(url, json={{"user_identity_key": "no_{blocked}"}}, headers=headers)
        patched = {original} is not before
    identities = fake.snapshot()["workspaces"][fake.workspace_id]["user_identities"]
    print(json.dumps({{
        "status": response.status_code,
        "body": response.json(),
        "patched": patched,
        "restored": {original} is before,
        "blocked_loaded": sys.modules.get({blocked!r}) is not None,
        "keys": [i["user_identity_key"] for i in identities.values()],
        "workspace_id": fake.workspace_id,
    }}))
    """
)


@pytest.mark.parametrize(
    ("blocked", "used", "original"),
    [
        ("httpx", "requests", "requests.adapters.HTTPAdapter.send"),
        ("requests", "httpx", "httpx.HTTPTransport.handle_request"),
    ],
)
def test_seam_fake_works_without_one_of_the_clients(blocked: str, used: str, original: str) -> None:
    script = _WITHOUT.format(blocked=blocked, used=used, original=original)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == 200, report
    assert report["body"]["user_identity"]["workspace_id"] == report["workspace_id"]
    assert report["keys"] == [f"no_{blocked}"]
    assert report["patched"] is True
    assert report["restored"] is True
    assert report["blocked_loaded"] is False


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_requests_bytes_like_bodies_reach_the_fake_intact(kind: Any) -> None:
    # A bytearray body was once read as an iterable of ints and arrived as NUL bytes.
    fake = FakeSeam()
    body = kind(json.dumps({"user_identity_key": "bytes-like"}).encode())
    with fake.patch():
        response = requests.post(
            fake.endpoint + "/user_identities/create",
            data=body,
            headers={"Authorization": f"Bearer {fake.api_key}"},
        )
    assert response.status_code == 200, response.text
    assert response.json()["user_identity"]["user_identity_key"] == "bytes-like"
