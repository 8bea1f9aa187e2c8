"""The Subsonic / OpenSubsonic response schema, written from the spec
(opensubsonic.netlify.app, "Responses"): each element's attributes with their types, which of
them are required, and the child elements it may hold. check_json and check_xml hold an answer
to it: an unknown element or attribute, a missing required one or a wrong type fails."""

from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

NAMESPACE = "{http://subsonic.org/restapi}"

STR, INT, BOOL, TIME, FLOAT = "string", "int", "boolean", "dateTime", "float"


@dataclass(frozen=True)
class Type:
    attributes: dict[str, str] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    children: dict[str, str] = field(default_factory=dict)  # element name -> type name
    text: str | None = None  # the type of its text ("value" in JSON)


def _t(attributes=None, required="", children=None, text=None) -> Type:
    return Type(attributes or {}, frozenset(required.split()), children or {}, text)


_CHILD = {
    "id": STR, "parent": STR, "isDir": BOOL, "title": STR, "album": STR, "artist": STR,
    "track": INT, "year": INT, "genre": STR, "coverArt": STR, "size": INT, "contentType": STR,
    "suffix": STR, "duration": INT, "bitRate": INT, "path": STR, "playCount": INT,
    "created": TIME, "starred": TIME, "albumId": STR, "artistId": STR, "type": STR,
    "mediaType": STR, "isVideo": BOOL, "userRating": INT, "averageRating": FLOAT,
}  # fmt: skip
_CHILD_CHILDREN = {"genres": "ItemGenre", "replayGain": "ReplayGain"}
_ALBUM = {
    "id": STR, "name": STR, "artist": STR, "artistId": STR, "coverArt": STR, "songCount": INT,
    "duration": INT, "playCount": INT, "created": TIME, "starred": TIME, "year": INT,
    "genre": STR, "userRating": INT,
}  # fmt: skip
_ARTIST = {"id": STR, "name": STR, "coverArt": STR, "albumCount": INT, "starred": TIME}
_PLAYLIST = {
    "id": STR, "name": STR, "comment": STR, "owner": STR, "public": BOOL, "songCount": INT,
    "duration": INT, "created": TIME, "changed": TIME, "coverArt": STR,
}  # fmt: skip
_DIRECTORY = {
    "id": STR, "parent": STR, "name": STR, "starred": TIME, "userRating": INT,
    "averageRating": FLOAT,
}  # fmt: skip
# ArtistInfoBase: elements holding text in XML, strings in JSON.
_ARTIST_INFO = dict.fromkeys(
    (
        "biography",
        "musicBrainzId",
        "lastFmUrl",
        "smallImageUrl",
        "mediumImageUrl",
        "largeImageUrl",
    ),
    "Text",
)
_ROLES = [
    "scrobblingEnabled",
    "adminRole",
    "settingsRole",
    "downloadRole",
    "uploadRole",
    "playlistRole",
    "coverArtRole",
    "commentRole",
    "podcastRole",
    "streamRole",
    "jukeboxRole",
    "shareRole",
    "videoConversionRole",
]

TYPES: dict[str, Type] = {
    "Response": _t(
        {"status": STR, "version": STR, "type": STR, "serverVersion": STR, "openSubsonic": BOOL},
        "status version type serverVersion openSubsonic",
        {
            "error": "Error",
            "license": "License",
            "musicFolders": "MusicFolders",
            "openSubsonicExtensions": "OpenSubsonicExtension",
            "user": "User",
            "artists": "ArtistsID3",
            "indexes": "Indexes",
            "directory": "Directory",
            "artist": "ArtistWithAlbumsID3",
            "album": "AlbumWithSongsID3",
            "song": "Child",
            "genres": "Genres",
            "albumList": "AlbumList",
            "albumList2": "AlbumList2",
            "randomSongs": "Songs",
            "songsByGenre": "Songs",
            "topSongs": "Songs",
            "searchResult2": "SearchResult2",
            "searchResult3": "SearchResult3",
            "starred": "SearchResult2",
            "starred2": "SearchResult3",
            "nowPlaying": "NowPlaying",
            "playlists": "Playlists",
            "playlist": "PlaylistWithSongs",
            "playQueue": "PlayQueue",
            "lyrics": "Lyrics",
            "lyricsList": "LyricsList",
            "similarSongs2": "Songs",
            "similarSongs": "Songs",
            "artistInfo2": "ArtistInfo2",
            "artistInfo": "ArtistInfo",
        },
    ),
    "Error": _t({"code": INT, "message": STR}, "code"),
    "License": _t({"valid": BOOL, "email": STR}, "valid"),
    "MusicFolders": _t(children={"musicFolder": "MusicFolder"}),
    "MusicFolder": _t({"id": INT, "name": STR}, "id"),
    "OpenSubsonicExtension": _t({"name": STR}, "name", {"versions": "Version"}),
    "Version": _t(text=INT),
    "User": _t(
        {"username": STR, "email": STR, **dict.fromkeys(_ROLES, BOOL)},
        "username " + " ".join(_ROLES),
        {"folder": "Version"},
    ),
    "ArtistsID3": _t(
        {"ignoredArticles": STR, "lastModified": INT}, "ignoredArticles", {"index": "IndexID3"}
    ),
    "IndexID3": _t({"name": STR}, "name", {"artist": "ArtistID3"}),
    "ArtistID3": _t(_ARTIST, "id name"),
    "ArtistWithAlbumsID3": _t(_ARTIST, "id name", {"album": "AlbumID3"}),
    "Indexes": _t(
        {"ignoredArticles": STR, "lastModified": INT},
        "ignoredArticles lastModified",
        {"index": "Index"},
    ),
    "Index": _t({"name": STR}, "name", {"artist": "Artist"}),
    "Artist": _t({"id": STR, "name": STR, "starred": TIME, "userRating": INT}, "id name"),
    "Directory": _t(_DIRECTORY, "id name", {"child": "Child"}),
    "Child": _t(_CHILD, "id isDir title", _CHILD_CHILDREN),
    "ItemGenre": _t({"name": STR}, "name"),
    "ReplayGain": _t(
        {"trackGain": FLOAT, "trackPeak": FLOAT, "albumGain": FLOAT, "albumPeak": FLOAT}
    ),
    "AlbumID3": _t(_ALBUM, "id name songCount duration created"),
    "AlbumWithSongsID3": _t(_ALBUM, "id name songCount duration created", {"song": "Child"}),
    "Genres": _t(children={"genre": "Genre"}),
    "Genre": _t({"songCount": INT, "albumCount": INT}, "songCount albumCount", text=STR),
    "AlbumList": _t(children={"album": "Child"}),
    "AlbumList2": _t(children={"album": "AlbumID3"}),
    "Songs": _t(children={"song": "Child"}),
    "SearchResult2": _t(children={"artist": "Artist", "album": "Child", "song": "Child"}),
    "SearchResult3": _t(children={"artist": "ArtistID3", "album": "AlbumID3", "song": "Child"}),
    "NowPlaying": _t(children={"entry": "NowPlayingEntry"}),
    "NowPlayingEntry": _t(
        {**_CHILD, "username": STR, "minutesAgo": INT, "playerId": INT, "playerName": STR},
        "id isDir title username minutesAgo playerId",
        _CHILD_CHILDREN,
    ),
    "Playlists": _t(children={"playlist": "Playlist"}),
    "Playlist": _t(_PLAYLIST, "id name songCount duration created changed"),
    "PlaylistWithSongs": _t(
        _PLAYLIST, "id name songCount duration created changed", {"entry": "Child"}
    ),
    "PlayQueue": _t(
        {"current": STR, "position": INT, "username": STR, "changed": TIME, "changedBy": STR},
        "username changed changedBy",
        {"entry": "Child"},
    ),
    "Lyrics": _t({"artist": STR, "title": STR}, text=STR),
    "LyricsList": _t(children={"structuredLyrics": "StructuredLyrics"}),
    "StructuredLyrics": _t(
        {"lang": STR, "synced": BOOL, "displayArtist": STR, "displayTitle": STR, "offset": INT},
        "lang synced",
        {"line": "Line"},
    ),
    "Line": _t({"start": INT}, text=STR),
    "ArtistInfo": _t(children={**_ARTIST_INFO, "similarArtist": "Artist"}),
    "ArtistInfo2": _t(children={**_ARTIST_INFO, "similarArtist": "ArtistID3"}),
    "Text": _t(text=STR),
}


class SchemaError(AssertionError):
    pass


def _check_scalar(kind: str, value, where: str, *, from_xml: bool) -> None:
    if from_xml:
        ok = {
            STR: lambda v: True,
            INT: lambda v: v.lstrip("-").isdigit(),
            BOOL: lambda v: v in ("true", "false"),
            FLOAT: lambda v: _float(v),
            TIME: lambda v: _time(v),
        }[kind](value)
    else:
        ok = {
            STR: lambda v: isinstance(v, str),
            INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
            BOOL: lambda v: isinstance(v, bool),
            FLOAT: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            TIME: lambda v: isinstance(v, str) and _time(v),
        }[kind](value)
    if not ok:
        raise SchemaError(f"{where}: {value!r} is not a {kind}")


def _float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _time(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _check_json_node(type_name: str, node, where: str) -> None:
    spec = TYPES[type_name]
    if spec.text is not None and not spec.attributes and not spec.children:
        _check_scalar(spec.text, node, where, from_xml=False)
        return
    if not isinstance(node, dict):
        raise SchemaError(f"{where}: expected an object, got {node!r}")
    missing = spec.required - set(node)
    if missing:
        raise SchemaError(f"{where}: missing {sorted(missing)}")
    for key, value in node.items():
        if key == "value" and spec.text is not None:
            _check_scalar(spec.text, value, f"{where}.value", from_xml=False)
        elif key in spec.attributes:
            _check_scalar(spec.attributes[key], value, f"{where}.{key}", from_xml=False)
        elif key in spec.children:
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                _check_json_node(spec.children[key], item, f"{where}.{key}[{index}]")
        else:
            raise SchemaError(f"{where}: unknown member {key!r}")


def check_json(body: dict) -> None:
    """Hold the JSON `subsonic-response` object to the schema."""
    _check_json_node("Response", body, "subsonic-response")
    if body["status"] == "failed" and "error" not in body:
        raise SchemaError("a failed answer without its error")


def _check_xml_node(type_name: str, element: Element, where: str) -> None:
    spec = TYPES[type_name]
    missing = spec.required - set(element.attrib)
    if missing:
        raise SchemaError(f"{where}: missing {sorted(missing)}")
    for key, value in element.attrib.items():
        if key not in spec.attributes:
            raise SchemaError(f"{where}: unknown attribute {key!r}")
        _check_scalar(spec.attributes[key], value, f"{where}@{key}", from_xml=True)
    text = (element.text or "").strip()
    if text:
        if spec.text is None:
            raise SchemaError(f"{where}: unexpected text {text!r}")
        _check_scalar(spec.text, text, f"{where}#text", from_xml=True)
    for child in element:
        if not child.tag.startswith(NAMESPACE):
            raise SchemaError(f"{where}: {child.tag} outside the Subsonic namespace")
        name = child.tag[len(NAMESPACE) :]
        if name not in spec.children:
            raise SchemaError(f"{where}: unknown element {name!r}")
        _check_xml_node(spec.children[name], child, f"{where}/{name}")


def check_xml(root: Element) -> None:
    """Hold the XML `subsonic-response` element (namespace included) to the schema."""
    if root.tag != f"{NAMESPACE}subsonic-response":
        raise SchemaError(f"root element is {root.tag}")
    _check_xml_node("Response", root, "subsonic-response")
