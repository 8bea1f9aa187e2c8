"""ping, getLicense, getOpenSubsonicExtensions, getUser, getMusicFolders."""

from core.roles import can_upload
from core.subsonic.envelope import SubsonicError
from core.subsonic.registry import Call, method

MUSIC_FOLDER_ID = 1
EXTENSIONS = {"formPost": [1], "apiKeyAuthentication": [1], "songLyrics": [1]}


@method("ping")
def ping(call: Call) -> dict:
    return {}


@method("getLicense")
def get_license(call: Call) -> dict:
    return {"license": {"valid": True}}


@method("getOpenSubsonicExtensions", public=True)
def get_open_subsonic_extensions(call: Call) -> dict:
    return {
        "openSubsonicExtensions": [
            {"name": name, "versions": versions} for name, versions in EXTENSIONS.items()
        ]
    }


@method("getMusicFolders")
def get_music_folders(call: Call) -> dict:
    return {"musicFolders": {"musicFolder": [{"id": MUSIC_FOLDER_ID, "name": "Music"}]}}


@method("getUser")
def get_user(call: Call) -> dict:
    user = call.user
    username = call.params.require("username")
    if username.casefold() != user.username.casefold():
        raise SubsonicError(SubsonicError.NOT_AUTHORIZED, "Only one's own account may be read.")
    return {
        "user": {
            "username": user.username,
            "email": user.email or None,
            "scrobblingEnabled": True,
            "adminRole": bool(user.is_staff),
            "settingsRole": True,
            "downloadRole": True,
            "uploadRole": can_upload(user),
            "playlistRole": True,
            "coverArtRole": False,
            "commentRole": False,
            "podcastRole": False,
            "streamRole": True,
            "jukeboxRole": False,
            "shareRole": False,
            "videoConversionRole": False,
            "folder": [MUSIC_FOLDER_ID],
        }
    }
