"""The pipeline: the model when installed, a blank pipeline with rules when it is not."""

from __future__ import annotations

import pytest

from detente.news import pipeline


def test_without_the_model_the_rules_pipeline_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.load.cache_clear()
    monkeypatch.setattr(pipeline, "model_available", lambda: False)
    try:
        nlp = pipeline.load("auto")
        assert not pipeline.uses_model(nlp)
        doc = nlp("Talks began. President Anna Berg met the Ostland Council in Geneva.")
        assert [s.text for s in doc.sents] == ["Talks began.", "President Anna Berg met the "
                                               "Ostland Council in Geneva."]
        assert {"President Anna Berg", "Ostland Council", "Geneva"} <= {
            s.text for s in doc.spans["names"]}
    finally:
        pipeline.load.cache_clear()


def test_the_model_finds_named_entities() -> None:
    if not pipeline.model_available():
        pytest.skip("the English model is not installed")
    nlp = pipeline.load("model")
    assert pipeline.uses_model(nlp) and "parser" not in nlp.pipe_names
    doc = nlp("Vladimir Putin spoke in Moscow. Kim Jong-un replied.")
    assert len(list(doc.sents)) == 2
    assert {"Vladimir Putin", "Moscow"} <= {e.text for e in doc.ents}
