"""Work on registry tables that spans many rows: loading the region snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lindung.domain import wilayah
from lindung.registry.models import Region


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    retired: int


def _snapshot_rows(prefix: str | None) -> list[wilayah.Wilayah]:
    """Parents first. With a prefix: its ancestors, itself and every descendant."""
    if prefix is None:
        return [w for level in (1, 2, 3, 4) for w in wilayah.all_at(level)]
    parts = prefix.split(".")
    ancestors = [wilayah.get(".".join(parts[:i])) for i in range(1, len(parts))]
    rows, frontier = [], [wilayah.get(prefix)]
    while frontier:
        rows.extend(frontier)
        frontier = [child for w in frontier for child in wilayah.children(w.kode)]
    return [w for w in ancestors if w is not None] + rows


def load_regions(*, prefix: str | None = None) -> LoadResult:
    """Insert or update the snapshot's regions (parents first); retire codes the snapshot no longer has.

    Idempotent: a second run changes nothing. With `prefix` (e.g. "21.02") only that region,
    its ancestors and its descendants are loaded — enough for a test or a single-kabupaten server.
    """
    return sync_regions(_snapshot_rows(prefix), retire=prefix is None)


def sync_regions(rows: list[wilayah.Wilayah], *, retire: bool) -> LoadResult:
    """Make the Region table match `rows`; with `retire`, mark codes absent from `rows` inactive."""
    existing = {r.kode: r for r in Region.objects.all()}
    new, changed = [], []
    for w in rows:
        current = existing.pop(w.kode, None)
        if current is None:
            new.append(Region(kode=w.kode, nama=w.nama, tingkat=w.tingkat, induk_id=w.induk, versi=wilayah.SNAPSHOT))
        elif (current.nama, current.tingkat, current.versi, current.aktif) != (w.nama, w.tingkat, wilayah.SNAPSHOT, True):
            current.nama, current.tingkat, current.versi, current.aktif = w.nama, w.tingkat, wilayah.SNAPSHOT, True
            changed.append(current)
    # Regions outside a partial load are not "gone"; only a full load may retire codes.
    gone = [r for r in existing.values() if r.aktif] if retire else []
    for r in gone:
        r.aktif = False
    with transaction.atomic():
        Region.objects.bulk_create(new, batch_size=2000)
        Region.objects.bulk_update(changed + gone, ["nama", "tingkat", "versi", "aktif"], batch_size=2000)
    return LoadResult(created=len(new), updated=len(changed), retired=len(gone))


def ensure_regions(codes: set[str]) -> None:
    """Make sure these regions (and their ancestors) exist, loading them from the snapshot if not.

    An import must not fail because a server loaded only part of the region table.
    """
    wanted = set()
    for kode in codes:
        parts = kode.split(".")
        wanted.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    present = set(Region.objects.filter(kode__in=wanted).values_list("kode", flat=True))
    missing = sorted(wanted - present, key=lambda k: (k.count("."), k))
    rows = [w for w in (wilayah.get(k) for k in missing) if w is not None]
    if rows:
        Region.objects.bulk_create(
            [Region(kode=w.kode, nama=w.nama, tingkat=w.tingkat, induk_id=w.induk, versi=wilayah.SNAPSHOT) for w in rows],
            batch_size=2000,
        )
