"""Ids are version 4 UUIDs, the same ones the standard library would write for the same bits."""

from __future__ import annotations

import random
import uuid

from seam_fake.model.world import Ids


def test_seeded_ids_are_the_uuids_of_the_drawn_bits() -> None:
    ids, bits = Ids(7), random.Random(7)
    for _ in range(2000):
        assert ids.uuid() == str(uuid.UUID(int=bits.getrandbits(128), version=4))


def test_random_ids_are_version_4_uuids_in_canonical_form() -> None:
    ids = Ids()
    drawn = [ids.uuid() for _ in range(2000)]
    for text in drawn:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert len(set(drawn)) == len(drawn)
