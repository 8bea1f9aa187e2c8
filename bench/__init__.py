"""Tonearm's benchmark suite: data generator, load runner and report writer (see README.md)."""
