"""Demo data: a workspace where a newcomer sees every kind of object, error and warning.

Built with the same Seam routes (called in process) and seeding controls as
``FakeSeam``'s helpers, so the demo obeys the same rules as anything a test does:
validation, linking by email and phone, issuance, derived warnings, events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from .api import controls, dispatch
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

    def call(path: str, **values: Any) -> dict[str, Any]:
        return dispatch.call(world, ws, path, values)

    def system(name: str, external_type: str, time_zone: str) -> str:
        created = seed("add_acs_system", name=name, external_type=external_type, time_zone=time_zone)
        system_id: str = created["acs_system"]["acs_system_id"]
        return system_id

    systems = {
        # The credential manager that issues the Visionline system's mobile keys.
        "credential_service": system(
            "Grand Hotel Mobile Keys", "assa_abloy_credential_service", "Europe/London"
        ),
        "salto": system("Harbour Office", "salto_ks_site", "America/New_York"),
        "visionline": system("Grand Hotel", "visionline_system", "Europe/London"),
    }
    for where, people in (("salto", SALTO_USERS), ("visionline", VISIONLINE_USERS)):
        for full_name, email, phone in people:
            seed(
                "add_acs_user",
                acs_system_id=systems[where],
                full_name=full_name,
                email_address=email,
                phone_number=phone,
            )
    identities = {}
    for key, full_name, email, phone, linked in IDENTITIES:
        identities[key] = call(
            "/user_identities/create",
            user_identity_key=key,
            full_name=full_name,
            email_address=email,
            phone_number=phone,
            acs_system_ids=[systems[where] for where in linked],
        )["user_identity"]["user_identity_id"]
    # Jane's mobile keys: created while she has no phone (waiting to be issued), then issued
    # to the phone she signs in on; a PIN for Mei, which the Salto site makes itself.
    jane = identities["user_jane"]
    for where in ("salto", "visionline"):
        call(
            "/acs/credentials/create",
            user_identity_id=jane,
            acs_system_id=systems[where],
            access_method="mobile_key",
            is_multi_phone_sync_credential=True,
        )
    call(
        "/phones/simulate/create_sandbox_phone",
        user_identity_id=jane,
        phone_metadata={
            "operating_system": "ios",
            "device_manufacturer": "Apple",
            "device_model": "iPhone 15",
        },
    )
    call("/acs/credentials/create", user_identity_id=identities["user_mei"], access_method="code")
    # The app's session for Jane, whose token the Seam mobile SDK would be given, and a
    # link that opens her keys without the app.
    call("/client_sessions/create", user_identity_id=jane, user_identifier_key="app-user-jane")
    call("/user_identities/generate_instant_key", user_identity_id=jane)
    # Mei's Salto account failed to sync: her identity shows `issue_with_acs_user`.
    mei = ws.user_identities[identities["user_mei"]]
    seed(
        "simulate_acs_user_error",
        acs_user_id=next(iter(mei.acs_user_ids)),
        error_code="failed_to_update_on_acs_system",
        message="The Salto KS site rejected the last change to this user.",
    )
    _populate_access(world, seed, call, systems, identities)


def _in_days(days: int) -> str:
    """A time ``days`` from now, as Seam writes times (read at call time: a frozen clock holds)."""
    moment = datetime.now(timezone.utc) + timedelta(days=days)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _populate_access(
    world: World,
    seed: Callable[..., dict[str, Any]],
    call: Callable[..., dict[str, Any]],
    systems: dict[str, str],
    identities: dict[str, str],
) -> None:
    """Who can open which door: the Harbour Office (Salto KS) gives access through access
    groups, the Grand Hotel (Visionline) entrance by entrance and on credentials."""
    ws = world.workspace(None)

    def entrance(where: str, name: str) -> str:
        added = seed("add_acs_entrance", acs_system_id=systems[where], display_name=name)
        entrance_id: str = added["acs_entrance"]["acs_entrance_id"]
        return entrance_id

    lobby, garage, floor = (entrance("salto", name) for name in ("Lobby", "Garage", "Floor 3 Office"))
    room, pool = entrance("visionline", "Room 1204"), entrance("visionline", "Pool")
    floor_group = seed(
        "add_acs_access_group",
        acs_system_id=systems["salto"],
        name="Floor 3",
        acs_entrance_ids=[lobby, floor],
    )["acs_access_group"]["acs_access_group_id"]
    garage_group = seed(
        "add_acs_access_group", acs_system_id=systems["salto"], name="Parking", acs_entrance_ids=[garage]
    )["acs_access_group"]["acs_access_group_id"]

    def salto_user(key: str) -> str:
        user_id: str = next(
            u
            for u in ws.user_identities[identities[key]].acs_user_ids
            if ws.acs_users[u].acs_system_id == systems["salto"]
        )
        return user_id

    for key in ("user_jane", "user_mei", "user_lucia"):
        call("/acs/access_groups/add_user", acs_access_group_id=floor_group, acs_user_id=salto_user(key))
    call(
        "/acs/access_groups/add_user",
        acs_access_group_id=garage_group,
        user_identity_id=identities["user_jane"],
    )
    # Amara starts next week: until then the Salto site has not subscribed her.
    call(
        "/acs/users/update",
        acs_user_id=salto_user("user_amara"),
        access_schedule={"starts_at": _in_days(7), "ends_at": _in_days(97)},
    )
    call(
        "/acs/users/add_to_access_group",
        acs_access_group_id=floor_group,
        acs_user_id=salto_user("user_amara"),
    )
    # In the hotel, Jane's room is on her key card and the pool is granted to her.
    jane = identities["user_jane"]
    card = call(
        "/acs/credentials/create",
        user_identity_id=jane,
        acs_system_id=systems["visionline"],
        access_method="card",
        allowed_acs_entrance_ids=[room],
    )["acs_credential"]["acs_credential_id"]
    # The front desk encoded it.
    seed("issue_credential", acs_credential_id=card)
    call("/acs/entrances/grant_access", acs_entrance_id=pool, user_identity_id=jane)
    # Jane opened the lobby and her floor from the app with a cloud key.
    cloud_key = call(
        "/acs/credentials/create",
        user_identity_id=jane,
        acs_system_id=systems["salto"],
        access_method="cloud_key",
    )["acs_credential"]["acs_credential_id"]
    for door in (lobby, floor):
        call("/acs/entrances/unlock", acs_entrance_id=door, acs_credential_id=cloud_key)
    # What Seam found on the systems but does not manage.
    for full_name, email in (("Priya Singh", "priya.singh@example.com"), ("Walk-in Visitor", None)):
        seed("add_unmanaged_user_identity", full_name=full_name, email_address=email)
    contractor = seed(
        "add_acs_user", acs_system_id=systems["salto"], full_name="Contractor (badge only)", is_managed=False
    )["acs_user"]["acs_user_id"]
    seed("add_unmanaged_acs_credential", acs_user_id=contractor, access_method="card")
    seed("add_acs_access_group", acs_system_id=systems["salto"], name="Legacy badges", is_managed=False)
