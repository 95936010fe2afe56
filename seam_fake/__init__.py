"""seam-fake: an in-memory, stateful fake of the Seam API for Python tests."""

from .errors import CATALOGUE, ApiError, InvalidInput
from .fake import DEFAULT_ENDPOINT, FakeSeam
from .http import Request, Response
from .snapshots import SnapshotError

__all__ = [
    "CATALOGUE",
    "DEFAULT_ENDPOINT",
    "ApiError",
    "FakeSeam",
    "InvalidInput",
    "Request",
    "Response",
    "SnapshotError",
]
