"""Chart geometry for the console, computed here so templates only draw inline SVG (no scripts, no CDN)."""
from __future__ import annotations

from .lexicon import ASPECT_NAMES  # noqa: F401  (the console imports it from here too)

COLORS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}


def aspect_bars(product: dict, width: int = 360) -> list[dict]:
    """One stacked bar per aspect: positive, neutral, negative segments scaled to the largest aspect."""
    biggest = max((a["count"] for a in product["aspects"]), default=0) or 1
    bars = []
    for a in product["aspects"]:
        x, segments = 0.0, []
        for kind in ("positive", "neutral", "negative"):
            w = a[kind] / biggest * width
            if w:
                segments.append({"x": round(x, 1), "w": round(w, 1), "color": COLORS[kind], "n": a[kind], "kind": kind})
            x += w
        bars.append({**a, "label": ASPECT_NAMES[a["aspect"]], "segments": segments})
    return bars


def trend_lines(weeks: list[dict], width: int = 480, height: int = 160, pad: int = 24) -> dict:
    """Polylines for positive and negative counts per week."""
    top = max([max(w["positive"], w["negative"]) for w in weeks] or [0]) or 1
    step = (width - 2 * pad) / max(len(weeks) - 1, 1)

    def points(kind: str) -> str:
        return " ".join(f"{pad + i * step:.1f},{height - pad - w[kind] / top * (height - 2 * pad):.1f}"
                        for i, w in enumerate(weeks))

    return {"width": width, "height": height, "top": top, "positive": points("positive"),
            "negative": points("negative"),
            "labels": [{"x": round(pad + i * step, 1), "text": w["week"][5:]} for i, w in enumerate(weeks)]}
