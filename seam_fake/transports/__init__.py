"""In-process transports: httpx and requests patched so that a fake's endpoint reaches it."""

from .origin import Origin
from .registry import REGISTRY, Registry

__all__ = ["REGISTRY", "Origin", "Registry"]
