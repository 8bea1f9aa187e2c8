"""Where a preview starts: the loudest thirty seconds, or the start of a short track."""

from media_pipeline.audio.preview import clamp_start, loudest_start


def peaks_with_loud_part(*, duration: float, loud_from: float, loud_to: float) -> list[float]:
    points = 1000
    return [0.9 if loud_from <= i * duration / points < loud_to else 0.1 for i in range(points)]


def test_the_loudest_thirty_seconds_are_found_in_the_middle_of_a_track():
    peaks = peaks_with_loud_part(duration=200, loud_from=120, loud_to=150)
    assert abs(loudest_start(peaks, 200) - 120) <= 0.5


def test_a_loud_part_at_the_very_end_gives_the_last_whole_thirty_seconds():
    peaks = peaks_with_loud_part(duration=100, loud_from=90, loud_to=100)
    assert loudest_start(peaks, 100) == 70


def test_a_track_under_forty_five_seconds_previews_from_its_start():
    peaks = peaks_with_loud_part(duration=44, loud_from=20, loud_to=44)
    assert loudest_start(peaks, 44) == 0


def test_an_even_track_previews_from_its_start():
    assert loudest_start([0.5] * 1000, 300) == 0


def test_a_chosen_start_moves_back_so_the_preview_stays_whole():
    assert clamp_start(250, 260) == 230
    assert clamp_start(12.5, 260) == 12.5
