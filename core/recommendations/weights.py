"""How much each kind of signal weighs (no Django here: the offline evaluation imports it)."""

# A listen loses half its weight every this many days: this year's taste counts more.
LISTEN_HALF_LIFE_DAYS = 120
FAVORITE_WEIGHT = 3.0
PLAYLIST_ADD_WEIGHT = 2.0
# A track rated 4 stars weighs like a playlist add, 5 like a favorite; worse ratings exclude.
RATING_WEIGHTS = {4: 2.0, 5: 3.0}
# Followed artists' candidates score this many times more.
FOLLOW_BOOST = 1.5
