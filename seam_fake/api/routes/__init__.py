"""The route table: every simulated Seam endpoint, read by the router, the tests and the docs.

One module per namespace of Seam's API; each declares its ``ROUTES``.
"""

from __future__ import annotations

from ..operation import Route
from . import (
    acs_credentials,
    acs_systems,
    acs_users,
    client_sessions,
    events,
    instant_keys,
    phones,
    user_identities,
    workspaces,
)

NAMESPACES = (
    user_identities,
    acs_systems,
    acs_users,
    acs_credentials,
    phones,
    client_sessions,
    instant_keys,
    events,
    workspaces,
)
ROUTES: dict[str, Route] = {route.path: route for namespace in NAMESPACES for route in namespace.ROUTES}

__all__ = ["ROUTES", "Route"]
