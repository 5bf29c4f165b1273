"""Registration of the peer tools' formats (each reader in its own module)."""

from __future__ import annotations

from detente.io import bdm, decide, deu, ktab
from detente.io.formats import Format, register_format

PEER_FORMATS: tuple[Format, ...] = (bdm.FORMAT, ktab.FORMAT, deu.FORMAT, decide.FORMAT)


def register_all() -> None:
    for fmt in PEER_FORMATS:
        register_format(fmt)
