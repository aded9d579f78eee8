"""The run's own parameters (em.py): the prior from the data, m and u only for an unfamiliar list."""

from lindung.matching import em

FIELDS = ("a", "b")
TRAINED = {"a": [(0.99, 0.01), (0.01, 0.99)], "b": [(0.8, 0.3), (0.2, 0.7)]}  # levels: sama, beda


def test_the_prior_is_estimated_from_the_patterns_without_a_nik():
    # 100 pairs agreeing on both, 900 disagreeing on both: about one pair in ten is one person.
    patterns = [((1, 1), 100), ((0, 0), 900)]
    fitted = em.fit(patterns, FIELDS, TRAINED, {}, start_prior=0.5, prior_pairs=None)
    assert 0.08 < fitted.prior < 0.15
    assert fitted.parameters == TRAINED  # m and u kept


def test_an_unfamiliar_list_moves_m_and_u_towards_its_data():
    # Here half the pairs agreeing on "a" disagree on "b": "b" agrees on far fewer true pairs than trained.
    patterns = [((1, 1), 30000), ((1, 0), 30000), ((0, 0), 300000), ((0, 1), 60000)]
    fitted = em.fit(patterns, FIELDS, TRAINED, {}, start_prior=0.1, prior_pairs=50)
    assert fitted.parameters["b"][0][0] < 0.6 < TRAINED["b"][0][0]
    kept = em.fit(patterns, FIELDS, TRAINED, {"b": {1}}, start_prior=0.1, prior_pairs=50)
    assert kept.parameters["b"][0][0] == kept.parameters["b"][0][1]  # a level that steps aside: m = u


def test_a_list_is_unfamiliar_when_most_comparisons_are_empty():
    fields = ("nik", "nama", "tanggal_lahir", "jenis_kelamin")
    assert em.unfamiliar([((-1, 1, 1, -1), 10)], fields) is False
    assert em.unfamiliar([((-1, 1, -1, -1), 10)], fields) is True


def test_u_alone_follows_the_runs_own_non_matches():
    # A big run: "a" agrees on 200.000 pairs that disagree on "b" (namesakes born the same day in other
    # kabupaten, from keys without a place), ten times what the trained u of "a" (0,01) expects among
    # 100.000 true pairs' worth of others. Counted per run, u of "a: sama" rises, so these pairs score
    # lower; m stays the trained one.
    patterns = [((1, 1), 100000), ((1, 0), 200000), ((0, 0), 1000000), ((0, 1), 50000)]
    kept = em.fit(patterns, FIELDS, TRAINED, {}, start_prior=0.1, prior_pairs=None)
    own = em.fit(patterns, FIELDS, TRAINED, {}, start_prior=0.1, prior_pairs=None, u_pairs=em.U_PAIRS)
    assert kept.parameters == TRAINED
    assert own.parameters["a"][0][1] > 5 * TRAINED["a"][0][1]  # u of "a: sama"
    assert [m for m, _ in own.parameters["a"]] == [m for m, _ in TRAINED["a"]]
    assert own.weights["a"][1] < kept.weights["a"][1] - 2  # at least two bits less for "a: sama"


def test_u_of_the_named_comparisons_alone_follows_the_run():
    patterns = [((1, 1), 100000), ((1, 0), 200000), ((0, 0), 1000000), ((0, 1), 50000)]
    own = em.fit(patterns, FIELDS, TRAINED, {}, start_prior=0.1, prior_pairs=None, u_pairs=em.U_PAIRS,
                 u_fields=("b",))
    assert own.parameters["a"] == TRAINED["a"]  # "a" keeps its trained m and u
    assert own.parameters["b"] != TRAINED["b"] and [m for m, _ in own.parameters["b"]] == [m for m, _ in TRAINED["b"]]


def test_the_prior_among_added_pairs_is_their_own_with_the_weights_held():
    fitted = em.fit([((1, 1), 100), ((0, 0), 900)], FIELDS, TRAINED, {}, start_prior=0.5, prior_pairs=None)
    added = [((1, 1), 5), ((0, 0), 995)]  # one pair in two hundred agrees
    prior = em.prior_among(added, FIELDS, fitted)
    assert 0.002 < prior < 0.02 < fitted.prior
    assert em.prior_among([((1, 1), 500), ((0, 0), 500)], FIELDS, fitted) > 0.4
