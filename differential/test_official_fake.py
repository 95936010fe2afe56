"""Differential tests: the same ``seam`` SDK calls against seam-fake and against Seam's
official fake, @seamapi/fake-seam-connect 1.86.0 (started by ``.ci/differential.sh``,
which sets ``SEAM_FAKE_OFFICIAL_ENDPOINT``; ``make test`` does not collect this folder).

Hypothesis draws sequences of calls on the ACS-user routes both fakes implement (create,
get, list, update, suspend, unsuspend, delete, and refusals: unknown ids, missing or
mistyped parameters, wrong methods), sends each to both through the SDK's own client
(its retry transport and headers), and compares what comes back: the status and error
type of a refusal; for a success, the type of every field both answers have, that
seam-fake has every field the official fake sends, and the set of users a list returns.
Ids and times differ by nature and are compared only as types. Every divergence is
either fixed or listed in ``KNOWN`` with its reason, which docs/comparison.md repeats
(``tests/test_docs.py`` checks that it does).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seam import Seam
from seam.exceptions import SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake.reference import openapi

OFFICIAL_KEY = "seam_apikey1_token"  # the official fake's seed (src/lib/database/seed.ts)
OFFICIAL_SYSTEM = "visionline_acs_system_1"
MISSING = "7f1a3c4e-2b5d-4e6f-8a9b-0c1d2e3f4a5b"

#: Known divergences: where seam-fake answers otherwise on purpose, and why. The keys
#: are what the comparison reports; docs/comparison.md lists each reason.
KNOWN = {
    "create without full_name": "The official fake answers 400 full_name_required (its own check); Seam's "
    "reference lists full_name as required on /acs/users/create, which nextlove, Seam's framework, refuses "
    'as 400 invalid_input "full_name is required": seam-fake answers that.',
    "list order": "The official fake lists ACS users in insertion order (oldest first); seam-fake lists "
    "newest first, as Seam's docs' samples of other lists do.",
    "identity filter falls open": "The official fake's /acs/users/list drops a user_identity_id filter "
    "that names no identity and lists every user (src/pages/api/acs/users/list.ts); seam-fake lists none.",
    "fields outside the reference": "The official fake sends fields Seam's reference does not have "
    "(api_key_id on client sessions, created_at on workspaces); seam-fake renders the reference's schema.",
    "publishable key": "The official fake shows a publishable_key on the workspace; seam-fake does not "
    "simulate publishable-key authentication (it refuses seam_pk keys), so it shows no key rather than "
    "one that would not work.",
    "connect_partner_name": "seam-fake fills the deprecated connect_partner_name with company_name, which "
    "the reference says replaces it; the official fake leaves it null.",
    "invented email": "The official fake invents an email address (acs_user_<hash>@example.com) for an "
    "ACS user created without one; Seam documents no such default, and seam-fake leaves it out.",
}


def _endpoint() -> str:
    endpoint = os.environ.get("SEAM_FAKE_OFFICIAL_ENDPOINT")
    if not endpoint:
        pytest.fail(
            "SEAM_FAKE_OFFICIAL_ENDPOINT is not set: run these tests with .ci/differential.sh, which "
            "installs and starts the official fake",
            pytrace=False,
        )
    return endpoint


@pytest.fixture(scope="module")
def official() -> Seam:
    return Seam(api_key=OFFICIAL_KEY, endpoint=_endpoint())


@dataclass
class Side:
    """One fake, as the sequence sees it: its client, its ACS system, the users made so far."""

    seam: Seam
    system: str
    #: Client session keys are the run's own: the official fake keeps every earlier run's.
    prefix: str = ""
    users: list[str | None] = field(default_factory=list)

    def call(self, path: str, body: dict[str, Any], method: str = "POST") -> tuple[str, Any]:
        try:
            response = self.seam.client.request(method, path, json=body)
        except SeamHttpApiError as error:
            return "refused", (error.status_code, error.code)
        answer: Any = response
        return "answered", answer


#: The reference's schema of what each answer's key holds.
SCHEMAS = {
    "acs_user": "acs_user",
    "acs_users": "acs_user",
    "acs_system": "acs_system",
    "acs_systems": "acs_system",
    "workspace": "workspace",
    "client_session": "client_session",
}


def shape(value: Any) -> Any:
    """What a value is, not what it holds: the JSON type of every field, recursively."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return ["list", *sorted({str(shape(item)) for item in value})]
    return type(value).__name__


@dataclass
class Report:
    divergences: dict[str, list[str]] = field(default_factory=dict)
    calls: int = 0

    def diverge(self, what: str, detail: str) -> None:
        self.divergences.setdefault(what, []).append(detail)


def compare(report: Report, label: str, ours: tuple[str, Any], theirs: tuple[str, Any], key: str) -> None:
    report.calls += 1
    if ours[0] != theirs[0] or (ours[0] == "refused" and ours[1] != theirs[1]):
        report.diverge(label, f"seam-fake {ours}, official fake {theirs}")
        return
    if ours[0] == "refused":
        return
    mine, other = ours[1].get(key), theirs[1].get(key)
    records = zip(mine, other, strict=False) if isinstance(mine, list) else [(mine, other)]
    for record, official_record in records:
        if not isinstance(record, dict) or not isinstance(official_record, dict):
            continue
        missing = set(official_record) - set(record)
        schema = openapi()["components"]["schemas"][SCHEMAS[key]]["properties"]
        for name in sorted(missing):
            if name not in schema:
                report.diverge("fields outside the reference", f"{label}: {name}")
            elif name in ("email", "email_address"):
                report.diverge("invented email", f"{label}: {official_record[name]}")
            elif name == "publishable_key":
                report.diverge("publishable key", label)
            else:
                report.diverge("fields missing", f"{label}: {name}")
        for name in set(record) & set(official_record):
            if name.endswith("_id") or name.endswith("_at"):
                continue  # ids and times are each fake's own
            if shape(record[name]) != shape(official_record[name]):
                what = {"email": "invented email", "email_address": "invented email"}.get(name, name)
                what = what if what in KNOWN else f"{label}: {name}"
                report.diverge(what, f"{name}: {record[name]!r} against {official_record[name]!r}")


REFUSALS = {
    "get_missing",
    "create_missing_system",
    "no_system",
    "typed",
    "no_name",
    "wrong_method",
    "system_missing",
    "event_missing",
    "session_missing",
}
NAMES = st.sampled_from(["Ann Lee", "Bo Chen", "Zoë Ångström", "J"])
EMAILS = st.sampled_from([None, "ann@example.com", "bo.chen@example.com"])
PHONES = st.sampled_from([None, "+15555550100", "+442079460958"])
OPERATIONS = st.one_of(
    st.tuples(st.just("create"), NAMES, EMAILS, PHONES),
    st.tuples(st.just("get"), st.integers(0, 5)),
    st.tuples(st.just("update"), st.integers(0, 5), NAMES),
    st.tuples(st.just("suspend"), st.integers(0, 5)),
    st.tuples(st.just("unsuspend"), st.integers(0, 5)),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("list")),
    st.tuples(st.just("list_for_nobody")),
    st.tuples(st.just("systems")),
    st.tuples(st.just("workspace")),
    st.tuples(st.just("session"), st.integers(0, 2)),
    st.tuples(st.just("session_get"), st.integers(0, 2)),
    st.tuples(st.just("refusal"), st.sampled_from(sorted(REFUSALS))),
)


def run(sequence: list[tuple[Any, ...]], official: Seam, report: Report) -> None:
    fake = FakeSeam()
    system = fake.add_acs_system("Differential", external_type="visionline_system")["acs_system_id"]
    prefix = uuid.uuid4().hex[:8]
    with fake.patch():
        ours = Side(Seam(api_key=fake.api_key), system, prefix)
        theirs = Side(official, OFFICIAL_SYSTEM, prefix)
        for operation in sequence:
            step(operation, ours, theirs, report)


def _user(side: Side, index: int) -> str | None:
    alive = [user for user in side.users if user is not None]
    return alive[index % len(alive)] if alive else None


def step(operation: tuple[Any, ...], ours: Side, theirs: Side, report: Report) -> None:
    kind = operation[0]
    if kind == "create":
        _, name, email, phone = operation
        bodies = [
            {"acs_system_id": side.system, "full_name": name, "email_address": email, "phone_number": phone}
            for side in (ours, theirs)
        ]
        for body in bodies:
            for optional in ("email_address", "phone_number"):
                if body[optional] is None:
                    del body[optional]
        results = [
            side.call("/acs/users/create", body) for side, body in zip((ours, theirs), bodies, strict=True)
        ]
        compare(report, "create", results[0], results[1], "acs_user")
        for side, (outcome, answer) in zip((ours, theirs), results, strict=True):
            side.users.append(answer["acs_user"]["acs_user_id"] if outcome == "answered" else None)
        return
    if kind in ("systems", "workspace"):
        path, key = (
            ("/acs/systems/list", "acs_systems") if kind == "systems" else ("/workspaces/get", "workspace")
        )
        results = [side.call(path, {}) for side in (ours, theirs)]
        compare(report, kind, results[0], results[1], key)
        if kind == "systems":
            got = [side.call("/acs/systems/get", {"acs_system_id": side.system}) for side in (ours, theirs)]
            compare(report, "system", got[0], got[1], "acs_system")
        return
    if kind in ("session", "session_get"):
        path = "/client_sessions/create" if kind == "session" else "/client_sessions/get"
        results = [
            side.call(path, {"user_identifier_key": f"{side.prefix}-{operation[1]}"})
            for side in (ours, theirs)
        ]
        compare(report, kind, results[0], results[1], "client_session")
        return
    if kind in ("list", "list_for_nobody"):
        filters = {"user_identity_id": MISSING} if kind == "list_for_nobody" else {}
        results = [
            side.call("/acs/users/list", {"acs_system_id": side.system, **filters}) for side in (ours, theirs)
        ]
        compare(report, "list", results[0], results[1], "acs_users")
        if all(outcome == "answered" for outcome, _ in results):
            # Each side's own users, by the position they were created in.
            orders = []
            for side, (_, answer) in zip((ours, theirs), results, strict=True):
                made = {user: n for n, user in enumerate(side.users) if user is not None}
                orders.append(
                    [made[u["acs_user_id"]] for u in answer["acs_users"] if u["acs_user_id"] in made]
                )
            if sorted(orders[0]) != sorted(orders[1]):
                what = "identity filter falls open" if filters and not orders[0] else "list members"
                report.diverge(what, f"seam-fake {orders[0]}, official fake {orders[1]}")
            elif orders[0] != orders[1] and orders[0] != orders[1][::-1]:
                report.diverge("list order", f"seam-fake {orders[0]}, official fake {orders[1]}")
            elif orders[0] != orders[1]:
                report.diverge("list order", "newest first against oldest first")
        return
    if kind == "refusal":
        which = operation[1]
        results = []
        for side in (ours, theirs):
            path, body, method = {
                "get_missing": ("/acs/users/get", {"acs_user_id": MISSING}, "POST"),
                "create_missing_system": (
                    "/acs/users/create",
                    {"acs_system_id": MISSING, "full_name": "X"},
                    "POST",
                ),
                "no_system": ("/acs/users/create", {"full_name": "X"}, "POST"),
                "typed": ("/acs/users/create", {"acs_system_id": 123, "full_name": 5}, "POST"),
                "no_name": ("/acs/users/create", {"acs_system_id": side.system}, "POST"),
                "system_missing": ("/acs/systems/get", {"acs_system_id": MISSING}, "POST"),
                "event_missing": ("/events/get", {"event_id": MISSING}, "POST"),
                "session_missing": ("/client_sessions/get", {"client_session_id": MISSING}, "POST"),
                "wrong_method": (
                    "/acs/users/create",
                    {"acs_system_id": side.system, "full_name": "X"},
                    "GET",
                ),
            }[which]
            results.append(side.call(path, body, method))
        label = "create without full_name" if which == "no_name" else which
        compare(report, label, results[0], results[1], "acs_user")
        if which == "no_name":
            for side, (outcome, answer) in zip((ours, theirs), results, strict=True):
                side.users.append(answer["acs_user"]["acs_user_id"] if outcome == "answered" else None)
        return
    index = operation[1]
    users = [_user(side, index) for side in (ours, theirs)]
    if None in users:
        return
    paths = {
        "get": "/acs/users/get",
        "update": "/acs/users/update",
        "suspend": "/acs/users/suspend",
        "unsuspend": "/acs/users/unsuspend",
        "delete": "/acs/users/delete",
    }
    results = []
    for side, user in zip((ours, theirs), users, strict=True):
        body: dict[str, Any] = {"acs_user_id": user}
        if kind == "update":
            body["full_name"] = operation[2]
        results.append(side.call(paths[kind], body))
    compare(report, kind, results[0], results[1], "acs_user")
    if kind == "delete":
        for side, user in zip((ours, theirs), users, strict=True):
            side.users[side.users.index(user)] = None


REPORT = Report()


@pytest.fixture(scope="module", autouse=True)
def _print_the_figures() -> Any:
    yield
    print(
        f"\ndifferential (generated sequences): {REPORT.calls} calls compared on both fakes; "
        f"divergences: {dict((what, len(details)) for what, details in sorted(REPORT.divergences.items()))}"
    )


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(OPERATIONS, min_size=1, max_size=10))
def test_the_same_calls_get_the_same_answers(official: Seam, sequence: list[tuple[Any, ...]]) -> None:
    run(sequence, official, REPORT)
    unexpected = {what: details for what, details in REPORT.divergences.items() if what not in KNOWN}
    assert not unexpected, unexpected


def test_fixed_cases_agree_and_the_known_divergences_are_real(official: Seam) -> None:
    report = Report()
    run(
        [
            ("create", "Ann Lee", "ann@example.com", "+15555550100"),
            ("create", "Bo Chen", None, None),
            ("list",),
            ("get", 0),
            ("update", 1, "Bo Renamed"),
            ("suspend", 0),
            ("unsuspend", 0),
            ("delete", 1),
            ("get", 1),
            ("list",),
            ("refusal", "get_missing"),
            ("refusal", "create_missing_system"),
            ("refusal", "no_system"),
            ("refusal", "typed"),
            ("refusal", "no_name"),
            ("refusal", "wrong_method"),
            ("refusal", "system_missing"),
            ("refusal", "event_missing"),
            ("refusal", "session_missing"),
            ("list_for_nobody",),
            ("systems",),
            ("workspace",),
            ("session", 0),
            ("session", 0),
            ("session_get", 0),
            ("session_get", 1),
        ],
        official,
        report,
    )
    print(f"\ndifferential: {report.calls} calls compared; divergences: {sorted(report.divergences)}")
    assert set(report.divergences) <= set(KNOWN), report.divergences
    # The known ones still happen: a divergence that went away is taken out of KNOWN.
    assert {
        "list order",
        "invented email",
        "create without full_name",
        "identity filter falls open",
    } <= set(report.divergences)
