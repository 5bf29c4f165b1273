"""Timings of the news reader: ``python benchmarks/bench_news.py [--articles N] [--docs N]``.

1. Reads 1,000 generated articles of about 800 words against the Korea case: files written
   to a temporary folder, one spaCy model loaded once, every paragraph through ``nlp.pipe``
   in batches (one process, then two), actors, issues, stances and rewrite detection over
   the whole set. The articles recombine sentences built from a grammar written for this
   benchmark (actor, verb, adjective, object, place, time, clause: about 10^10 sentences), so
   they read like the corpus without copying it; two of them are planted rewrites.
2. MinHash LSH over 100,000 short generated documents (about 60 words), 1% of them planted
   near-duplicates: the time to sign, index and query, and how many planted pairs are found.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import Measurement, record  # noqa: E402

ACTORS = ["North Korea", "South Korea", "China", "Russia", "the United States", "Japan",
          "Pyongyang", "Seoul", "Beijing", "Moscow", "Washington", "Tokyo", "Kim Jong-un",
          "Putin", "the Chinese", "the Russians", "the South Koreans", "the North Koreans"]
VERBS = ["supports", "rejects", "has proposed", "is pressing for", "refuses to discuss",
         "has welcomed", "warned against", "quietly backs", "will not accept", "is ready for",
         "has ruled out", "wants", "keeps insisting on", "has offered", "threatened to block",
         "is studying", "is lobbying hard for", "cannot afford"]
ADJECTIVES = ["direct", "new", "limited", "formal", "lasting", "secret", "joint", "partial",
              "early", "gradual", "verified", "regional"]
NOUNS = ["talks between the two Koreas", "withdrawal of US troops", "limits on THAAD",
         "sanctions on the North", "relief from sanctions", "railway across the peninsula",
         "gas pipeline to the South", "confederation of the two Koreas",
         "alliance with Japan", "security guarantees for Pyongyang", "freeze of nuclear tests",
         "summit of the two leaders", "military drills", "land bridge to Europe",
         "regional structure with China and Russia", "non-aggression pact",
         "round of negotiations", "end to missile launches"]
PLACES = ["in Seoul", "in Beijing", "at the United Nations", "near the border", "in Moscow",
          "in Vladivostok", "on the peninsula", "in the Far East", "in Geneva", "in Tokyo",
          "at the Olympics", "in Singapore"]
TIMES = ["this week", "on Monday", "after the summit", "since the autumn", "for now",
         "in private", "before the Olympics", "once again", "in a statement",
         "according to diplomats", "behind closed doors", "in the New Year address",
         "without saying so", "in talks with envoys", "late on Friday", "within days"]
CONJUNCTIONS = ["although", "while", "because", "even as", "but", "and"]
SUBJECTS = ["the details", "its allies", "the markets", "the opposition", "the press",
            "most observers", "the generals", "the diplomats", "public opinion", "the envoys"]
PREDICATES = ["remain unclear", "stay calm", "disagree", "watch closely", "expect a reply",
              "see a turning point", "doubt it will last", "want more time",
              "call it a gamble", "fear a backlash"]
OPENERS = ["", "", "", "Officials said that ", "It is clear that ", "Analysts believe ",
           "Reports suggest that ", "In the view of this author, "]


def sentence(rng: random.Random) -> str:
    text = (f"{rng.choice(OPENERS)}{rng.choice(ACTORS)} {rng.choice(VERBS)} a "
            f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(PLACES)} "
            f"{rng.choice(TIMES)}, {rng.choice(CONJUNCTIONS)} {rng.choice(SUBJECTS)} "
            f"{rng.choice(PREDICATES)}.")
    return text[0].upper() + text[1:]


def article(rng: random.Random, words: int = 800) -> str:
    paras: list[str] = []
    n = 0
    while n < words:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paras.append(para)
        n += len(para.split())
    return "\n\n".join(paras) + "\n"


SECONDS: dict[str, float] = {}


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = fn()
    SECONDS[label] = time.perf_counter() - start
    print(f"{label:64} {SECONDS[label]:8.2f} s", flush=True)
    return out


def bench_read(n: int) -> None:
    from detente.io import load
    from detente.news import pipeline
    from detente.news.reading import read

    rng = random.Random(2018)
    korea = load(ROOT / "examples" / "korea-2018.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        texts = [article(rng) for _ in range(n)]
        lines = texts[0].splitlines()
        texts[1] = "\n".join(lines[: len(lines) // 2]) + "\n"  # planted: half of article 0
        texts[3] = texts[2].replace("this week", "last week")  # planted: article 2 retouched
        for i, t in enumerate(texts):
            (Path(tmp) / f"a{i:04d}.txt").write_text(t, encoding="utf-8")
        words = sum(len(t.split()) for t in texts)
        print(f"{n} articles, {words:,} words ({words / n:.0f} per article)")
        nlp = timed("load the English model (once)", lambda: pipeline.load("model"))
        paragraphs = [p for t in texts for p in t.split("\n") if p.strip()]
        timed(f"of which spaCy alone: nlp.pipe over the {len(paragraphs):,} paragraphs",
              lambda: sum(1 for _ in nlp.pipe(paragraphs, batch_size=256)))
        for procs in (1, 2):
            label = f"read {n} articles, nlp.pipe with {procs} process(es)"
            r = timed(label, lambda procs=procs: read([tmp], korea, nlp=nlp, n_process=procs))
            print(f"    {r.sentences:,} sentences, {len(r.proposals):,} proposals, "
                  f"{len(r.rewrites)} rewrite(s): "
                  + "; ".join(f"{w.rewrite} of {w.original} ({w.kind})" for w in r.rewrites))
            record(Measurement(
                f"news-read-{procs}", "News reader",
                f"{n:,} articles of about {words // n} words against the Korea case, "
                f"{procs} process{'es' if procs > 1 else ''}", SECONDS[label], readme=procs == 2,
                note=f"{len(r.rewrites)} rewrite(s) found (2 planted)"))


def bench_lsh(n: int) -> None:
    from detente.news.rewrites import near_duplicates

    rng = random.Random(7)
    docs = {f"d{i:06d}": " ".join(sentence(rng) for _ in range(4)) for i in range(n)}
    planted = []
    for k in range(n // 100):
        src = f"d{rng.randrange(n):06d}"
        docs[f"p{k:05d}"] = docs[src].replace(" the ", " a ", 1)
        planted.append((f"p{k:05d}", src))
    found = timed(f"MinHash LSH over {len(docs):,} documents (sign, index, query)",
                  lambda: near_duplicates(docs, threshold=0.5))
    pairs = {(a, b) for a, b, _ in found} | {(b, a) for a, b, _ in found}
    hit = sum((p, s) in pairs for p, s in planted)
    print(f"    {len(found):,} pairs at estimated Jaccard ≥ 0.5; planted pairs found: "
          f"{hit} of {len(planted)}")
    record(Measurement("news-minhash", "News reader",
                       f"MinHash LSH over {len(docs):,} short documents (sign, index, query)",
                       SECONDS[f"MinHash LSH over {len(docs):,} documents (sign, index, query)"],
                       readme=True, note=f"{hit} of {len(planted)} planted near-duplicates found"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    bench_read(args.articles)
    bench_lsh(args.docs)


if __name__ == "__main__":
    main()
