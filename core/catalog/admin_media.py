"""What a moderator needs to judge a track by ear and eye in the admin: a player, its loudness,
its variants and a small waveform. Shared by the track page and the reports queue."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.catalog.models import Track
from core.processing.models import TrackMedia, TrackVariant
from core.processing.selectors import stream_source
from media_pipeline.storage import StorageUnavailable, get_storage

# The player asks for the smallest copy: a moderator listens to judge, not to enjoy.
PLAYER_QUALITY = "low"
WAVEFORM_BARS = 200
WAVEFORM_WIDTH = 400
WAVEFORM_HEIGHT = 48


def track_player(track: Track) -> SafeString:
    """An `<audio controls>` on a short-lived signed URL of the low variant or the original.

    The browser fetches the audio from storage; no bytes pass through Django's admin.
    """
    if not track.storage_key:
        return mark_safe("—")
    source = stream_source(track, PLAYER_QUALITY)
    try:
        presigned = get_storage().presign_download(
            source.key,
            expires_in=settings.STREAM_URL_EXPIRY_SECONDS,
            content_type=source.content_type,
        )
    except StorageUnavailable:
        return mark_safe("Object storage is unavailable; reload the page shortly.")
    label = "original file" if source.quality == "original" else f"{source.quality} variant"
    return format_html(
        '<audio controls preload="none" src="{}" data-quality="{}"></audio>'
        '<div class="help">Plays the {} ({}); the link expires in {} minutes.</div>',
        presigned.url,
        source.quality,
        label,
        filesizeformat(source.size),
        max(1, settings.STREAM_URL_EXPIRY_SECONDS // 60),
    )


def _media(track: Track) -> TrackMedia | None:
    try:
        return track.media
    except TrackMedia.DoesNotExist:
        return None


def track_loudness(track: Track) -> str:
    media = _media(track)
    if media is None or media.loudness_lufs is None:
        return "—"
    parts = [f"{media.loudness_lufs:.1f} LUFS"]
    if media.true_peak_db is not None:
        parts.append(f"true peak {media.true_peak_db:.1f} dBTP")
    if media.replay_gain_db is not None:
        parts.append(f"ReplayGain {media.replay_gain_db:+.1f} dB")
    return ", ".join(parts)


def track_variants(track: Track) -> SafeString:
    rows = [
        (
            variant.get_quality_display(),
            variant.codec,
            f"{round(variant.bitrate / 1000)} kbps" if variant.bitrate else "—",
            filesizeformat(variant.size),
        )
        for variant in TrackVariant.objects.filter(track=track).order_by("quality")
    ]
    if not rows:
        return mark_safe("None: the original is streamed for every quality.")
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}, {}, {}</li>", rows))


def waveform_svg(peaks: list[float]) -> SafeString:
    """The peaks as mirrored bars in an inline SVG."""
    if not peaks:
        return mark_safe("—")
    step = max(1, len(peaks) // WAVEFORM_BARS)
    bars = [max(peaks[i : i + step]) for i in range(0, len(peaks), step)][:WAVEFORM_BARS]
    width = WAVEFORM_WIDTH / len(bars)
    middle = WAVEFORM_HEIGHT / 2
    rects = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}"/>',
        (
            (
                f"{i * width:.2f}",
                f"{middle - max(0.5, float(peak) * middle):.2f}",
                f"{max(width - 0.5, 0.5):.2f}",
                f"{max(1.0, float(peak) * WAVEFORM_HEIGHT):.2f}",
            )
            for i, peak in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="waveform" role="img" aria-label="Waveform" width="{}" height="{}" '
        'viewBox="0 0 {} {}" fill="currentColor">{}</svg>',
        WAVEFORM_WIDTH,
        WAVEFORM_HEIGHT,
        WAVEFORM_WIDTH,
        WAVEFORM_HEIGHT,
        rects,
    )


def track_waveform(track: Track) -> SafeString:
    media = _media(track)
    return waveform_svg(media.waveform if media is not None else [])
