"""What the engine returns: pairs with a score, a band and per-field evidence, and clusters."""

from __future__ import annotations

from dataclasses import dataclass, field

MATCH = "match"        # the same person: acted on without review
POSSIBLE = "possible"  # perhaps the same person: goes to the review queue


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities at or above which a pair is a match, or a possible match to review.

    Chosen on the training seeds (bench/matching/train.py): above 0,9 look-alikes (twins, namesakes)
    start to pass as matches; from 0,2 a reviewer still finds one true pair in a few.
    """

    match: float = 0.9
    possible: float = 0.2
    # In the application only pairs from here act without a person (duplikat, sudah terdaftar, konflik):
    # chosen on training seed 11 (precision 0,99 for links and duplicates); measured >= 0,97 on every
    # benchmark set (bench/matching/README.md). Sure pairs below it go to the review queue.
    auto: float = 0.99


@dataclass(frozen=True)
class Pair:
    """Two records the engine thinks may be one person.

    For links `left` is the candidate's id and `right` the registry record's; for duplicates
    `left` < `right` (as text). `evidence` maps a field (nik, nama, tanggal_lahir, jenis_kelamin,
    nama_ibu, wilayah, no_hp) to the level the two records reached on it, as a short code
    (e.g. "sama", "satu_digit", "tertukar", "mirip", "beda", "kosong") — see model.LEVEL_LABELS.
    """

    left: str
    right: str
    score: float
    band: str
    evidence: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class MatchResult:
    links: list[Pair]                 # candidate -> registry, best first per candidate
    duplicates: list[Pair]            # candidate <-> candidate within the list
    clusters: dict[str, str]          # candidate id -> cluster id (smallest id in the cluster)
    stats: dict[str, int | float] = field(default_factory=dict)  # rows, blocked pairs, seconds...
