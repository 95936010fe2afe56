"""``seam-fake``: run the fake as an HTTP server for clients that cannot be patched."""

from __future__ import annotations

import argparse
import ipaddress
import json
import signal
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from types import FrameType

from .fake import FakeSeam
from .server import FakeSeamServer, StateFileError
from .statefile import COMPACT_BYTES


def _serve(args: argparse.Namespace) -> int:
    try:
        options = {"api_key": args.api_key, "strict": args.strict, "admin_token": args.admin_token}
        fake = FakeSeam.demo(**options) if args.demo else FakeSeam(**options)
    except ValueError as error:
        flag = "--admin-token" if "admin token" in str(error) else "--api-key"
        print(f"seam-fake: error: {flag}: {error}", file=sys.stderr)
        return 2
    if args.snapshot is not None:
        if args.state is not None and Path(args.state).exists():
            print(
                f"seam-fake: error: --snapshot {args.snapshot} and the existing state file {args.state} "
                "both give the starting state; use one",
                file=sys.stderr,
            )
            return 2
        try:
            fake.restore(json.loads(Path(args.snapshot).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            # SnapshotError is a ValueError, as is JSON that does not parse.
            print(f"seam-fake: error: --snapshot {args.snapshot}: {error}", file=sys.stderr)
            return 2
    try:
        server = FakeSeamServer(
            fake,
            args.host,
            args.port,
            state_file=args.state,
            request_deadline=args.request_deadline,
            compact_bytes=args.state_compact_bytes,
        )
    except (StateFileError, OSError) as error:
        print(f"seam-fake: error: {error}", file=sys.stderr)
        return 2
    if args.api_key is not None and fake.api_key != args.api_key:
        server.server_close()
        source = f"the snapshot {args.snapshot}" if args.snapshot is not None else args.state
        print(
            f"seam-fake: error: --api-key {args.api_key} is not the API key in {source} "
            f"({fake.api_key}); leave --api-key out",
            file=sys.stderr,
        )
        return 2
    fake_endpoint = server.endpoint

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if not is_loopback(args.host):
        print(
            f"seam-fake: warning: listening on {args.host}, beyond this machine: anyone who can reach "
            "it can use its API keys, and its admin token (reset, snapshot, restore) if they learn it; "
            "use --host 127.0.0.1 unless other machines must reach it",
            file=sys.stderr,
        )
    print(f"seam-fake serving on {fake_endpoint}")
    print(f"workspace_id: {fake.workspace_id}")
    print(f"api_key:      {fake.api_key}")
    print(f"admin_token:  {fake.admin_token}   (for /_fake/reset, snapshot, restore, simulate_outage)")
    if args.state is not None:
        print(f"state file:   {args.state}")
    print()
    print(f"export SEAM_ENDPOINT={fake_endpoint}")
    print(f"export SEAM_API_KEY={fake.api_key}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("seam-fake stopped", file=sys.stderr)
    return 0


SERVE_DESCRIPTION = """\
Serve the fake over HTTP, for clients that cannot be patched in process (other
languages, subprocesses, the Seam CLI). It answers Seam's routes as seam-fake
simulates them, GET /health without credentials, and the /_fake/ controls:
add_acs_system, add_acs_user, issue_credential, ... with a workspace's API key,
reset, snapshot, restore and simulate_outage (they act on the whole fake) with
the admin token. It prints the endpoint, the API key to export and the admin
token."""

SERVE_EPILOG = """\
example:
  seam-fake serve --demo --port 8080 --api-key seam_dev_key
  curl -s http://127.0.0.1:8080/user_identities/list -H "Authorization: Bearer seam_dev_key"
  SEAM_ENDPOINT=http://127.0.0.1:8080 SEAM_API_KEY=seam_dev_key python -c \\
    "from seam import Seam; print(Seam().user_identities.list())"
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="seam-fake", description=__doc__)
    parser.add_argument("--version", action="version", version=f"seam-fake {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the fake as an HTTP server",
        description=SERVE_DESCRIPTION,
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to bind, IPv4 or IPv6 such as ::1 (default: 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8080, help="port to bind (default: 8080)")
    serve.add_argument("--api-key", help="use this API key (must start with seam_) for the workspace")
    serve.add_argument(
        "--demo", action="store_true", help="start with demo data (FakeSeam.demo()) instead of empty"
    )
    serve.add_argument(
        "--state",
        metavar="FILE",
        help="keep the state in FILE: loaded at start if it exists (then --demo is ignored), "
        "and every change written to it before it is acknowledged",
    )
    serve.add_argument(
        "--state-compact-bytes",
        metavar="BYTES",
        type=_bytes,
        default=COMPACT_BYTES,
        help="with --state: rewrite the file as one snapshot once the changes appended to it "
        f"outgrow both the snapshot and BYTES (default: {COMPACT_BYTES})",
    )
    serve.add_argument(
        "--snapshot",
        metavar="FILE",
        help="start from this snapshot (as GET /_fake/snapshot or FakeSeam.snapshot() give it), "
        "validated whole (then --demo is ignored); with --state, only while the state file does "
        "not exist yet",
    )
    serve.add_argument(
        "--admin-token",
        metavar="TOKEN",
        help="the token the controls that act on the whole fake (reset, snapshot, restore, "
        "simulate_outage) take as `Authorization: Bearer TOKEN` (default: random, printed at start)",
    )
    serve.add_argument(
        "--request-deadline",
        metavar="SECONDS",
        type=_positive_seconds,
        default=30.0,
        help="seconds a client has to send a whole request, headers and body, before it is "
        "answered 408 and its connection closed (default: 30)",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="refuse parameters a route does not declare with invalid_input (Seam ignores them)",
    )
    args = parser.parse_args(argv)
    return _serve(args)


def _bytes(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number of bytes: {text!r}")
    return int(text)


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return seconds


def is_loopback(host: str) -> bool:
    """Whether ``host`` can be reached from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _version() -> str:
    try:
        return metadata.version("seam-fake")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
