from seam import Seam

from seam_fake import FakeSeam


def test_create_then_get_through_seam_with_no_credentials(seam: Seam, fake_seam: FakeSeam) -> None:
    created = seam.user_identities.create(user_identity_key="jean_doe", full_name="Jean Doe")
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)
    assert fetched.user_identity_key == "jean_doe"
    assert fetched.workspace_id == fake_seam.workspace_id
