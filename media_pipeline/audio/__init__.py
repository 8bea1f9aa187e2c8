"""Audio work on local files: probing, tags, artwork, loudness, variants and waveforms.

Everything here reads and writes files on disk and knows nothing of the database or storage.
"""
