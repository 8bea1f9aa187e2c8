"""What the catalog tells other rooms, without importing them."""

from django.dispatch import Signal

# Sent with `track_ids` and `by` (the moderator) after tracks were hidden from listeners.
tracks_hidden = Signal()

# Sent with `track_id` when processing has made a track ready (inside its transaction).
track_ready = Signal()
