"""The lyric-search bench's second corpus: its own words, all distinct, so that what a run
measured can be told from the data."""

from bench.generate import vocabulary
from bench.lyrics import ZIPF_WORDS, zipf_vocabulary


def test_the_zipf_vocabulary_is_distinct_words_none_of_the_uniform_corpus():
    words = zipf_vocabulary()

    assert len(set(words)) == len(words) == ZIPF_WORDS
    assert not set(words) & set(vocabulary())
    assert not any(word.endswith("x") for word in words)


def test_the_most_frequent_zipf_words_are_the_shortest():
    words = zipf_vocabulary()

    assert max(map(len, words[:70])) < min(map(len, words[70 * 71 :]))
