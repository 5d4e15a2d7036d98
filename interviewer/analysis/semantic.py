"""Key points recognised by meaning: an answer's sentences against each key point's label and
cues, and against its exemplars (`says` in the bank: sentences a strong candidate might say).

One measure per (sentence, reference), from one pass of all-MiniLM-L6-v2 (embed.py) over
each: BERTScore-style alignment. Each word piece of one side finds its most similar piece on
the other side, in context; the harmonic mean of both directions, weighted by how rare a
piece is among the bank's key points (a point's telling words count most). A key point with
exemplars takes the mean of its label's and its best exemplar's ("bs_points"). depth.py takes it
relative to the question's other key points, since every answer to a question resembles all
of its points a little.

Measured on the tuning answers (tests/fixtures/paraphrase_tuning.yaml, AUC of covered against
not covered key points): this alignment 0.88; the cosine of mean-pooled sentence vectors 0.80;
windows of 8-16 words instead of sentences, the question's follow-ups as extra references,
the question prepended as context, intermediate layers: no better. The exemplars, written for
every key point of the bank from its label alone, took the tuning F1 from 0.884 to 0.941
(depth.EXEMPLAR_RULE, EXEMPLAR_STORY_RULE). The best exemplar alone instead of its mean with
the label did as well on the tuning answers but took a story's problem ("two weeks after we
launched, the warehouses were understaffed", against the exemplar "two weeks later the rate
... was down to half a percent") for its outcome.

data/keypoint-idf.json is regenerated from the bank with `python -m interviewer.analysis.semantic`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..content.bank import KeyPoint, Question
from .embed import Embedder, Encoded
from .text import STOPWORDS

IDF_FILE = Path(__file__).resolve().parent / "data" / "keypoint-idf.json"
_WORDISH = re.compile(r"^(##)?[a-z0-9]")


def reference_texts(kp: KeyPoint) -> dict[str, str]:
    """What a key point is matched against: its label with its cues (the spoken `topic` is left
    out: prefixed to the label it made the tuning answers' figures slightly worse)."""
    cues = ", ".join(kp.cues)
    return {"labcue": f"{kp.label} ({cues})", "label": kp.label, "cues": cues}


@lru_cache(maxsize=1)
def piece_idf() -> dict[str, float]:
    """Inverse document frequency of word pieces over the bank's key points (data/keypoint-idf.json)."""
    try:
        return json.loads(IDF_FILE.read_text())
    except (OSError, ValueError):
        return {}


def _content(e: Encoded, idf: dict[str, float], default: float) -> tuple[np.ndarray, np.ndarray]:
    keep = [i for i, p in enumerate(e.pieces) if _WORDISH.match(p) and p not in STOPWORDS]
    if not keep:
        return np.zeros((0, e.states.shape[1]), np.float32), np.zeros(0, np.float32)
    w = np.array([idf.get(e.pieces[i], default) for i in keep], np.float32)
    return e.states[keep], w


@dataclass
class SemanticScores:
    kp_ids: list[str]
    units: list[str]
    matrices: dict[str, np.ndarray]  # name -> (units, key points)


def score(question: Question, units: list[str], embedder: Embedder, kinds: tuple[str, ...] = ("labcue",)) -> SemanticScores:
    """Alignment of every unit with every key point's reference texts, one matrix per kind."""
    kps = question.key_points
    refs = [reference_texts(kp) for kp in kps]
    idf = piece_idf()
    default = max(idf.values()) if idf else 1.0
    n = len(units)
    says = [s for kp in kps for s in kp.says]
    owner = np.array([k for k, kp in enumerate(kps) for _s in kp.says], dtype=int)
    # one call, so the texts not cached yet go through the network in as few runs as possible
    encoded = embedder.encode_full(units + [r[k] for k in kinds for r in refs] + says)
    enc_units = encoded[:n]
    ucont = [_content(e, idf, default) for e in enc_units]
    mats: dict[str, np.ndarray] = {}
    for ki, k in enumerate(kinds):
        enc_refs = encoded[n + ki * len(refs) : n + (ki + 1) * len(refs)]
        mats[f"bs_{k}"] = alignment(ucont, [_content(e, idf, default) for e in enc_refs])
    # each key point's best-aligned exemplar sentence (0 for a point that has none)
    by_says = np.zeros((n, len(kps)), np.float32)
    if says:
        each = alignment(ucont, [_content(e, idf, default) for e in encoded[n + len(kinds) * len(refs):]])
        for k in set(owner.tolist()):
            by_says[:, k] = each[:, owner == k].max(1)
    if "labcue" in kinds:
        # A point with exemplars: the mean of its label-and-cues alignment and its best exemplar's.
        # A unit must resemble the point's definition as well as one way of saying it: an
        # exemplar's incidental details alone ("two weeks later ...") do not make the point.
        with_says = np.array([bool(kp.says) for kp in kps])
        mats["bs_points"] = np.where(with_says, (mats["bs_labcue"] + by_says) / 2, mats["bs_labcue"])
    return SemanticScores([kp.id for kp in kps], units, mats)


def alignment(units: list[tuple[np.ndarray, np.ndarray]], refs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """(units, refs) BERTScore F1: IDF-weighted greedy matching of pieces, both directions."""
    out = np.zeros((len(units), len(refs)), np.float32)
    for j, (rs, rw) in enumerate(refs):
        if not len(rw):
            continue
        for i, (us, uw) in enumerate(units):
            if not len(uw):
                continue
            sim = rs @ us.T
            rec = float((sim.max(1) * rw).sum() / rw.sum())
            prec = float((sim.max(0) * uw).sum() / uw.sum())
            out[i, j] = 2 * rec * prec / (rec + prec) if rec + prec > 0 else 0.0
    return out


def build_idf(questions) -> dict[str, float]:
    """Piece IDF over key points (label and cues): the generator of data/keypoint-idf.json.
    The exemplars are left out: counted too, they moved the label-only matching of a question
    written in the app (tuning F1 0.887 -> 0.877), for nothing on the bank's questions."""
    from .embed import shared_embedder

    tok = shared_embedder().tokenizer
    docs = []
    for q in questions:
        for kp in q.key_points:
            r = reference_texts(kp)
            docs.append(set(tok.encode(r["labcue"], add_special_tokens=False).tokens))
    df: dict[str, int] = {}
    for d in docs:
        for t in d:
            df[t] = df.get(t, 0) + 1
    n = len(docs)
    return {t: round(math.log((n + 1) / (c + 1)), 3) for t, c in sorted(df.items())}


if __name__ == "__main__":
    from ..content.bank import load_bank

    IDF_FILE.write_text(json.dumps(build_idf(load_bank(include_user=False)), separators=(",", ":")))
    print(f"wrote {IDF_FILE}")
