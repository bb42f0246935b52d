"""Server-rendered SVG for the console: the last weeks of demand (stock-out days marked) and the
forecast with its 80% interval drawn as a band. No JavaScript needed to see it."""
from __future__ import annotations

from markupsafe import Markup, escape

W, H, PAD = 420, 130, 6
SHOWN_HISTORY = 42


def forecast_svg(product: str, unit: str, history: list[dict], forecast: list[dict]) -> Markup:
    past = history[-SHOWN_HISTORY:]
    n = len(past) + len(forecast)
    if n == 0:
        return Markup("")
    top = max([h["demand"] for h in past] + [p["hi"] for p in forecast] + [1.0]) * 1.1
    step = (W - 2 * PAD) / max(n - 1, 1)

    def x(i: int) -> float:
        return round(PAD + i * step, 1)

    def y(v: float) -> float:
        return round(H - PAD - v / top * (H - 2 * PAD), 1)

    parts = [f'<svg width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img" data-testid="forecast-chart" '
             f'data-product="{escape(product)}" aria-label="{escape(product)} 需求与预测（{escape(unit)}）">']
    start = len(past)
    if forecast:
        upper = " ".join(f"{x(start + i)},{y(p['hi'])}" for i, p in enumerate(forecast))
        lower = " ".join(f"{x(start + i)},{y(p['lo'])}" for i, p in reversed(list(enumerate(forecast))))
        parts.append(f'<polygon data-testid="interval" points="{upper} {lower}" fill="#90caf9" fill-opacity="0.5">'
                     f'<title>80% 区间</title></polygon>')
    if past:
        line = " ".join(f"{x(i)},{y(h['demand'])}" for i, h in enumerate(past))
        parts.append(f'<polyline data-testid="history" points="{line}" fill="none" stroke="#455a64" stroke-width="1.5"/>')
        for i, h in enumerate(past):
            if h["stockout"]:
                parts.append(f'<circle data-testid="stockout" cx="{x(i)}" cy="{y(h["demand"])}" r="3" fill="#c62828">'
                             f'<title>{escape(h["date"])} 缺货（销量低估需求，不参与拟合）</title></circle>')
    if forecast:
        line = " ".join(f"{x(start + i)},{y(p['mean'])}" for i, p in enumerate(forecast))
        parts.append(f'<polyline data-testid="forecast-mean" points="{line}" fill="none" stroke="#1565c0" '
                     f'stroke-width="2" stroke-dasharray="4 2"/>')
        parts.append(f'<line x1="{x(start)}" y1="{PAD}" x2="{x(start)}" y2="{H - PAD}" stroke="#bbb"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
