"""Avatar images: checked to be real images, then re-encoded so no uploaded byte is served."""

import io
from typing import IO

from django.conf import settings
from django.core.files import File
from PIL import Image, ImageOps

from core.api.errors import InvalidInput

AVATAR_SIDE = 512
AVATAR_FORMAT = "WEBP"
AVATAR_EXTENSION = "webp"
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


def _invalid(detail: str, code: str = "invalid_image", field: str = "avatar") -> InvalidInput:
    return InvalidInput(detail, field=field, code=code)


def _check_header(upload: IO[bytes], field: str = "avatar") -> None:
    with Image.open(upload, formats=ACCEPTED_FORMATS) as probe:
        if probe.width * probe.height > settings.AVATAR_MAX_PIXELS:
            raise _invalid(
                f"The image has more than {settings.AVATAR_MAX_PIXELS} pixels.",
                "image_too_large",
                field,
            )
        probe.verify()


def _reencode(upload: IO[bytes], sides: tuple[int, ...]) -> dict[int, bytes]:
    with Image.open(upload, formats=ACCEPTED_FORMATS) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        image = image.convert("RGBA" if has_alpha else "RGB")
        encoded = {}
        for side in sides:
            sized = image.copy()
            sized.thumbnail((side, side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # Saved without exif/icc/xmp: metadata such as GPS positions never reaches storage.
            sized.save(out, AVATAR_FORMAT, quality=85)
            encoded[side] = out.getvalue()
        return encoded


def image_reencode(upload: File, *, field: str, sides: tuple[int, ...]) -> dict[int, bytes]:
    """The upload as WebPs of at most side x side for each of `sides`, or InvalidInput naming
    `field`: the one check of uploaded pictures (avatars, artists' images)."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise _invalid(
            f"The image is larger than {settings.AVATAR_MAX_BYTES} bytes.", "file_too_large", field
        )
    try:
        upload.seek(0)
        _check_header(upload, field)
        upload.seek(0)
        return _reencode(upload, sides)
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise _invalid("The image has too many pixels.", "image_too_large", field) from None
    except Exception:
        # Pillow's decoders raise many exception types on malformed or hostile input.
        raise _invalid("Upload a valid PNG, JPEG, WebP or GIF image.", field=field) from None


def avatar_reencode(upload: File) -> bytes:
    """The upload as a WebP of at most 512x512, or InvalidInput naming `avatar`."""
    return image_reencode(upload, field="avatar", sides=(AVATAR_SIDE,))[AVATAR_SIDE]
