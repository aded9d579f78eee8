"""Small server-rendered SVG charts for the dashboard: a funnel and a monthly trend.

No scripts, no CDN; each chart carries a <title> and <desc>, and the page puts the same numbers in a
table under it (screen readers, printing).
"""

from __future__ import annotations

from html import escape

from lindung.domain.coverage import format_persen

BAR = "#3182bd"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _open(width: int, height: int, title: str, desc: str, css_class: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="{css_class}" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
            # attributes, not <style>: the Content-Security-Policy blocks inline styles
            '<g font-family="sans-serif" font-size="12" fill="#222">')


def funnel(stages: list[tuple[str, int]], *, title: str) -> str:
    """Horizontal bars, one per stage (calon → layak → terdaftar → aktif), widths relative to the first."""
    width, row = 420, 26
    top = max([n for _, n in stages] + [1])
    desc = "; ".join(f"{label} {_thousands(n)}" for label, n in stages)
    out = [_open(width, row * len(stages) + 8, title, desc, "grafik-corong")]
    for i, (label, n) in enumerate(stages):
        w = max(1.0, 250 * n / top)
        y = 4 + i * row
        out.append(f'<text x="0" y="{y + 16}">{escape(label)}</text>'
                   f'<rect x="90" y="{y + 3}" width="{w:.1f}" height="18" fill="{BAR}"><title>{escape(label)}: '
                   f'{_thousands(n)}</title></rect><text font-weight="bold" x="{96 + w:.1f}" y="{y + 16}">{_thousands(n)}</text>')
    out.append("</g></svg>")
    return "".join(out)


def trend(points: list[tuple[str, float | None]], *, title: str) -> str:
    """Columns of a percentage per month; a month without a universe is marked "tidak ada data"."""
    width, height, base = 60 * max(len(points), 1) + 20, 170, 130
    top = max([v for _, v in points if v is not None] + [1.0])
    desc = "; ".join(f"{label}: {format_persen(v)}" for label, v in points)
    out = [_open(width, height, title, desc, "grafik-tren"),
           f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#888"/>']
    for i, (label, value) in enumerate(points):
        x = 20 + i * 60
        if value is None:
            out.append(f'<text x="{x}" y="{base - 4}" font-size="9">tidak ada data</text>')
        else:
            h = 110 * value / top
            out.append(f'<rect x="{x}" y="{base - h:.1f}" width="36" height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: '
                       f'{format_persen(value)}</title></rect><text x="{x}" y="{base - h - 4:.1f}" font-size="10">'
                       f'{format_persen(value)}</text>')
        out.append(f'<text x="{x}" y="{base + 16}" font-size="10">{escape(label)}</text>')
    out.append("</g></svg>")
    return "".join(out)
