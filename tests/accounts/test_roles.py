from core.roles import can_moderate, can_upload


def test_listener_can_neither_upload_nor_moderate(alice):
    assert not can_upload(alice)
    assert not can_moderate(alice)


def test_uploader_group_grants_upload_only(uploader):
    assert can_upload(uploader)
    assert not can_moderate(uploader)


def test_moderator_group_grants_moderation_but_not_user_deletion(moderator):
    assert can_moderate(moderator)
    assert moderator.has_perm("core.change_track")
    assert moderator.has_perm("core.view_play")
    assert not moderator.has_perm("core.delete_user")
