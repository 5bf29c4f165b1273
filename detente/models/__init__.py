"""The forecasting models, one module or package each, and the registry that names them.

Every model is registered here by the import path of its class, the way an installed
package registers its own (see :mod:`detente.models.registry`): listing the names imports no
model code, and each model's module is imported when it is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.lazy import lazy_names
from detente.models.registry import REGISTRY, Registry, register

for _name, _path, _default in (
    ("compromise", "detente.models.compromise:Compromise", True),
    ("median", "detente.models.median:WeightedMedian", True),
    ("eum", "detente.models.eum:ExpectedUtility", True),
    ("nash", "detente.models.nash:NashBargaining", True),
    ("exchange", "detente.models.exchange:Exchange", True),
    ("smp", "detente.models.smp:SpatialModelOfPolitics", True),
    ("ensemble", "detente.models.ensemble:Ensemble", False),
):
    REGISTRY.register_path(_name, _path, default=_default)

if TYPE_CHECKING:
    from detente.models.base import (
        BatchSolution as BatchSolution,
    )
    from detente.models.base import (
        IssueBatch as IssueBatch,
    )
    from detente.models.base import (
        IssueForecast as IssueForecast,
    )
    from detente.models.base import (
        IssueModel as IssueModel,
    )
    from detente.models.base import (
        Model as Model,
    )
    from detente.models.base import (
        ModelResult as ModelResult,
    )
    from detente.models.base import (
        RoundState as RoundState,
    )
    from detente.models.base import (
        Tags as Tags,
    )
    from detente.models.compromise import (
        Compromise as Compromise,
    )
    from detente.models.ensemble import (
        Ensemble as Ensemble,
    )
    from detente.models.eum import (
        ExpectedUtility as ExpectedUtility,
    )
    from detente.models.exchange import (
        Exchange as Exchange,
    )
    from detente.models.median import (
        WeightedMedian as WeightedMedian,
    )
    from detente.models.nash import (
        NashBargaining as NashBargaining,
    )
    from detente.models.params import (
        Param as Param,
    )
    from detente.models.params import (
        Preset as Preset,
    )
    from detente.models.smp import (
        SpatialModelOfPolitics as SpatialModelOfPolitics,
    )

_LAZY = {
    "BatchSolution": "detente.models.base",
    "IssueBatch": "detente.models.base",
    "IssueForecast": "detente.models.base",
    "IssueModel": "detente.models.base",
    "Model": "detente.models.base",
    "ModelResult": "detente.models.base",
    "RoundState": "detente.models.base",
    "Tags": "detente.models.base",
    "Param": "detente.models.params",
    "Preset": "detente.models.params",
    "Compromise": "detente.models.compromise",
    "WeightedMedian": "detente.models.median",
    "ExpectedUtility": "detente.models.eum",
    "NashBargaining": "detente.models.nash",
    "Exchange": "detente.models.exchange",
    "SpatialModelOfPolitics": "detente.models.smp",
    "Ensemble": "detente.models.ensemble",
}


__getattr__ = lazy_names(__name__, _LAZY)


def get_model(name: str, **params: Any) -> Any:
    """A model instance by registry name, with parameters (checked like ``--set``)."""
    return REGISTRY.create(name, params)


__all__ = [
    "REGISTRY",
    "BatchSolution",
    "Compromise",
    "Ensemble",
    "Exchange",
    "ExpectedUtility",
    "IssueBatch",
    "IssueForecast",
    "IssueModel",
    "Model",
    "ModelResult",
    "NashBargaining",
    "Param",
    "Preset",
    "Registry",
    "RoundState",
    "SpatialModelOfPolitics",
    "Tags",
    "WeightedMedian",
    "get_model",
    "register",
]
