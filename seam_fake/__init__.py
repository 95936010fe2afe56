"""seam-fake: an in-memory, stateful fake of the Seam API for Python tests."""

from .api.http import Request, Response
from .fake import DEFAULT_ENDPOINT, FakeSeam
from .model.errors import CATALOGUE, ApiError, InvalidInput, NotFound
from .model.folding import fold_email
from .model.snapshots import SnapshotError

__all__ = [
    "CATALOGUE",
    "DEFAULT_ENDPOINT",
    "ApiError",
    "FakeSeam",
    "InvalidInput",
    "NotFound",
    "Request",
    "Response",
    "SnapshotError",
    "fold_email",
]
