"""Drawing actors × issues arrays from the inputs' distributions, many draws at once.

Randomness comes from one seed: draws are grouped in blocks of :data:`BLOCK` and block b
uses its own generator, ``numpy.random.Generator(PCG64(SeedSequence(seed, spawn_key=(b,))))``
(the b-th child of the seed). Each block draws one uniform number per uncertain input and
draw in a single call, so draw d has the same values whatever chunk it is computed in and
however many draws are asked for: the first 1,000 of 100,000 draws are the 1,000 draws of a
run with ``draws=1000`` and the same seed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detente.arrays import ScenarioArrays
from detente.models.base import IssueBatch
from detente.types import Float
from detente.uncertainty.inputs import UncertainInput, quantiles

#: Draws per child seed. Chunks of the draws axis are whole numbers of blocks.
BLOCK = 64



def block_uniforms(seed: int, start: int, stop: int, k: int, key: tuple[int, ...] = ()
                   ) -> Float:
    """Uniforms in [0, 1) for draws ``start``..``stop`` − 1 (a whole-block start), k per draw.

    ``key`` puts the blocks under a child of the seed: block b draws from
    ``SeedSequence(seed, spawn_key=(*key, b))`` (a sweep gives each variation its own).
    """
    if start % BLOCK:
        raise ValueError(f"chunks start on a block boundary, got draw {start}")
    parts = []
    for b in range(start // BLOCK, (stop + BLOCK - 1) // BLOCK):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
            seed, spawn_key=(*key, b))))
        n = min(BLOCK, stop - b * BLOCK)
        parts.append(rng.random((n, k)))
    if not parts:
        return np.empty((0, k))
    return np.concatenate(parts, axis=0)


@dataclass(frozen=True)
class SampledArrays:
    """Sampled inputs of ``draws`` draws, each (draws, actors, issues)."""

    position: Float
    salience: Float
    capability: Float

    @property
    def draws(self) -> int:
        return int(self.position.shape[0])

    def issue_batch(self, base: ScenarioArrays) -> IssueBatch:
        """One row per draw and issue (row = draw × issues + issue) for an ``IssueModel``."""
        d, n, m = self.position.shape

        def rows(a: Float) -> Float:
            return np.ascontiguousarray(a.transpose(0, 2, 1)).reshape(d * m, n)

        present = np.broadcast_to(base.present.T, (d, m, n)).reshape(d * m, n)
        return IssueBatch.create(
            position=rows(self.position),
            salience=rows(self.salience),
            capability=rows(self.capability),
            present=present,
            lower=np.tile(base.lower, d),
            upper=np.tile(base.upper, d),
            status_quo=np.tile(base.status_quo, d),
        )

    def arrays(self, base: ScenarioArrays, draw: int) -> ScenarioArrays:
        """Draw ``draw`` as a ``ScenarioArrays`` (for models that only run on arrays)."""
        def ro(a: Float) -> Float:
            out = a.copy()
            out.setflags(write=False)
            return out

        return dataclasses.replace(
            base,
            position=ro(np.where(base.present, self.position[draw], np.nan)),
            salience=ro(self.salience[draw]),
            capability=ro(self.capability[draw]),
        )


@dataclass(frozen=True)
class Sampler:
    """Turns uniforms into sampled arrays for a set of inputs of one snapshot."""

    base: ScenarioArrays
    inputs: tuple[UncertainInput, ...]

    @property
    def uncertain(self) -> tuple[UncertainInput, ...]:
        """The inputs that are sampled, in the order their uniforms are drawn."""
        return tuple(x for x in self.inputs if x.uncertain)

    def sample(self, seed: int, start: int, stop: int, key: tuple[int, ...] = ()
               ) -> SampledArrays:
        """Draws ``start``..``stop`` − 1 of the run with ``seed`` (under child ``key``)."""
        u = block_uniforms(seed, start, stop, len(self.uncertain), key)
        return self.from_uniforms(u)

    def from_uniforms(self, u: Float, inputs: Sequence[UncertainInput] | None = None
                      ) -> SampledArrays:
        """Arrays at uniforms ``u`` (draws, k), one column per input of ``inputs``.

        ``inputs`` defaults to the uncertain inputs; inputs not listed keep their value.
        """
        chosen = tuple(self.uncertain if inputs is None else inputs)
        return self.from_values(self.values(u, chosen), chosen)

    @staticmethod
    def values(u: Float, inputs: Sequence[UncertainInput]) -> Float:
        """Each input's quantile at its column of ``u`` (draws, k)."""
        return quantiles(u, inputs)

    def from_values(self, values: Float, inputs: Sequence[UncertainInput]) -> SampledArrays:
        """Arrays with ``inputs`` set to ``values`` (draws, k) and every other input fixed."""
        d = values.shape[0]
        n, m = self.base.shape
        base = {
            "position": np.where(self.base.present, self.base.position, 0.0),
            "salience": self.base.salience,
            "capability": self.base.capability,
        }
        out: dict[str, Float] = {}
        for quantity, arr in base.items():
            flat = np.repeat(arr.reshape(1, n * m), d, axis=0)
            cols = [k for k, x in enumerate(inputs) if x.quantity == quantity]
            if cols:
                cells = np.concatenate([np.asarray(inputs[k].cells, dtype=np.intp)
                                        for k in cols])
                owner = np.repeat(np.asarray(cols, dtype=np.intp),
                                  [len(inputs[k].cells) for k in cols])
                flat[:, cells] = values[:, owner]
            out[quantity] = flat.reshape(d, n, m)
        return SampledArrays(out["position"], out["salience"], out["capability"])
