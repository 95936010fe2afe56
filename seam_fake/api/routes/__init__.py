"""The route table: every simulated Seam endpoint, read by the router, the tests and the docs.

One module per namespace of Seam's API; each declares its ``ROUTES``.
"""

from __future__ import annotations

from ..operation import Route
from . import acs_systems, acs_users, user_identities, workspaces

ROUTES: dict[str, Route] = {
    route.path: route
    for route in (*user_identities.ROUTES, *acs_systems.ROUTES, *acs_users.ROUTES, *workspaces.ROUTES)
}

__all__ = ["ROUTES", "Route"]
