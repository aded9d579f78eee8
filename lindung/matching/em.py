"""The run's own parameters: expectation-maximisation over the blocked pairs' comparison patterns.

The m and u values of model.PARAMETERS were counted on generated data (bench/matching/train.py); real
lists differ per desa and per year, and a list such as FEBRL differs from anything generated (issue 13).
Each run therefore re-estimates them from its own blocked pairs: EM over the distinct patterns of
comparison levels (a few thousand, however many pairs). The prior (P(one person | blocked pair)) is
always estimated, with no need for a NIK. m and u are re-estimated only for a list unlike the training
data (`unfamiliar`: most comparisons empty, as in FEBRL), with the trained values as a Dirichlet prior
worth PRIOR_PAIRS pairs on each side (if they do not settle, the trained ones stay): on Indonesian lists, measured on seeds never trained on, free m/u
drift towards households and namesakes (link precision 0,98 -> 0,93, without NIKs 0,99 -> 0,50), so
there the trained m stay. For a list with NIKs the run re-estimates u alone (`u_pairs`, U_PAIRS): u is
the share of each level among the blocked pairs of different people, and that share follows the size
of the lists: blocking keys with no place in them (the birth date and a name) bring together pairs
that grow with the product of the two lists' sizes, where true pairs grow with the smaller list. With
the u counted at 10.000 x 100.000, a registry of a million put 1.443 pairs of different people (a
name containing the other, one birth date, other kabupaten, other NIK) between 0,4 and 0,6 on
training seed 21 at 100.000 x 1.000.000 (link precision 0,942); with u from the run, link F1 0,960 ->
0,980 there, the small training seeds unchanged (bench/matching/README.md, seventh round). Without
NIKs the run's u of every comparison drifts with the matches it cannot tell apart (training: link F1
-0,002 to -0,003 small, -0,025 at medium), so there only the place comparison's u is the run's own
(PLACE_U): the keys without a place are what grows with size, and they bring pairs from other desa,
kecamatan and kabupaten (training medium seed 21 without NIKs: link F1 0,886 -> 0,90, small unchanged).
Levels that step aside (model.STEP_ASIDE) keep m = u.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PRIOR_PAIRS = 5000.0  # weight of the trained m (among matches) and u (among non-matches), in pairs
# Weight of the trained u when a run re-estimates u alone: about one training seed's blocked pairs
# (50.000-57.000 at 10.000 x 100.000), so a small list keeps about half its u from training and a
# list of a million pairs takes its u from its own pairs.
U_PAIRS = 50_000.0
PLACE_U = ("wilayah",)  # the comparisons whose u a list without NIKs estimates itself
ITERATIONS = 60
TOLERANCE = 1e-3      # relative change of the prior between iterations that counts as settled
COLLAPSE = 0.1        # a free fit whose prior falls below this share of the fixed fit's has lost the matches
FLOOR = 1e-6          # no level becomes impossible


@dataclass(frozen=True)
class Fit:
    prior: float                                  # P(one person | blocked pair)
    weights: dict[str, dict[int, float]]          # comparison -> gamma -> log2(m / u)
    parameters: dict[str, list[tuple[float, float]]]  # comparison -> (m, u) per non-null level, model order
    iterations: int


def _log2_odds(p: float) -> float:
    return math.log2(p / (1 - p))


def fit(patterns: Sequence[tuple[tuple[int, ...], int]], fields: Sequence[str],
        trained: dict[str, list[tuple[float, float]]], step_aside: dict[str, set[int]], *,
        start_prior: float, pseudo: tuple[float, float] = (1, 20), prior_pairs: float | None = PRIOR_PAIRS,
        u_pairs: float | None = None, u_fields: Sequence[str] | None = None) -> Fit:
    """`patterns`: (gammas in `fields` order, number of blocked pairs). Gamma g of a comparison with L
    non-null levels is level L-1-g of `trained` (Splink counts down); -1 is the null level.
    `step_aside`: comparison -> gammas whose m is kept equal to u. `prior_pairs` None: m and u stay
    the trained ones and only the prior is estimated, unless `u_pairs` is given: then u is estimated
    too (the trained u worth `u_pairs` pairs) and m stays; `u_fields`: only these comparisons' u (all
    when None)."""
    levels = {f: len(trained[f]) for f in fields}
    # Per comparison and gamma, the trained (m, u): the Dirichlet prior's centre and EM's start.
    m0 = {f: {levels[f] - 1 - i: mu[0] for i, mu in enumerate(trained[f])} for f in fields}
    u0 = {f: {levels[f] - 1 - i: mu[1] for i, mu in enumerate(trained[f])} for f in fields}
    m = {f: dict(v) for f, v in m0.items()}
    u = {f: dict(v) for f, v in u0.items()}
    total = sum(n for _, n in patterns)
    prior = start_prior
    iteration, settled = 0, False
    for iteration in range(1, ITERATIONS + 1):
        weights = _weights(m, u, fields)
        logit = _log2_odds(prior)
        m_sum = {f: dict.fromkeys(m0[f], 0.0) for f in fields}
        u_sum = {f: dict.fromkeys(u0[f], 0.0) for f in fields}
        expected = 0.0
        for gammas, n in patterns:
            p = _posterior(logit, weights, fields, gammas)
            expected += n * p
            for f, g in zip(fields, gammas):
                if g >= 0:
                    m_sum[f][g] += n * p
                    u_sum[f][g] += n * (1 - p)
        new_prior = min(max((expected + pseudo[0]) / (total + pseudo[1]), 1e-9), 0.9)
        if prior_pairs is not None:
            m = {f: _dirichlet(m_sum[f], m0[f], prior_pairs) for f in fields}
            u = {f: _dirichlet(u_sum[f], u0[f], prior_pairs) for f in fields}
        elif u_pairs is not None:
            u = {f: _dirichlet(u_sum[f], u0[f], u_pairs) if u_fields is None or f in u_fields else u[f]
                 for f in fields}
        for f, gammas in step_aside.items():
            for g in gammas:
                m[f][g] = u[f][g]
        settled = abs(new_prior - prior) <= TOLERANCE * max(prior, 1e-9)
        prior = new_prior
        if settled and iteration > 1:
            break
    if prior_pairs is not None:
        # m and u that wander without settling, or that lose the matches to another class (a blocking that
        # keeps few non-matches, FEBRL 3): keep the trained values and estimate only the prior.
        fixed = fit(patterns, fields, trained, step_aside, start_prior=start_prior, pseudo=pseudo, prior_pairs=None)
        if not settled or prior < COLLAPSE * fixed.prior:
            return fixed
    parameters = {f: [(m[f][levels[f] - 1 - i], u[f][levels[f] - 1 - i]) for i in range(levels[f])] for f in fields}
    return Fit(prior, _weights(m, u, fields), parameters, iteration)


def _posterior(logit: float, weights: dict[str, dict[int, float]], fields: Sequence[str], gammas: Sequence[int]) -> float:
    score = logit + sum(weights[f].get(g, 0.0) for f, g in zip(fields, gammas))
    return 1 / (1 + 2.0 ** min(-score, 1000))


def prior_among(patterns: Sequence[tuple[tuple[int, ...], int]], fields: Sequence[str], fitted: Fit, *,
                pseudo: tuple[float, float] = (1, 20)) -> float:
    """P(one person | pair) among the pairs of `patterns`, the weights of `fitted` held: EM of the prior
    alone. For pairs a blocking key brings that the fit did not see (model.DEDUPE_BLOCKING_RULES): their
    share of true pairs is their own, their m and u those of the pairs the fit saw."""
    total = sum(n for _, n in patterns)
    prior = fitted.prior
    for _ in range(ITERATIONS):
        logit = _log2_odds(prior)
        expected = sum(n * _posterior(logit, fitted.weights, fields, gammas) for gammas, n in patterns)
        new_prior = min(max((expected + pseudo[0]) / (total + pseudo[1]), 1e-9), 0.9)
        settled = abs(new_prior - prior) <= TOLERANCE * max(prior, 1e-9)
        prior = new_prior
        if settled:
            break
    return prior


UNFAMILIAR_EMPTY = 3   # comparisons empty on (nearly) every blocked pair that make a list unlike the training data
EMPTY_SHARE = 0.05


def unfamiliar(patterns: Sequence[tuple[tuple[int, ...], int]], fields: Sequence[str]) -> bool:
    """True when UNFAMILIAR_EMPTY or more comparisons are empty on 95 % of the blocked pairs or more
    (FEBRL: no NIK, sex, mother or phone). The trained values then describe another world, and the run
    re-estimates m and u (PRIOR_PAIRS); otherwise it keeps them and estimates only the prior. The
    threshold was chosen after looking at FEBRL (bench/matching/README.md says so)."""
    total = sum(n for _, n in patterns) or 1
    filled = [sum(n for gammas, n in patterns if gammas[i] >= 0) / total for i in range(len(fields))]
    return sum(share < EMPTY_SHARE for share in filled) >= UNFAMILIAR_EMPTY


def _dirichlet(counts: dict[int, float], centre: dict[int, float], strength: float) -> dict[int, float]:
    total = sum(counts.values()) + strength
    return {g: max((counts[g] + strength * centre[g]) / total, FLOOR) for g in counts}


def _weights(m, u, fields) -> dict[str, dict[int, float]]:
    return {f: {g: math.log2(m[f][g] / u[f][g]) for g in m[f]} for f in fields}
