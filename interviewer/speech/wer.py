"""Word error rate with the normalisation rules of tests/fixtures/speech/README.md.

Lower case, punctuation stripped, "Mr." and "mister" the same word. In the spontaneous
transcripts `<cutoff-X>` (a cut-off attempt) and the non-words `[laughter]`, `<unk>`,
`<VOCNOISE>`, `[adif]` are dropped, `<hes-X>` counts as X and `yknow` as "you know".
Filled pauses (um, uh, hm) stay in the reference unless `drop_fillers` is set: kept, a
recogniser that leaves them out pays for each one, which is the stricter reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..transcript import FILLED_PAUSES as FILLED
_SPELLING = {"mr": "mister", "mrs": "missus", "ok": "okay"}
_NON_WORDS = re.compile(r"\[[^\]]*\]|<unk>|<vocnoise>|<cutoff-[^>]*>")
_HES = re.compile(r"<hes-([^>]*)>")


def normalise(text: str, *, drop_fillers: bool = False) -> list[str]:
    text = text.lower()
    text = _NON_WORDS.sub(" ", text)
    text = _HES.sub(r"\1", text)
    text = re.sub(r"\byknow\b", "you know", text)
    text = text.replace("-", " ")
    words = []
    for raw in text.split():
        w = re.sub(r"[^a-z0-9']", "", raw).strip("'")
        w = w.replace("'", "")
        if not w:
            continue
        w = _SPELLING.get(w, w)
        if drop_fillers and w in FILLED:
            continue
        words.append(w)
    return words


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def wer(ref: str, hyp: str, *, drop_fillers: bool = False) -> float:
    r, h = normalise(ref, drop_fillers=drop_fillers), normalise(hyp, drop_fillers=drop_fillers)
    return edit_distance(r, h) / max(1, len(r))


def real_speech_set(root: Path) -> list[tuple[str, Path, str]]:
    """(source, wav, reference text) for every recording with a .txt beside it.

    source is "read", "spontaneous" or "clips" (the three short clips at the top)."""
    out = []
    for wav in sorted(Path(root).rglob("*.wav")):
        ref = wav.with_suffix(".txt")
        if not ref.is_file():
            continue
        rel = wav.relative_to(root)
        source = rel.parts[0] if len(rel.parts) > 1 else "clips"
        out.append((source, wav, ref.read_text(encoding="utf-8").strip()))
    return out
