"""The route table: every implemented endpoint, read by the router, the tests and the docs."""

from __future__ import annotations

from . import acs_systems, acs_users, user_identities, workspaces
from .base import Body, Context, Route

ROUTES: dict[str, Route] = {
    route.path: route
    for route in (*user_identities.ROUTES, *acs_systems.ROUTES, *acs_users.ROUTES, *workspaces.ROUTES)
}

__all__ = ["ROUTES", "Body", "Context", "Route"]
