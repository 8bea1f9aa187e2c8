"""The Subsonic / OpenSubsonic API (/rest/): a protocol adapter over the other rooms' services
and selectors, holding no business rules of its own (docs/subsonic.md)."""
