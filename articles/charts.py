"""Bar charts drawn on the server as SVG geometry (no JavaScript, no CDN)."""


def year_bars(counts: dict[int, int], *, height: int = 50) -> dict | None:
    """Bars for every year from the first to the last in `counts` ({year: n})."""
    if not counts:
        return None
    years = range(min(counts), max(counts) + 1)
    peak = max(counts.values()) or 1
    step, bar_width = 40, 30
    bars = []
    for index, year in enumerate(years):
        bar_height = round(height * counts.get(year, 0) / peak)
        bars.append(
            {
                "year": year,
                "count": counts.get(year, 0),
                "x": index * step + 5,
                "y": height + 5 - bar_height,
                "height": bar_height,
                "label_x": index * step + 5 + bar_width // 2,
            }
        )
    return {"bars": bars, "width": len(bars) * step + 10, "bar_width": bar_width}
