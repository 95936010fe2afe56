"""What the fake adds to a call through the real `seam` SDK, side by side in one run.

The floor is the same SDK calls answered by an ``httpx.MockTransport`` returning
canned JSON, wrapped in the SDK's own retry transport as its default client is;
the fake's share is the difference. Medians of several rounds, so compare the
ratios rather than the absolute figures on a shared machine.

    python benchmarks/sdk_overhead.py [--calls 1500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import httpx
from httpx_retries import RetryTransport
from seam import Seam
from seam.client import DEFAULT_RETRIES

from seam_fake import FakeSeam, Request


def median_us(rounds: int, run: Callable[[int], float]) -> float:
    return statistics.median(run(r) for r in range(rounds)) * 1e6


def fixture_cost(calls: int) -> Callable[[int], float]:
    def run(_: int) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            with FakeSeam().patch():
                pass
        return (time.perf_counter() - start) / calls

    return run


def sdk_calls(seam: Seam, calls: int, identity_id: str, *, create: bool) -> Callable[[int], float]:
    def run(round_: int) -> float:
        start = time.perf_counter()
        for i in range(calls):
            n = round_ * calls + i
            if create:
                created = seam.user_identities.create(
                    user_identity_key=f"key{n}",
                    email_address=f"user{n}@example.com",
                    phone_number=f"+1555{n % 10_000_000:07d}",
                    full_name="Jean Doe",
                )
                seam.user_identities.get(user_identity_id=created.user_identity_id)
            else:
                seam.user_identities.get(user_identity_id=identity_id)
        return (time.perf_counter() - start) / calls

    return run


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    fake = FakeSeam()
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        identity = seam.user_identities.create(full_name="Jean Doe", email_address="jean@example.com")
        identity_id = identity.user_identity_id
        canned = json.dumps(
            {
                "ok": True,
                "user_identity": fake.handle(
                    Request(
                        "GET",
                        "/user_identities/get",
                        f"user_identity_id={identity_id}",
                        {"authorization": f"Bearer {fake.api_key}"},
                    )
                ).json()["user_identity"],
            }
        ).encode()

        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, headers={"content-type": "application/json"}, content=canned)

        floor = Seam(
            api_key="seam_test_floor",
            httpx_options={"transport": RetryTransport(httpx.MockTransport(answer), retry=DEFAULT_RETRIES)},
        )
        rows = [
            ("FakeSeam() + patch() enter/exit", median_us(args.rounds, fixture_cost(args.calls)), None),
        ]
        for label, create in (("get", False), ("create + get (new email, phone)", True)):
            fake_us = median_us(args.rounds, sdk_calls(seam, args.calls, identity_id, create=create))
            floor_us = median_us(args.rounds, sdk_calls(floor, args.calls, identity_id, create=create))
            rows.append((f"SDK {label}: fake", fake_us, fake_us / floor_us))
            rows.append((f"SDK {label}: MockTransport floor", floor_us, None))

    print(f"{'measure':<56} {'median us':>10} {'x floor':>8}")
    for label, micros, ratio in rows:
        print(f"{label:<56} {micros:>10.1f} {'' if ratio is None else f'{ratio:.2f}':>8}")


if __name__ == "__main__":
    main()
