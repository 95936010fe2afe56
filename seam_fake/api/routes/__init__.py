"""The route table: every simulated Seam endpoint, read by the router, the tests and the docs.

One module per namespace of Seam's API; each declares its ``ROUTES``.
"""

from __future__ import annotations

from ..operation import Route
from . import (
    acs_access_groups,
    acs_credentials,
    acs_entrances,
    acs_systems,
    acs_users,
    action_attempts,
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
    acs_entrances,
    acs_access_groups,
    action_attempts,
    phones,
    client_sessions,
    instant_keys,
    events,
    workspaces,
)
ROUTES: dict[str, Route] = {route.path: route for namespace in NAMESPACES for route in namespace.ROUTES}

__all__ = ["ROUTES", "Route"]
