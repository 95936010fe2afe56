"""A bounded soak of server mode: sixteen clients, mixed traffic, one state file.

Twelve clients speak raw HTTP through ``requests`` and four the ``seam`` SDK, all on
loopback against one server that keeps a state file. Each creates identities (with
keys, emails and phones drawn from small pools, so they collide), reads, renames and
deletes the ones it created, lists pages, gives its identities ACS users, credentials
and client sessions, and reads events. Afterwards, through the API only: no request
earned a 5xx (counted on the server's side, which the SDK's retries cannot hide); every
refusal is one the request could earn; exactly the acknowledged identities exist, with
their last acknowledged names; the uniqueness rules hold; every acknowledged ACS user,
credential and client session is there. Then the server is restarted from its state
file, and the restarted fake holds the very same state: no acknowledged write lost,
nothing unacknowledged kept.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from helpers import UNIQUENESS_CONFLICTS, auth, new_system, ok
from seam import Seam
from seam.exceptions import SeamHttpApiError

from seam_fake import FakeSeam, fold_email
from seam_fake.server import FakeSeamServer

CLIENTS = 16
SDK_CLIENTS = 4
OPERATIONS = 100
TIMEOUT = 30.0
KEYS = [f"soak_key_{n}" for n in range(40)]
EMAILS = [f"soak{n}@example.com" for n in range(40)]
PHONES = [f"+1555555{2000 + n:04d}" for n in range(40)]
#: The refusals a request of the soak may earn; anything else is a failure.
EXPECTED_REFUSALS = UNIQUENESS_CONFLICTS


@dataclass
class Client:
    """What one client saw acknowledged."""

    index: int
    names: dict[str, str] = field(default_factory=dict)  # identity id -> last acknowledged name
    deleted: set[str] = field(default_factory=set)
    acs_users: dict[str, str] = field(default_factory=dict)  # identity id -> ACS user id
    credentials: dict[str, str] = field(default_factory=dict)  # credential id -> identity id
    sessions: dict[str, str] = field(default_factory=dict)  # client session id -> identity id
    refusals: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


class Raw:
    """A client's calls through requests: the answer's body, or the error type it refused with."""

    def __init__(self, endpoint: str, fake: FakeSeam) -> None:
        self.endpoint = endpoint
        self.session = requests.Session()
        self.session.headers.update(auth(fake))

    def call(
        self, method: str, path: str, params: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, str | None]:
        if method == "GET":
            response = self.session.get(self.endpoint + path, params=params, timeout=TIMEOUT)
        else:
            response = self.session.request(method, self.endpoint + path, json=params, timeout=TIMEOUT)
        body = response.json()
        if response.status_code == 200:
            assert body["ok"] is True
            return body, None
        assert body["ok"] is False and body["error"]["request_id"] == response.headers["seam-request-id"]
        return None, f"{response.status_code} {body['error']['type']}: {body['error']['message']}"


def _sdk_create(seam: Seam, fields: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    try:
        created = seam.user_identities.create(**fields)
    except SeamHttpApiError as error:
        return None, f"{error.status_code} {error.code}"
    return {"user_identity": {"user_identity_id": created.user_identity_id}}, None


def _run(server: FakeSeamServer, system_id: str, client: Client) -> None:
    rng = random.Random(client.index)
    raw = Raw(server.endpoint, server.fake)
    seam = Seam(api_key=server.fake.api_key, endpoint=server.endpoint) if client.index < SDK_CLIENTS else None

    def mine() -> str | None:
        alive = [i for i in client.names if i not in client.deleted]
        return rng.choice(alive) if alive else None

    try:
        for n in range(OPERATIONS):
            roll = rng.random()
            identity_id = mine()
            if roll < 0.3 or identity_id is None:
                fields: dict[str, Any] = {"full_name": f"Client {client.index} #{n}"}
                for name, pool in (
                    ("user_identity_key", KEYS),
                    ("email_address", EMAILS),
                    ("phone_number", PHONES),
                ):
                    if rng.random() < 0.5:
                        fields[name] = rng.choice(pool)
                if seam is not None:
                    body, refused = _sdk_create(seam, fields)
                else:
                    body, refused = raw.call("POST", "/user_identities/create", fields)
                if body is not None:
                    client.names[body["user_identity"]["user_identity_id"]] = fields["full_name"]
                else:
                    client.refusals[refused or ""] += 1
                continue
            if roll < 0.42:
                name = f"Renamed {client.index} #{n}"
                if seam is not None:
                    seam.user_identities.update(user_identity_id=identity_id, full_name=name)
                else:
                    _, refused = raw.call(
                        "PATCH",
                        "/user_identities/update",
                        {"user_identity_id": identity_id, "full_name": name},
                    )
                    assert refused is None, refused
                client.names[identity_id] = name
            elif roll < 0.5:
                if seam is not None:
                    seam.user_identities.delete(user_identity_id=identity_id)
                else:
                    _, refused = raw.call(
                        "POST", "/user_identities/delete", {"user_identity_id": identity_id}
                    )
                    assert refused is None, refused
                client.deleted.add(identity_id)
                client.acs_users.pop(identity_id, None)
                for table in (client.credentials, client.sessions):
                    for key in [k for k, owner in table.items() if owner == identity_id]:
                        del table[key]
            elif roll < 0.6:
                got, refused = raw.call("GET", "/user_identities/get", {"user_identity_id": identity_id})
                assert got is not None, refused
                assert got["user_identity"]["full_name"] == client.names[identity_id]
            elif roll < 0.7:
                got, refused = raw.call("GET", "/user_identities/list", {"limit": rng.choice([5, 20, 50])})
                assert got is not None, refused
            elif roll < 0.78:
                if identity_id in client.acs_users:
                    continue
                made, refused = raw.call(
                    "POST",
                    "/acs/users/create",
                    {"acs_system_id": system_id, "user_identity_id": identity_id, "full_name": "Soak"},
                )
                assert made is not None, refused
                client.acs_users[identity_id] = made["acs_user"]["acs_user_id"]
            elif roll < 0.85:
                if identity_id not in client.acs_users:
                    continue
                made, refused = raw.call(
                    "POST",
                    "/acs/credentials/create",
                    # Salto KS makes the PIN itself.
                    {"acs_user_id": client.acs_users[identity_id], "access_method": "code"},
                )
                assert made is not None, refused
                client.credentials[made["acs_credential"]["acs_credential_id"]] = identity_id
            elif roll < 0.93:
                made, refused = raw.call(
                    "POST", "/client_sessions/create", {"user_identity_ids": [identity_id]}
                )
                assert made is not None, refused
                client.sessions[made["client_session"]["client_session_id"]] = identity_id
            else:
                got, refused = raw.call("GET", "/events/list", {"limit": 5, "since": "2020-01-01T00:00:00Z"})
                assert got is not None, refused
    except Exception as error:  # reported by the test, with the client that hit it
        client.failures.append(f"client {client.index}: {type(error).__name__}: {error}")
    finally:
        raw.session.close()


def _list_identities(endpoint: str, fake: FakeSeam) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    query: dict[str, Any] = {"limit": 50}
    while True:
        body = ok(
            requests.get(
                endpoint + "/user_identities/list", params=query, headers=auth(fake), timeout=TIMEOUT
            )
        )
        found.extend(body["user_identities"])
        if not body["pagination"]["has_next_page"]:
            return found
        query = {"limit": 50, "page_cursor": body["pagination"]["next_page_cursor"]}


def test_sixteen_clients_of_mixed_traffic_keep_every_rule_and_every_write(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file=state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        system_id = new_system(fake, "Soak site", external_type="salto_ks_site")
        clients = [Client(index) for index in range(CLIENTS)]
        workers = [threading.Thread(target=_run, args=(server, system_id, c)) for c in clients]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=600)
        elapsed = time.monotonic() - started
        assert [failure for c in clients for failure in c.failures] == []

        statuses = Counter(call.status for call in fake.calls)
        refusals = Counter(call.error_type for call in fake.calls if call.status != 200)
        # The figures the closing notes quote.
        print(
            f"\nsoak: {sum(statuses.values())} requests from {CLIENTS} clients in {elapsed:.1f} s "
            f"({sum(statuses.values()) / elapsed:.0f}/s); statuses {dict(sorted(statuses.items()))}; "
            f"refusals {dict(refusals)}"
        )
        assert not [status for status in statuses if status >= 500], statuses
        assert set(refusals) <= EXPECTED_REFUSALS, refusals
        assert sum(c.refusals.total() for c in clients) == sum(refusals.values())

        # Exactly the acknowledged identities, with their last acknowledged names.
        expected = {i: name for c in clients for i, name in c.names.items() if i not in c.deleted}
        listed = _list_identities(server.endpoint, fake)
        assert {i["user_identity_id"]: i["full_name"] for i in listed} == expected
        for column in ("user_identity_key", "email_address", "phone_number"):
            values = [i[column] for i in listed if i[column] is not None]
            if column == "email_address":
                values = [fold_email(v) for v in values]
            assert len(values) == len(set(values)), column
        raw = Raw(server.endpoint, fake)
        for c in clients:
            for identity_id in c.deleted:
                _, refused = raw.call("GET", "/user_identities/get", {"user_identity_id": identity_id})
                assert refused is not None and refused.startswith("404 user_identity_not_found:")
            for identity_id, acs_user_id in c.acs_users.items():
                body, _ = raw.call(
                    "GET", "/user_identities/list_acs_users", {"user_identity_id": identity_id}
                )
                assert body is not None
                assert [u["acs_user_id"] for u in body["acs_users"]] == [acs_user_id]
            for credential_id, identity_id in c.credentials.items():
                body, _ = raw.call("GET", "/acs/credentials/get", {"acs_credential_id": credential_id})
                assert body is not None and body["acs_credential"]["acs_user_id"] == c.acs_users[identity_id]
            for session_id, identity_id in c.sessions.items():
                body, _ = raw.call("GET", "/client_sessions/get", {"client_session_id": session_id})
                assert body is not None and identity_id in body["client_session"]["user_identity_ids"]
        raw.session.close()
        before = fake.snapshot()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

    # A restart from the state file holds exactly what was acknowledged.
    restarted = FakeSeam()
    FakeSeamServer(restarted, state_file=state).server_close()
    assert restarted.snapshot() == before
