"""The salience scale of a file that does not state it (docs/decisions/formats.md, FMT-15)."""

from __future__ import annotations

import pytest

from detente.errors import InputError
from detente.io.cells import infer_salience_scale


@pytest.mark.parametrize(("values", "scale"), [
    ([0.9, 0.8, 1.0, 0.0], "0-1"),
    ([90, 80, 100, 0], "0-100"),
    ([50, 1, 0], "0-100"),
    ([0.5], "0-1"),
    ([], "0-100"),
])
def test_unambiguous_files(values: list[float], scale: str) -> None:
    assert infer_salience_scale(list(enumerate(values, start=2)), file="f.csv") == scale


def test_mixed_scales_name_both_rows() -> None:
    with pytest.raises(InputError) as err:
        infer_salience_scale([(2, 0.9), (3, 0.8), (4, 0.7), (5, 2.0)], file="f.csv")
    text = str(err.value)
    assert "f.csv:2" in text and "line 5" in text and "--salience-scale" in text
