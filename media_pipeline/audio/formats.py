"""Audio content types: the one place that knows their names, aliases and file extensions, and
how ffprobe and mutagen name the formats. Uploads, processing and the importer all read it."""

# Each format's canonical content type -> the extension its files get.
EXTENSIONS: dict[str, str] = {
    "audio/mpeg": "mp3",
    "audio/flac": "flac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/wav": "wav",
    "audio/aiff": "aiff",
    "audio/webm": "webm",
    "audio/aac": "aac",
}

# Other names clients and stores give them -> the canonical type.
ALIASES: dict[str, str] = {
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/x-flac": "audio/flac",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "video/mp4": "audio/mp4",
    "audio/opus": "audio/ogg",
    "audio/vorbis": "audio/ogg",
    "application/ogg": "audio/ogg",
    "audio/x-aiff": "audio/aiff",
    "audio/x-aac": "audio/aac",
    "video/webm": "audio/webm",
}

# The types an upload may declare, and the extension its storage key gets. An upload keeps the
# type as declared (the presigned PUT signs that exact Content-Type), so aliases are listed too.
UPLOAD_TYPES: dict[str, str] = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/flac": "flac",
    "audio/x-flac": "flac",
    "audio/ogg": "ogg",
    "audio/opus": "opus",
    "audio/mp4": "m4a",
    "audio/x-m4a": "m4a",
    "audio/aac": "aac",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/webm": "webm",
    "audio/aiff": "aiff",
    "audio/x-aiff": "aiff",
}

# What a store answers when it kept no type: these say nothing about the content.
UNTYPED = frozenset({"", "application/octet-stream", "binary/octet-stream"})

# ffprobe's format_name -> the canonical type.
FFPROBE_FORMATS: dict[str, str] = {
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "mov,mp4,m4a,3gp,3g2,mj2": "audio/mp4",
    "wav": "audio/wav",
    "aiff": "audio/aiff",
    "matroska,webm": "audio/webm",
    "aac": "audio/aac",
}

# mutagen's file class (found by sniffing the header) -> the canonical type.
MUTAGEN_CLASSES: dict[str, str] = {
    "MP3": "audio/mpeg",
    "EasyMP3": "audio/mpeg",
    "FLAC": "audio/flac",
    "OggOpus": "audio/ogg",
    "OggVorbis": "audio/ogg",
    "OggFLAC": "audio/ogg",
    "OggSpeex": "audio/ogg",
    "MP4": "audio/mp4",
    "EasyMP4": "audio/mp4",
    "WAVE": "audio/wav",
    "AIFF": "audio/aiff",
    "AAC": "audio/aac",
}

# File name suffixes worth looking at when importing a folder (the header decides, not these).
FILE_SUFFIXES = frozenset(
    {".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".wav", ".wave"}
    | {".aif", ".aiff", ".aifc", ".webm"}
)


def essence(value: str) -> str:
    """The type without parameters, lowercased: `Audio/MPEG; x=1` -> `audio/mpeg`."""
    return value.split(";", 1)[0].strip().lower()


def canonical(value: str) -> str:
    """The essence with aliases folded: `audio/x-flac` -> `audio/flac`."""
    base = essence(value)
    return ALIASES.get(base, base)


def extension(content_type: str, default: str = "bin") -> str:
    """The file extension of a type's format, by its canonical name."""
    return EXTENSIONS.get(canonical(content_type), default)


def upload_type(value: str) -> str | None:
    """The type as an upload records it (trimmed, lowercased), or None if not accepted."""
    declared = value.strip().lower()
    return declared if declared in UPLOAD_TYPES else None
