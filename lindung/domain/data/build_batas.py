"""Build batas_kecamatan.json (simplified kecamatan boundaries) from cahyadsn/wilayah_boundaries (stdlib only).

    python3 lindung/domain/data/build_batas.py --sql <checkout>/db/kec --provinsi 21 63 64 [--toleransi 0.003]

Reads `wilayah_boundaries_kec_<PP>.sql` (the MIT-licensed polygons creasico/laravel-nusa bundles as a git
submodule, same Kemendagri codes as our table), simplifies each ring with Douglas-Peucker at the tolerance
(degrees), drops islands smaller than the tolerance squared unless it is a kecamatan's largest, rounds to
4 decimals (~11 m) and writes `{"meta": {...}, "kecamatan": {"21.03.04": [[[lng, lat], ...], ...]}}`.
Rings are flattened (outer rings and holes together; drawn with fill-rule evenodd).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from lindung.domain.peta import ring_area, simplify  # noqa: E402

ROW_RE = re.compile(r"\('(\d\d\.\d\d\.\d\d)','((?:[^']|'')*)',([-\d.]+),([-\d.]+),'(\[.*?\])'\)", re.S)


def rings_of(path: list) -> list[list[tuple[float, float]]]:
    """Upstream stores [lat, lng]; a Polygon is [ring, ...], a MultiPolygon [[ring, ...], ...]."""
    depth, probe = 0, path
    while isinstance(probe, list):
        depth, probe = depth + 1, probe[0]
    polygons = [path] if depth == 3 else path
    return [[(float(lng), float(lat)) for lat, lng in ring] for polygon in polygons for ring in polygon]


def build(sql_dir: Path, provinces: list[str], tolerance: float) -> dict:
    out: dict[str, list] = {}
    for prov in provinces:
        text = (sql_dir / f"wilayah_boundaries_kec_{prov}.sql").read_text(encoding="utf-8")
        for kode, _nama, _lat, _lng, path in ROW_RE.findall(text):
            rings = [simplify(r, tolerance) for r in rings_of(json.loads(path))]
            rings = [r for r in rings if len(r) >= 4]
            if not rings:
                continue
            largest = max(rings, key=ring_area)
            kept = [r for r in rings if r is largest or ring_area(r) >= tolerance * tolerance]
            out[kode] = [[[round(x, 4), round(y, 4)] for x, y in r] for r in kept]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sql", type=Path, required=True)
    parser.add_argument("--provinsi", nargs="+", required=True)
    parser.add_argument("--toleransi", type=float, default=0.003)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("batas_kecamatan.json"))
    args = parser.parse_args()
    kecamatan = build(args.sql, args.provinsi, args.toleransi)
    meta = {"sumber": "cahyadsn/wilayah_boundaries (via creasico/laravel-nusa), MIT",
            "toleransi_derajat": args.toleransi, "provinsi": args.provinsi}
    args.out.write_text(json.dumps({"meta": meta, "kecamatan": kecamatan}, separators=(",", ":")), encoding="utf-8")
    print(f"{len(kecamatan)} kecamatan, {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
