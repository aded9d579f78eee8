"""Kecamatan boundaries and the coverage choropleth as a self-contained SVG (offline: no tiles, no scripts).

The boundaries are `data/batas_kecamatan.json` (see data/README.md: source, licence, tolerance, size).
A code without a polygon is never hidden: the map lists it under the drawing, and when no code of the
area has a polygon the map falls back to a tile grid (*peta petak*) and says so.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from html import escape
from importlib import resources

Ring = list[tuple[float, float]]

# Coverage bands: (lower bound in percent, CSS class, legend label). Colour-blind safe sequential blues.
BANDS = ((0.0, "cakupan-0", "< 20 %"), (20.0, "cakupan-1", "20–40 %"), (40.0, "cakupan-2", "40–60 %"),
         (60.0, "cakupan-3", "60–80 %"), (80.0, "cakupan-4", "≥ 80 %"))
NO_DATA_CLASS, NO_DATA_LABEL = "cakupan-nd", "tidak ada data"
COLOURS = {"cakupan-0": "#eff3ff", "cakupan-1": "#bdd7e7", "cakupan-2": "#6baed6", "cakupan-3": "#3182bd",
           "cakupan-4": "#08519c", NO_DATA_CLASS: "#e0e0e0"}
DARK = {"cakupan-3", "cakupan-4"}

_lock = threading.Lock()
_boundaries: dict | None = None


def band_class(persen: float | None) -> str:
    if persen is None:
        return NO_DATA_CLASS
    return [cls for low, cls, _ in BANDS if persen >= low][-1]


# --- geometry -------------------------------------------------------------------------------------------

def _distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative (rings of 10.000 points would overflow recursion)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def ring_area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def boundaries() -> dict[str, list[Ring]]:
    """Kecamatan code -> rings of (lng, lat); read once per process."""
    global _boundaries
    with _lock:
        if _boundaries is None:
            text = resources.files("lindung.domain").joinpath("data/batas_kecamatan.json").read_text("utf-8")
            raw = json.loads(text)["kecamatan"]
            _boundaries = {kode: [[(x, y) for x, y in ring] for ring in rings] for kode, rings in raw.items()}
    return _boundaries


# --- the map --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapArea:
    kode: str
    nama: str
    persen: float | None  # None: no semesta for it ("tidak ada data")
    label: str  # "59,29 %" or "tidak ada data"


WIDTH, LEGEND_H = 800, 150


def _projector(rings: list[Ring], width: float, height_max: float):
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    lat0 = math.radians((min(ys) + max(ys)) / 2)
    kx = math.cos(lat0)
    span_x = max((max(xs) - min(xs)) * kx, 1e-9)
    span_y = max(max(ys) - min(ys), 1e-9)
    scale = min((width - 20) / span_x, (height_max - 20) / span_y)
    left, top = min(xs), max(ys)
    height = span_y * scale + 20

    def project(x: float, y: float) -> tuple[float, float]:
        return 10 + (x - left) * kx * scale, 10 + (top - y) * scale

    return project, height


def _path(rings: list[Ring], project) -> str:
    parts = []
    for ring in rings:
        points = [project(x, y) for x, y in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _legend(y: float, source: str, missing: list[MapArea], fallback: bool) -> list[str]:
    out = [f'<g class="legenda" transform="translate(10,{y:.0f})">']
    for i, (_, cls, label) in enumerate(BANDS + ((None, NO_DATA_CLASS, NO_DATA_LABEL),)):
        x = 10 + i * 130
        out.append(f'<rect class="{cls}" fill="{COLOURS[cls]}" x="{x}" y="0" width="18" height="14" stroke="#555" '
                   f'stroke-width="0.5"/><text x="{x + 24}" y="12">{escape(label)}</text>')
    lines = [f"Penyebut: {source}"]
    if fallback:
        lines.append("Peta petak: batas wilayah kecamatan ini belum tersedia; setiap petak satu kecamatan.")
    if missing:
        names = ", ".join(f"{a.kode} {a.nama}" for a in missing)
        lines.append(f"Tanpa batas wilayah (tidak digambar): {names}")
    for i, line in enumerate(lines):
        out.append(f'<text x="10" y="{36 + 18 * i}" font-size="11">{escape(line[:160])}</text>')
    out.append("</g>")
    return out


# Presentation attributes, not a <style> element: the app's Content-Security-Policy blocks inline styles,
# and attributes render the same inline in a page, as a file, and in WeasyPrint.
AREA_ATTRS = 'stroke="#333" stroke-width="0.6" fill-rule="evenodd"'
LABEL_ATTRS = 'font-size="10" text-anchor="middle" paint-order="stroke" stroke="#fff" stroke-width="2.5"'


def _area_attrs(persen: float | None) -> str:
    cls = band_class(persen)
    return f'class="wil {cls}" fill="{COLOURS[cls]}" {AREA_ATTRS}'


def _label_point(rings: list[Ring], project) -> tuple[float, float]:
    x0, y0, x1, y1 = math.inf, math.inf, -math.inf, -math.inf
    for x, y in max(rings, key=ring_area):
        px, py = project(x, y)
        x0, y0, x1, y1 = min(x0, px), min(y0, py), max(x1, px), max(y1, py)
    return (x0 + x1) / 2, (y0 + y1) / 2


def choropleth(areas: list[MapArea], *, title: str, source: str) -> str:
    """One SVG: a polygon per kecamatan with its band class, a label (name, percent), the legend, the
    denominator's source, and the codes without a polygon listed. No polygon at all: a tile grid."""
    known = boundaries()
    drawn = [a for a in areas if a.kode in known]
    missing = [a for a in areas if a.kode not in known]
    if not drawn:
        return tile_grid(areas, title=title, source=source)
    project, height = _projector([r for a in drawn for r in known[a.kode]], WIDTH, 620)
    body = []
    for a in drawn:
        rings = known[a.kode]
        tip = f"{a.kode} {a.nama}: {a.label}"
        body.append(f'<path id="wil-{a.kode}" {_area_attrs(a.persen)} data-kode="{a.kode}" '
                    f'd="{_path(rings, project)}"><title>{escape(tip)}</title></path>')
    for a in drawn:
        x, y = _label_point(known[a.kode], project)
        body.append(f'<text class="lbl" {LABEL_ATTRS} x="{x:.1f}" y="{y:.1f}">{escape(a.nama)}'
                    f'<tspan x="{x:.1f}" dy="11">{escape(a.label)}</tspan></text>')
    return _svg(title, height, body, _legend(height + 10, source, missing, fallback=False))


def tile_grid(areas: list[MapArea], *, title: str, source: str) -> str:
    """Peta petak: one square per kecamatan in code order, when no boundary is available."""
    columns = max(1, min(6, math.ceil(math.sqrt(len(areas) or 1))))
    size = (WIDTH - 20) / columns
    body = []
    for i, a in enumerate(areas):
        x, y = 10 + (i % columns) * size, 10 + (i // columns) * size * 0.5
        body.append(f'<rect id="wil-{a.kode}" {_area_attrs(a.persen)} data-kode="{a.kode}" x="{x:.0f}" '
                    f'y="{y:.0f}" width="{size - 4:.0f}" height="{size * 0.5 - 4:.0f}">'
                    f'<title>{escape(a.kode)} {escape(a.nama)}: {escape(a.label)}</title></rect>'
                    f'<text class="lbl" {LABEL_ATTRS} x="{x + size / 2:.0f}" y="{y + size * 0.25:.0f}">{escape(a.nama)}'
                    f'<tspan x="{x + size / 2:.0f}" dy="12">{escape(a.label)}</tspan></text>')
    height = 20 + math.ceil(len(areas) / columns) * size * 0.5
    return _svg(title, height, body, _legend(height + 10, source, [], fallback=True))


def _svg(title: str, height: float, body: list[str], legend: list[str]) -> str:
    total = height + LEGEND_H
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total:.0f}" role="img" '
            f'aria-labelledby="peta-judul peta-ket" class="peta-cakupan">'
            f'<title id="peta-judul">{escape(title)}</title>'
            f'<desc id="peta-ket">Peta cakupan per kecamatan; angka lengkap ada di tabel di bawah peta.</desc>'
            f'<g font-family="sans-serif" font-size="12" fill="#222">{"".join(body)}{"".join(legend)}</g></svg>')
