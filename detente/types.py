"""The NumPy array types used across detente's modules."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Float = NDArray[np.float64]
Bool = NDArray[np.bool_]
Int = NDArray[np.int64]
Index = NDArray[np.intp]

__all__ = ["Bool", "Float", "Index", "Int"]
