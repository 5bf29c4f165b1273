"""Stances in a sentence: for each actor tied to an issue, a direction, a suggested position,
the event's PLOVER quad class, whose stance it is, and a confidence.

The rules, each documented in docs/decisions/news.md (NEWS-7 to NEWS-10):

- **Target.** The anchor of the issue whose label shares the most issue terms with the
  sentence; when none does, the end of the scale farthest from the status quo (an issue's
  name names the change from the status quo).
- **Polarity.** Cue words of the PLOVER event types count +1 (cooperation, support, wanting)
  or -1 (rejection, threat, coercion); a negation ("not", "no", "never", "n't", "without",
  "neither", "nor") up to three words before a cue reverses it. The sign of the sum is the
  polarity; without a cue the sentence is read as support, with lower confidence.
- **Direction and position.** Support moves towards the target, opposition away from it:
  the suggested position is the target anchor (support) or half-way from the status quo to
  the far end on the other side (opposition); ``shift`` is position minus status quo.
- **Whose stance.** In a quoted paragraph the speaker holds it, and actors the speaker
  names get no proposal of their own (the words are the speaker's); in reported speech
  ("X said ...", "according to X") the reporter X holds it; otherwise each actor named is
  taken as holding it, the first named as the subject.
- **Quad class.** Material if a material cue (cooperate, aid, retreat; protest, sanction,
  mobilize, coerce, assault) is present, else verbal; cooperation if the polarity is not
  negative, else conflict.
- **Confidence** = issue strength (score / 2, at most 1) × role (speaker or reporter 1,
  subject 0.8, named 0.6) × cue (1 with a cue, 0.7 without) × hedge
  (0.8 for "may", "might", "could", "if", "perhaps"...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from detente.news.actors import Mention
from detente.news.issues import IssueMatch, stem
from detente.news.sentences import Sentence, words
from detente.scenario import Issue

Quad = Literal["verbal cooperation", "material cooperation", "verbal conflict",
               "material conflict"]
Role = Literal["speaker", "reporter", "subject", "named"]
Speech = Literal["quoted", "reported", "narrated"]

#: PLOVER event types and their quad classes (verbal/material × cooperation/conflict).
QUAD: dict[str, Quad] = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation",
    "SUPPORT": "verbal cooperation", "CONCEDE": "verbal cooperation",
    "REQUEST": "verbal cooperation",
    "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation",
    "ACCUSE": "verbal conflict", "REJECT": "verbal conflict", "THREATEN": "verbal conflict",
    "DEMAND": "verbal conflict",
    "PROTEST": "material conflict", "SANCTION": "material conflict",
    "MOBILIZE": "material conflict", "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}

#: Cue stems → PLOVER event type. Polarity: +1 for cooperation types, -1 for conflict types.
CUES: dict[str, str] = {
    **dict.fromkeys(["agree", "agreed", "agreement", "accept", "endorse", "embrace", "embraced",
                     "sign", "signed", "approve", "allow", "permit", "accept"], "AGREE"),
    **dict.fromkeys(["talk", "discuss", "negotiate", "negotiation", "dialogue", "meet",
                     "meeting", "visit", "consult", "summit", "contact"], "CONSULT"),
    **dict.fromkeys(["support", "back", "backed", "favour", "favor", "welcome", "praise",
                     "want", "wish", "hope", "seek", "propose", "proposed", "proposal", "offer",
                     "offered", "willing", "ready", "promote", "improve", "pursue", "pitch",
                     "interest", "attractive", "embrace", "advocate", "keen"], "SUPPORT"),
    **dict.fromkeys(["concede", "compromise", "ease", "yield", "limit", "restraint"], "CONCEDE"),
    **dict.fromkeys(["urge", "appeal", "call", "press", "pressing", "ask", "invite"], "REQUEST"),
    **dict.fromkeys(["cooperate", "cooperation", "invest", "investing", "investment", "build",
                     "trade", "exchange", "joint", "project", "develop"], "COOPERATE"),
    **dict.fromkeys(["aid", "provide", "providing", "guarantee", "help", "assist", "relief"],
                    "AID"),
    **dict.fromkeys(["withdraw", "withdrawal", "withdrew", "release", "halt", "stop", "suspend",
                     "discontinue", "desist", "dismantle", "disarm", "give", "lift"], "RETREAT"),
    **dict.fromkeys(["demand", "insist", "must", "require"], "DEMAND"),
    **dict.fromkeys(["accuse", "criticise", "criticize", "criticising", "criticizing", "blame",
                     "condemn", "denounce", "intransigence"], "ACCUSE"),
    **dict.fromkeys(["reject", "refuse", "refusing", "oppose", "opposed", "deny", "veto",
                     "block", "prevent", "resist", "ruling", "rule", "obsessed", "suspicion"],
                    "REJECT"),
    **dict.fromkeys(["threaten", "threat", "threatens", "warn", "warning", "inflammatory",
                     "belligerent"], "THREATEN"),
    **dict.fromkeys(["protest", "boycott"], "PROTEST"),
    **dict.fromkeys(["sanction", "impose", "imposed", "imposing", "embargo", "penalty",
                     "hardship"], "SANCTION"),
    **dict.fromkeys(["deploy", "deployment", "drill", "exercise", "mobilize", "mobilise"],
                    "MOBILIZE"),
    **dict.fromkeys(["coerce", "seize", "arrest", "pressure"], "COERCE"),
    **dict.fromkeys(["attack", "strike", "war", "invade", "bomb"], "ASSAULT"),
}
#: "ruling out", "give up" and the like only count with their particle.
_NEEDS_NEXT = {"ruling": "out", "rule": "out", "give": "up", "call": "for"}
NEGATORS = frozenset({"not", "no", "never", "n't", "without", "neither", "nor", "cannot",
                      "nothing", "none"})
HEDGES = frozenset({"may", "might", "could", "perhaps", "possibly", "probably", "if",
                    "whether", "would", "likely", "hope"})
REPORTING = frozenset({"said", "says", "say", "told", "stated", "announced", "declared",
                       "argued", "insisted", "warned", "claimed", "believes", "thinks",
                       "noted", "added", "explained", "stressed", "wrote"})
_NEG_CONTRACTION = re.compile(r"n['’]t\b", re.I)


@dataclass(frozen=True)
class CueReading:
    """What the cue words of one sentence say: polarity, event types, hedges."""

    polarity: int
    events: tuple[str, ...]
    negated: bool
    hedged: bool
    quad_material: bool


@dataclass(frozen=True)
class StanceProposal:
    """One actor's stance on one issue, proposed from one sentence."""

    actor: str
    issue: str
    article: str
    line: int
    sentence: int
    quote: str
    direction: Literal["towards", "away from"]
    target: float
    target_label: str | None
    position: float
    shift: float
    polarity: int
    negated: bool
    hedged: bool
    speech: Speech
    role: Role
    attributed_to: str | None
    quad: Quad
    events: tuple[str, ...]
    issue_score: float
    terms: tuple[str, ...]
    confidence: float

    @property
    def locator(self) -> str:
        return f"line {self.line}"

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.article, self.line, self.sentence)


def cues(text: str) -> CueReading:
    """Polarity, PLOVER event types, negation and hedging of a sentence."""
    toks = [("n't" if _NEG_CONTRACTION.search(w) else w) for w in words(
        _NEG_CONTRACTION.sub(" n't", text))]
    total = 0
    events: list[str] = []
    signs: list[int] = []
    negated = False
    scope = -10  # index of the last negator (or rejecting cue) not yet used by a cue
    for i, w in enumerate(toks):
        if w in NEGATORS:
            scope = i
            continue
        event = _cue(w)
        if event is None:
            continue
        need = _NEEDS_NEXT.get(w)
        if need and (i + 1 >= len(toks) or toks[i + 1] != need):
            continue
        sign = -1 if QUAD[event].endswith("conflict") else 1
        if i - scope <= 3:
            sign = -sign
            negated = True
            scope = -10
        elif event == "REJECT":
            scope = i  # "refused to talk": the rejection reverses the next cue
        total += sign
        signs.append(sign)
        events.append(event)
    hedged = any(t in HEDGES for t in toks)
    material = any(QUAD[e].startswith("material") for e in events)
    polarity = (total > 0) - (total < 0) if events else 1
    if events and total == 0:
        polarity = signs[0]  # a tie goes to the first cue, usually the main verb
    return CueReading(polarity, tuple(dict.fromkeys(events)), negated, hedged, material)


def _cue(word: str) -> str | None:
    """The PLOVER event type a word cues ("refused" and "threatened" find their verbs)."""
    found = CUES.get(word) or CUES.get(stem(word))
    if found is None and word.endswith("ed") and len(word) > 4:
        found = CUES.get(word[:-1]) or CUES.get(word[:-2])
    return found


@functools.lru_cache(maxsize=4096)
def _label_stems(label: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(label))


def target_of(issue: Issue, text: str, terms: dict[tuple[str, ...], float],
              status_quo: float | None,
              tokens: Sequence[str] | None = None) -> tuple[float, str | None]:
    """The anchor the sentence points at (value, label), or the far end of the scale."""
    toks = {stem(w) for w in (words(text) if tokens is None else tokens)}
    best: tuple[float, float, str | None] | None = None
    for anchor in issue.anchors:
        label = _label_stems(anchor.label)
        score = sum(terms.get((w,), 0.0) for w in label & toks)
        if score > 0 and (best is None or score > best[0]):
            best = (score, anchor.value, anchor.label)
    if best is not None and (status_quo is None or best[1] != status_quo):
        return best[1], best[2]
    sq = issue.scale.min if status_quo is None else status_quo
    far = issue.scale.max if issue.scale.max - sq >= sq - issue.scale.min else issue.scale.min
    return far, issue.label_at(far)


def propose(sentence: Sentence, mentions: Sequence[Mention], matches: Sequence[IssueMatch],
            issues: dict[str, Issue], terms: dict[str, dict[tuple[str, ...], float]],
            status_quo: dict[str, float | None], speaker: str | None) -> list[StanceProposal]:
    """Every (actor, issue) proposal of one sentence."""
    if not (mentions or speaker) or not matches:
        return []
    reading = cues(sentence.text)
    reporter = _reporter(sentence.text, mentions)
    actors = list(dict.fromkeys(m.actor for m in mentions))
    if speaker is not None and speaker not in actors:
        actors.insert(0, speaker)
    out: list[StanceProposal] = []
    for match in matches:
        issue = issues[match.issue]
        sq = status_quo.get(issue.id)
        target, label = target_of(issue, sentence.text, terms[issue.id], sq, sentence.words)
        base = issue.scale.min if sq is None else sq
        direction: Literal["towards", "away from"]
        if reading.polarity >= 0:
            position, direction = target, "towards"
        else:
            other = issue.scale.min if target >= base else issue.scale.max
            position, direction = base + 0.5 * (other - base), "away from"
        for k, actor in enumerate(actors):
            speech: Speech
            role: Role
            if speaker is not None and actor != speaker:
                continue  # named in someone's quotation: the stance is the speaker's
            if speaker is not None:
                speech, role = "quoted", "speaker"
            elif reporter is not None:
                speech = "reported"
                role = "reporter" if actor == reporter else "named"
            else:
                speech = "narrated"
                role = "subject" if k == 0 else "named"
            weight = {"speaker": 1.0, "reporter": 1.0, "subject": 0.8, "named": 0.6}[role]
            conf = (min(1.0, match.score / 2.0) * weight * (1.0 if reading.events else 0.7)
                    * (0.8 if reading.hedged else 1.0))
            out.append(StanceProposal(
                actor=actor, issue=issue.id, article=sentence.article, line=sentence.line,
                sentence=sentence.index, quote=sentence.text, direction=direction,
                target=target, target_label=label, position=round(position, 2),
                shift=round(position - base, 2), polarity=reading.polarity,
                negated=reading.negated, hedged=reading.hedged, speech=speech, role=role,
                attributed_to=speaker or reporter, quad=_quad(reading), events=reading.events,
                issue_score=match.score, terms=match.terms, confidence=round(conf, 3)))
    return out


def _quad(reading: CueReading) -> Quad:
    kind = "material" if reading.quad_material else "verbal"
    return f"{kind} {'cooperation' if reading.polarity >= 0 else 'conflict'}"  # type: ignore[return-value]


def _reporter(text: str, mentions: Sequence[Mention]) -> str | None:
    """The actor whose words a sentence reports: "X said", "X told", "according to X"."""
    lower = text.lower()
    for m in mentions:
        after = words(text[m.end:m.end + 40])[:3]
        if any(w in REPORTING for w in after):
            return m.actor
        if lower[max(0, m.start - 14):m.start].rstrip().endswith("according to"):
            return m.actor
    return None
