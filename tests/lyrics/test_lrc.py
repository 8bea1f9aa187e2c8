"""LRC as people send it: timed lines in order, and faults named by their line number."""

import pytest

from core.lyrics.lrc import LrcError, TimedLine, parse, plain_text


def test_timed_lines_parse_to_milliseconds_and_metadata_lines_are_skipped():
    text = "[ar:The Sine Waves]\n[ti:Tone]\n\n[00:01.5]One\n[00:02.25]Two\n[01:03.125]Three"
    assert parse(text) == [
        TimedLine(1500, "One"),
        TimedLine(2250, "Two"),
        TimedLine(63125, "Three"),
    ]


def test_the_plain_text_is_the_words_of_the_lines():
    assert plain_text(parse("[00:01.00]One\n[00:02.00]Two")) == "One\nTwo"


def test_a_line_without_a_timestamp_is_refused_with_its_number():
    with pytest.raises(LrcError, match=r"^Line 3: no timestamp"):
        parse("[00:01.00]One\n[00:02.00]Two\nThree")


def test_a_timestamp_that_does_not_parse_is_refused_with_its_line_number():
    with pytest.raises(LrcError, match=r"^Line 2: \[00:xx\] is not a timestamp"):
        parse("[00:01.00]One\n[00:xx]Two")


def test_seconds_past_fifty_nine_are_refused():
    with pytest.raises(LrcError, match=r"^Line 1: .*seconds go up to 59"):
        parse("[00:75.00]One")


def test_times_that_go_back_are_refused_with_the_line_number():
    with pytest.raises(LrcError, match=r"^Line 4: \[00:01.50\] is not after .*must increase"):
        parse("[ti:x]\n[00:01.00]One\n[00:02.00]Two\n[00:01.50]Back")


def test_text_without_any_timed_line_is_refused():
    with pytest.raises(LrcError, match="no timed lines"):
        parse("[ar:Nobody]\n")
