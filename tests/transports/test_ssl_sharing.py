"""Shared SSL contexts while a fake is active: ``Seam()`` stops paying for the CA bundle,
and TLS to real hosts verifies exactly as before.

httpx builds an SSL context for every transport, loading the whole CA bundle (some 30 ms,
nearly all of what ``Seam()`` costs); a request a fake answers never uses it. While a fake
is active, a transport that asks for httpx's default verification gets one context
built by httpx, once per process for each setting that changes it. Checked here: the
sharing (the CA bundle is loaded once, for sync and async clients and the SDK), its keys
(the environment's CA bundle, HTTP/2), what is never shared (``verify=False``, a context
of the caller's, a client certificate), that the constructors are back as they were
after the fake, and, against a local HTTPS server whose certificate no default bundle
trusts, that verification is never weakened.
"""

from __future__ import annotations

import http.server
import ssl
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import rule, run_state_machine_as_test
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam
from seam_fake.stateful import FakeSeamStateMachine
from seam_fake.transports import httpx_patch

TLS = Path(__file__).parent.parent / "data" / "tls"
CA = TLS / "ca.pem"


@pytest.fixture
def bundle_loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every CA bundle an SSL context loads, from now on."""
    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args or kwargs)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    return loads


def context_of(client: httpx.Client | httpx.AsyncClient) -> ssl.SSLContext:
    transport = client._transport
    # The SDK wraps its transport in a retry transport.
    transport = (
        getattr(transport, "_sync_transport", None)
        or getattr(transport, "_async_transport", None)
        or transport
    )
    context: ssl.SSLContext = transport._pool._ssl_context  # type: ignore[union-attr]
    return context


def test_clients_inside_a_fake_share_one_context(bundle_loads: list[object]) -> None:
    fake = FakeSeam()
    with fake.patch():
        first = httpx.Client()
        loaded = len(bundle_loads)
        others = [httpx.Client() for _ in range(5)]
        seams = [Seam(api_key=fake.api_key) for _ in range(5)]
        async_client = httpx.AsyncClient()
        async_seam = AsyncSeam(api_key=fake.api_key)
        # At most the first client of the process loads the bundle; none after it does.
        assert loaded <= 1
        assert len(bundle_loads) == loaded
        shared = context_of(first)
        assert all(context_of(client) is shared for client in others)
        assert all(context_of(seam.client) is shared for seam in seams)
        assert context_of(async_client) is shared
        assert context_of(async_seam.client) is shared
        assert shared.verify_mode == ssl.CERT_REQUIRED
        assert shared.check_hostname is True
        # The SDK still works through the fake.
        assert seams[0].user_identities.create(full_name="Jean").full_name == "Jean"


def test_a_second_fake_reuses_the_context_of_the_first(bundle_loads: list[object]) -> None:
    with FakeSeam().patch():
        shared = context_of(httpx.Client())
    loaded = len(bundle_loads)
    with FakeSeam().patch():
        assert context_of(httpx.Client()) is shared
    assert len(bundle_loads) == loaded


def test_outside_a_fake_every_client_builds_its_own(bundle_loads: list[object]) -> None:
    init = httpx.HTTPTransport.__init__
    async_init = httpx.AsyncHTTPTransport.__init__
    with FakeSeam().patch():
        assert httpx.HTTPTransport.__init__ is not init
        shared = context_of(httpx.Client())
    assert httpx.HTTPTransport.__init__ is init
    assert httpx.AsyncHTTPTransport.__init__ is async_init
    before = len(bundle_loads)
    own = httpx.Client()
    assert context_of(own) is not shared
    assert len(bundle_loads) == before + 1


@pytest.mark.parametrize(
    "options",
    [
        {"verify": False},
        {"verify": "ca"},
        {"verify": "context"},
        {"trust_env": False},
    ],
    ids=["verify_false", "verify_path", "own_context", "no_trust_env"],
)
def test_what_is_not_httpx_default_is_built_as_asked(options: dict[str, object]) -> None:
    own = ssl.create_default_context(cafile=str(CA))
    if options.get("verify") == "ca":
        options = {"verify": str(CA)}
    elif options.get("verify") == "context":
        options = {"verify": own}
    with FakeSeam().patch():
        shared = context_of(httpx.Client())
        with warnings.catch_warnings():
            # httpx 0.28 deprecates a path as `verify`; 0.27 takes it silently.
            warnings.simplefilter("ignore", DeprecationWarning)
            client = httpx.Client(**options)  # type: ignore[arg-type]
        context = context_of(client)
        if options.get("trust_env") is False:
            # Shared too, but apart from the default one: trust_env changes what httpx builds.
            assert context is not shared
            assert context is context_of(httpx.Client(trust_env=False))
        else:
            assert context is not shared
        if options.get("verify") is False:
            assert context.verify_mode == ssl.CERT_NONE
        if options.get("verify") is own:
            assert context is own


def test_a_client_certificate_is_never_shared() -> None:
    with FakeSeam().patch():
        shared = context_of(httpx.Client())
        with warnings.catch_warnings():
            # httpx 0.28 deprecates `cert`; 0.27 takes it silently.
            warnings.simplefilter("ignore", DeprecationWarning)
            transport = httpx.HTTPTransport(cert=(str(TLS / "server.pem"), str(TLS / "server.key")))
        assert transport._pool._ssl_context is not shared


def test_http2_and_the_environments_bundle_get_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # From a known environment: no bundle named (some machines name their own).
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with FakeSeam().patch():
        shared = context_of(httpx.Client())
        http2 = httpx.HTTPTransport(http2=True)._pool._ssl_context
        assert http2 is not shared
        assert httpx.HTTPTransport(http2=True)._pool._ssl_context is http2
        monkeypatch.setenv("SSL_CERT_FILE", str(CA))
        from_env = context_of(httpx.Client())
        assert from_env is not shared
        monkeypatch.delenv("SSL_CERT_FILE")
        assert context_of(httpx.Client()) is shared


# Real TLS: verification is what it would have been ------------------------------------------


@pytest.fixture(scope="module")
def https_server() -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 whose certificate only tests/data/tls/ca.pem trusts."""

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"hello over TLS"
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(TLS / "server.pem"), str(TLS / "server.key"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_real_host_is_verified_inside_a_fake(https_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with FakeSeam().patch():
        # The default context does not trust the test CA: refused, as it would be without a fake.
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(https_server)
        # The caller's own trust is honoured: a context, the environment's bundle, no verification.
        trusting = ssl.create_default_context(cafile=str(CA))
        assert httpx.get(https_server, verify=trusting).text == "hello over TLS"
        monkeypatch.setenv("SSL_CERT_FILE", str(CA))
        assert httpx.get(https_server).text == "hello over TLS"
        monkeypatch.delenv("SSL_CERT_FILE")
        assert httpx.get(https_server, verify=False).text == "hello over TLS"
        # None of that changed the shared context: the default still refuses.
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(https_server)


def test_a_real_host_is_verified_the_same_without_a_fake(https_server: str) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(https_server)
    assert httpx.get(https_server, verify=ssl.create_default_context(cafile=str(CA))).text == "hello over TLS"


def test_the_shared_context_is_httpx_own_default() -> None:
    built = httpx.create_ssl_context()
    shared = httpx_patch.shared_context()
    for attribute in ("verify_mode", "check_hostname", "options", "minimum_version", "verify_flags"):
        assert getattr(shared, attribute) == getattr(built, attribute), attribute
    # The same certificates (OpenSSL sorts its store at the first lookup: compare as sets).
    assert sorted(c["serialNumber"] for c in shared.get_ca_certs()) == sorted(
        c["serialNumber"] for c in built.get_ca_certs()
    )
    assert shared.get_ciphers() == built.get_ciphers()


def test_clients_inside_the_state_machine_share_it_too() -> None:
    contexts: list[ssl.SSLContext] = []

    class Clients(FakeSeamStateMachine):
        @rule()
        def build_a_client(self) -> None:
            contexts.append(context_of(Seam().client))

    quick = settings(max_examples=3, stateful_step_count=3, database=None, phases=[Phase.generate])
    run_state_machine_as_test(Clients, settings=quick)
    assert contexts and all(context is httpx_patch.shared_context() for context in contexts)
