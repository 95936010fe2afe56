"""``seam-fake``: run the fake as an HTTP server for clients that cannot be patched."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from .fake import FakeSeam
from .server import FakeSeamServer


def _serve(args: argparse.Namespace) -> int:
    fake = FakeSeam.demo(api_key=args.api_key) if args.demo else FakeSeam(api_key=args.api_key)
    server = FakeSeamServer(fake, args.host, args.port)
    fake_endpoint = server.endpoint

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"seam-fake serving on {fake_endpoint}")
    print(f"workspace_id: {fake.workspace_id}")
    print(f"api_key:      {fake.api_key}")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="seam-fake", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the fake as an HTTP server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to bind (default: 8080)")
    serve.add_argument("--api-key", help="use this API key (must start with seam_) for the workspace")
    serve.add_argument(
        "--demo", action="store_true", help="start with demo data (FakeSeam.demo()) instead of empty"
    )
    args = parser.parse_args(argv)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
