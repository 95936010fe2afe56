"""Demo data: a workspace where a newcomer sees every kind of object, error and warning.

Built with the same seeding controls as ``FakeSeam``'s helpers and
``/_fake/``, so the demo obeys the same rules as anything a test does:
validation, linking by email and phone, derived warnings.
"""

from __future__ import annotations

from typing import Any

from .api import controls
from .model.world import World

# People already in each access control system before anyone used Seam:
# (full name, email, phone).
SALTO_USERS = [
    ("Jane Doe", "jane.doe@example.com", "+15555550101"),
    ("Ravi Patel", "ravi.patel@example.com", None),
    ("Mei Chen", "mei.chen@example.com", "+15555550103"),
    # The mismatch: the building has her as "Lucía G.", the app as "Lucía García".
    ("Lucía G.", "lucia.garcia@example.com", "+34600000104"),
    ("Tom Brown", None, "+15555550105"),
    ("Olu Adeyemi", "olu.adeyemi@example.com", None),
    ("Front Desk", "frontdesk@example.com", None),
]
VISIONLINE_USERS = [
    ("Jane Doe", "jane.doe@example.com", "+15555550101"),
    ("Guest 1204", None, "+447700900106"),
    ("Housekeeping", "housekeeping@example.com", None),
    ("Night Manager", "night.manager@example.com", "+447700900108"),
    ("Søren Nielsen", "soren.nielsen@example.com", "+4520000109"),
]
# People in the customer's app: (key, full name, email, phone, systems to link).
IDENTITIES = [
    ("user_jane", "Jane Doe", "jane.doe@example.com", "+15555550101", ("salto", "visionline")),
    ("user_lucia", "Lucía García", "lucia.garcia@example.com", None, ("salto",)),
    ("user_mei", "Mei Chen", "mei.chen@example.com", "+15555550103", ("salto",)),
    # No ACS user matches her yet: linking creates one on the Salto site.
    ("user_amara", "Amara Okafor", "amara.okafor@example.com", None, ("salto",)),
    # In the app, not yet given access anywhere.
    ("user_kenji", "Kenji Watanabe", "kenji.watanabe@example.com", "+818012345678", ()),
]


def populate(world: World) -> None:
    """Fill the default workspace of ``world`` with the demo data."""
    ws = world.workspace(None)

    def seed(control: str, **values: Any) -> dict[str, Any]:
        return controls.run(world, controls.PREFIX + control, ws, values)

    systems = {
        "salto": seed(
            "add_acs_system",
            name="Harbour Office",
            external_type="salto_ks_site",
            time_zone="America/New_York",
        )["acs_system"]["acs_system_id"],
        "visionline": seed(
            "add_acs_system",
            name="Grand Hotel",
            external_type="visionline_system",
            time_zone="Europe/London",
        )["acs_system"]["acs_system_id"],
    }
    for system, people in (("salto", SALTO_USERS), ("visionline", VISIONLINE_USERS)):
        for full_name, email, phone in people:
            seed(
                "add_acs_user",
                acs_system_id=systems[system],
                full_name=full_name,
                email_address=email,
                phone_number=phone,
            )
    identities = {}
    for key, full_name, email, phone, linked in IDENTITIES:
        identities[key] = seed(
            "add_user_identity",
            user_identity_key=key,
            full_name=full_name,
            email_address=email,
            phone_number=phone,
            acs_system_ids=[systems[system] for system in linked],
        )["user_identity"]
    # Mei's Salto account failed to sync: her identity shows `issue_with_acs_user`.
    seed(
        "simulate_acs_user_error",
        acs_user_id=identities["user_mei"]["acs_user_ids"][0],
        error_code="failed_to_update_on_acs_system",
        message="The Salto KS site rejected the last change to this user.",
    )
