"""The expected utility model's two engines: compiled (``eum_kernel``) and NumPy (``eum``).

They compute the same rounds with the same tie rules; results agree to 1e-9 (the engines
take powers differently, so the last bits may differ; docs/models/eum.md, EUM-11).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.models.base import BatchSolution, IssueBatch
from detente.models.eum import ExpectedUtility
from detente.models.eum import kernel as eum_kernel
from detente.models.eum import model as eum
from tests.unit.models.test_eum import (
    OPTIONS,
    REPLICATION_MEAN,
    REPLICATION_MEDIAN,
    TABLE2_MEAN,
    TABLE2_MEDIAN,
    bdm_arrays,
    degenerate_batch,
    one_row,
)

EVERY_OPTION = [
    dict(zip(OPTIONS, combo, strict=True)) for combo in itertools.product(*OPTIONS.values())
]


def both(batch: IssueBatch, **kw: Any) -> tuple[BatchSolution, BatchSolution]:
    return (
        ExpectedUtility(engine="numpy", **kw).solve(batch),
        ExpectedUtility(engine="compiled", **kw).solve(batch),
    )


def assert_same(a: BatchSolution, b: BatchSolution, atol: float = 1e-9) -> None:
    for name in ("positions", "median", "mean"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.shape == y.shape, name
        np.testing.assert_allclose(x, y, rtol=0, atol=atol, err_msg=name)
    np.testing.assert_allclose(a.outcome, b.outcome, rtol=0, atol=atol)
    assert a.rounds is not None and b.rounds is not None
    assert a.converged is not None and b.converged is not None
    assert a.rounds.tolist() == b.rounds.tolist()
    assert a.converged.tolist() == b.converged.tolist()


@pytest.mark.parametrize("options", EVERY_OPTION, ids=lambda o: "-".join(map(str, o.values())))
def test_engines_agree_on_bdm_data(options: dict[str, Any]) -> None:
    batch = one_row(*bdm_arrays())
    for tolerance in (0.0, 1e-6):
        assert_same(*both(batch, tolerance=tolerance, **options))


def test_table2_through_the_compiled_engine() -> None:
    sol = ExpectedUtility(engine="compiled", tolerance=0.0).solve(one_row(*bdm_arrays()))
    assert sol.median is not None and sol.mean is not None
    np.testing.assert_allclose(sol.median[:, 0], REPLICATION_MEDIAN, rtol=0, atol=1e-9)
    np.testing.assert_allclose(sol.mean[:, 0], REPLICATION_MEAN, rtol=0, atol=1e-9)
    assert (np.abs(sol.mean[1:9, 0] - TABLE2_MEAN) <= 0.1).all()
    assert np.flatnonzero(np.abs(sol.median[1:9, 0] - TABLE2_MEDIAN) > 0.1).tolist() == [1]


@st.composite
def batches(draw: st.DrawFn) -> IssueBatch:
    """1-5 rows over 1-9 slots; some slots empty (whole rows too), positions continuous or
    on a coarse grid (ties, shared spots), an issue scale wider than the positions."""
    rows = draw(st.integers(1, 5))
    n = draw(st.integers(1, 9))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        pos = rng.uniform(-50.0, 150.0, (rows, n))
    else:
        pos = rng.integers(0, 6, (rows, n)).astype(float) * 20.0
    sal = rng.uniform(0.0, 1.0, (rows, n))
    sal[rng.uniform(size=(rows, n)) < 0.1] = 0.0
    cap = rng.uniform(0.01, 10.0, (rows, n))
    present = rng.uniform(size=(rows, n)) < draw(st.sampled_from([0.6, 0.9, 1.0]))
    return IssueBatch.create(
        position=pos,
        salience=sal,
        capability=cap,
        present=present,
        lower=np.full(rows, -60.0),
        upper=np.full(rows, 200.0),
    )


models = st.fixed_dictionaries(
    {
        "rounds": st.integers(0, 6),
        "tolerance": st.sampled_from([0.0, 1e-6, 0.05]),
        "Q": st.sampled_from([1.0, 0.5, 0.0]),
        "T": st.sampled_from([1.0, 0.3]),
        "improvement": st.sampled_from(["constant", "median"]),
        "probability": st.sampled_from(["all_pairs", "pair"]),
        "dyad_risk": st.sampled_from(["perceiver", "challenger"]),
        "offer_choice": st.sampled_from(["scholz", "least_move", "highest_eu"]),
        "capitulation": st.booleans(),
        "outcome": st.sampled_from(["median", "mean"]),
        "position_range": st.sampled_from(["positions", "issue"]),
        # margin 0 lets the last bits decide, where the engines may part (EUM-11)
        "margin": st.sampled_from([1e-12, 1e-9]),
        "ties": st.sampled_from(["order_free", "input_order"]),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(), models)
def test_engines_agree_on_random_batches(batch: IssueBatch, options: dict[str, Any]) -> None:
    with np.errstate(invalid="ignore"):  # fractional powers in empty slots (NumPy engine)
        numpy_sol, compiled_sol = both(batch, **options)
    assert_same(numpy_sol, compiled_sol)
    # empty slots never move
    assert compiled_sol.positions is not None
    assert (compiled_sol.positions[:, ~batch.present] == batch.position[~batch.present]).all()


def test_many_rows_many_blocks_and_threads() -> None:
    """Rows spread over several blocks and threads; each row as if alone."""
    rng = np.random.default_rng(3)
    rows, n = 3 * eum_kernel.BLOCK_ROWS + 7, 6
    batch = IssueBatch.create(
        position=rng.uniform(0, 100, (rows, n)),
        salience=rng.uniform(0, 1, (rows, n)),
        capability=rng.uniform(1, 10, (rows, n)),
        present=rng.uniform(size=(rows, n)) < 0.9,
    )
    numpy_sol, compiled_sol = both(batch, rounds=6, tolerance=1e-4)
    assert_same(numpy_sol, compiled_sol)
    before = eum_kernel.threads()
    try:
        eum_kernel.set_threads(1)
        one = ExpectedUtility(engine="compiled", rounds=6, tolerance=1e-4).solve(batch)
    finally:
        eum_kernel.set_threads(before)
    assert compiled_sol.positions is not None and one.positions is not None
    assert np.array_equal(one.positions, compiled_sol.positions)
    assert np.array_equal(one.outcome, compiled_sol.outcome, equal_nan=True)


def test_engines_agree_with_many_actors() -> None:
    rng = np.random.default_rng(5)
    n = 60
    batch = IssueBatch.create(
        position=rng.uniform(0, 100, (3, n)),
        salience=rng.uniform(0, 1, (3, n)),
        capability=rng.uniform(1, 10, (3, n)),
    )
    assert_same(*both(batch, rounds=4, tolerance=0.0))


def test_engine_choice() -> None:
    auto = ExpectedUtility()
    assert auto.compiled(1) and auto.compiled(1000)
    assert ExpectedUtility(engine="compiled").compiled(1000)
    assert not ExpectedUtility(engine="numpy").compiled(2)
    # how, not what: not a parameter, and not compared
    assert "engine" not in auto.parameters()
    assert ExpectedUtility(engine="numpy") == ExpectedUtility(engine="compiled")
    with pytest.raises(ValueError, match="engine"):
        ExpectedUtility(engine="fortran")  # type: ignore[arg-type]


def test_kernel_knows_every_offer_choice() -> None:
    assert set(eum_kernel.CHOICES) == set(eum._CHOICES["offer_choice"])


def test_degenerate_rows_through_both_engines() -> None:
    batch = degenerate_batch()
    for options in ({}, {"Q": 0.5, "improvement": "median"}, {"outcome": "mean"}):
        numpy_sol, compiled_sol = both(batch, rounds=3, **options)
        assert_same(numpy_sol, compiled_sol)
        assert np.isnan(compiled_sol.outcome[3])
        assert compiled_sol.rounds is not None and compiled_sol.rounds[3] == 0
