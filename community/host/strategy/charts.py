"""The strategy and growth charts' geometry, drawn as SVG on the server (no script).

Each chart is drawn in a narrow box (320 wide) so that its text stays legible when scaled
to a phone's width; colours come from the stylesheet's custom properties, so both themes
read them. Every chart has its figures as a table beside it for screen readers.
"""
from __future__ import annotations

from community.models.strategy import STEP_SHORT

WIDTH = 320
# The spectrum: a row per initiative (its name, then a track of five steps).
SPECTRUM_LEFT, SPECTRUM_RIGHT, SPECTRUM_ROW, SPECTRUM_TOP = 12, 308, 52, 34
# Columns: a bar (or a pair of bars) per period, the scale's top figure at the left.
COLUMNS_H, COLUMNS_TOP, COLUMNS_BOTTOM, COLUMNS_LEFT = 150, 14, 22, 38
NAME_CHARS = 38


def step_x(step: int) -> float:
    return round(SPECTRUM_LEFT + (step - 1) * (SPECTRUM_RIGHT - SPECTRUM_LEFT) / 4, 1)


def _short(text: str) -> str:
    return text if len(text) <= NAME_CHARS else text[:NAME_CHARS - 1] + "\u2026"


def spectrum(landings) -> dict:
    """Placed (a ring) and measured (a dot) on one five-step track per initiative."""
    rows = []
    for i, landing in enumerate(landings):
        y = SPECTRUM_TOP + i * SPECTRUM_ROW
        placed = landing.initiative.placed
        measured = landing.measured
        rows.append({
            "landing": landing, "name": _short(landing.initiative.name),
            "label_y": y + 14, "track_y": y + 30,
            "placed_x": step_x(placed),
            "measured_x": step_x(measured) if measured else None,
            "gap_x1": step_x(min(placed, measured or placed)),
            "gap_x2": step_x(max(placed, measured or placed)),
        })
    ticks = [{"x": step_x(step), "step": step, "label": STEP_SHORT[step]} for step in range(1, 6)]
    return {"rows": rows, "w": WIDTH, "h": SPECTRUM_TOP + SPECTRUM_ROW * len(rows) + 4,
            "ticks": ticks, "left": SPECTRUM_LEFT, "right": SPECTRUM_RIGHT}


def columns(rows: list[dict], series: list[tuple[str, str]], *, label: str) -> dict:
    """Vertical bars of counts: per row (``label`` names its period key) one bar per
    series ``(key, name)``, side by side, scaled to the largest figure."""
    top = max((row[key] or 0 for row in rows for key, _ in series), default=0)
    scale_top = top or 1
    plot_h = COLUMNS_H - COLUMNS_TOP - COLUMNS_BOTTOM
    n = max(len(rows), 1)
    step = (WIDTH - COLUMNS_LEFT) / n
    width = step * 0.8 / len(series)
    groups = []
    for i, row in enumerate(rows):
        x0 = COLUMNS_LEFT + i * step + step * 0.1
        bars = []
        for j, (key, name) in enumerate(series):
            value = row[key] or 0
            h = round(value / scale_top * plot_h, 1)
            bars.append({"x": round(x0 + j * width, 1), "w": round(width, 1),
                         "y": round(COLUMNS_TOP + plot_h - h, 1), "h": h, "value": value,
                         "series": j, "name": name})
        last = i == n - 1  # its label ends at the right edge rather than past it
        groups.append({"period": row[label], "bars": bars,
                       "label_x": WIDTH - 1 if last else round(x0 + step * 0.4, 1),
                       "anchor": "end" if last else "middle"})
    return {"groups": groups, "w": WIDTH, "h": COLUMNS_H, "top": top,
            "base_y": COLUMNS_H - COLUMNS_BOTTOM, "left": COLUMNS_LEFT,
            "top_y": COLUMNS_TOP, "series": [name for _, name in series],
            "total": sum(row[key] or 0 for row in rows for key, _ in series)}


def shares(rows: list[dict], key: str, *, label: str) -> dict:
    """Vertical bars of a share (0..1) per period; ``None`` shows as a gap."""
    scaled = [{label: row[label], key: round((row[key] or 0) * 100, 1),
               "none": row[key] is None} for row in rows]
    chart = columns(scaled, [(key, "share")], label=label)
    chart["top"] = 100
    plot_h = COLUMNS_H - COLUMNS_TOP - COLUMNS_BOTTOM
    for group, row in zip(chart["groups"], scaled, strict=True):
        bar = group["bars"][0]
        bar["h"] = round(row[key] / 100 * plot_h, 1)
        bar["y"] = round(COLUMNS_TOP + plot_h - bar["h"], 1)
        bar["none"] = row["none"]
    chart["total"] = sum(1 for row in scaled if not row["none"])
    return chart


def heat(share: float | None) -> int:
    """A cohort cell's shade, 0 (none) to 4 (three quarters or more stayed)."""
    if not share:
        return 0
    return min(4, 1 + int(share * 4))
