"""Importing this package registers every handler module in it with the dialogue registry.

A new capability is a new module here. The registry refuses two handlers for one name, so the
order modules load in does not matter, except for intents nobody handles yet: they get the honest
"coming soon" answer, registered last so it fills only the gaps.
"""
import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "coming_soon":
        importlib.import_module(f"{__name__}.{_module}")
importlib.import_module(f"{__name__}.coming_soon")
