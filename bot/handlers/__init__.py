"""Importing this package registers every handler with the dialogue registry."""
from . import coming_soon, events, media, handoff, smalltalk  # noqa: F401
