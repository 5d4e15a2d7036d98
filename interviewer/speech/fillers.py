"""Filled pauses Whisper leaves out: a second, disfluency-prompted pass, merged by alignment.

Whisper was trained on transcripts that mostly omit "um" and "uh", so a plain pass drops
them and stretches the neighbouring words' timestamps over them; the waveform alone does not
find them in real recordings either (room noise sits above the level that separates words).
Prompted in a disfluent style, Whisper *base* writes them out with usable times. Measured on
the tuning recordings (tests/fixtures/speech/README.md): base with FILLER_PROMPT kept 3 of 3
filled pauses in the tuning monologue, timed within 0.15 s of the forced alignment; tiny.en
also kept 3 of 3 but about 0.6 s late. The prompt also costs words (it cut sentence ends and
raised WER from 17.8 % to 20.1 % on the real set), so its text is not used: only the fillers
that the word-level alignment with the plain pass shows as *insertions* are taken.
"""

from __future__ import annotations

import difflib
import re

from ..transcript import Transcript, Word, is_filled_pause

FILLER_PROMPT = "Umm, so, uh, let me think. Hmm, I mean, like, uh, the idea is"
# Two fillers closer than this are one filler written twice (the decoder's loops put
# dozens of "uh" on the same few hundred milliseconds).
MIN_FILLER_GAP_S = 0.25


def _norm(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower())


def inserted_fillers(plain: list[Word], prompted: list[Word]) -> list[Word]:
    """Fillers the prompted pass has where the plain pass has nothing.

    The two word sequences are aligned on their normalised text; a filler counts only inside
    an insertion (or a replacement whose plain side is itself only fillers), so a prompted
    "uh" that stands where the plain pass heard "a" is not counted twice or invented.
    """
    return [f for f, _replaced in aligned_fillers(plain, prompted)]


# A filler is a neutral vowel, and the plain pass often writes it as the article "a" (the
# same schwa): "Lasso, a Ridge, a Feature selection" for "Lasso, uh, Ridge, uh, ...". The
# prompted pass's "uh" wins there only when it lasts like a filler, not like an article.
_SCHWA_WORDS = frozenset({"a", "ah", "uh", "er", "eh", "oh"})
MIN_SCHWA_FILLER_S = 0.2


def aligned_fillers(plain: list[Word], prompted: list[Word]) -> list[tuple[Word, int | None]]:
    """[(filler from the prompted pass, index of the plain word it replaces or None)]."""
    a = [_norm(w.text) for w in plain]
    b = [_norm(w.text) for w in prompted]
    out: list[tuple[Word, int | None]] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "insert" or (op == "replace" and all(is_filled_pause(w.text) for w in plain[i1:i2])):
            out.extend((w, None) for w in prompted[j1:j2] if is_filled_pause(w.text))
        elif op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                p, q = plain[i1 + k], prompted[j1 + k]
                if a[i1 + k] in _SCHWA_WORDS and is_filled_pause(q.text) and q.end - q.start >= MIN_SCHWA_FILLER_S:
                    out.append((q, i1 + k))
    kept: list[tuple[Word, int | None]] = []
    for w, idx in sorted(out, key=lambda x: x[0].start):
        if kept and w.start - kept[-1][0].start < MIN_FILLER_GAP_S:
            continue
        kept.append((w, idx))
    return kept


def collapse_loops(words: list[Word]) -> list[Word]:
    """Drop a filler that starts within MIN_FILLER_GAP_S of the filler before it.

    Whisper's decoder loops on "uh" ("uh, uh, uh, ..." dozens of times over one second; base
    wrote 111 for the six in mfa_uhuh) and stacks the copies on the same timestamps. A
    spoken filler takes longer than a quarter second, so copies closer than that are one.
    """
    out: list[Word] = []
    last_filler: float | None = None
    for w in words:
        if is_filled_pause(w.text):
            if last_filler is not None and w.start - last_filler < MIN_FILLER_GAP_S:
                continue
            last_filler = w.start
        out.append(w)
    return out


def merge(plain: Transcript, fillers: list[Word], replaced: set[int] | None = None) -> Transcript:
    """The plain transcript with the fillers it lacks put in at their times; `replaced`: the
    indexes of plain words that were those fillers misheard (an "a" that was an "uh")."""
    replaced = replaced or set()
    have = [w for w in plain.words if is_filled_pause(w.text)]
    extra = [f for f in fillers if not any(abs(f.start - h.start) < MIN_FILLER_GAP_S for h in have)]
    if not extra:
        return plain
    base = [w for i, w in enumerate(plain.words) if i not in replaced]
    words = sorted([*base, *(Word(f.text.strip(" .,;:!?").lower() + ",", f.start, f.end, f.probability) for f in extra)],
                   key=lambda w: (w.start, w.end))
    return Transcript(words, plain.duration_s, speech_start=plain.speech_start, speech_end=plain.speech_end)


_LAUGH = re.compile(r"^(?:ha){2,}h?$|^(?:\(|\[|\*)?laugh(?:s|ter|ing)?(?:\)|\]|\*)?$")


def drop_laughter(words: list[Word]) -> list[Word]:
    """Leave laughter out of the words: Whisper writes it as "Ha ha ha!" or "(laughs)", and
    it is not speech, for pace or for content (the reference transcripts mark it [laughter]).
    A lone "ha" stays: it may be an interjection; two or more in a row are a laugh."""
    norms = [re.sub(r"[^a-z()\[\]*]", "", w.text.lower()) for w in words]
    out = []
    for i, (w, n) in enumerate(zip(words, norms)):
        plain = n.strip("()[]*")
        if _LAUGH.match(n) or _LAUGH.match(plain):
            continue
        if plain == "ha" and ((i > 0 and norms[i - 1].strip("()[]*") == "ha")
                              or (i + 1 < len(norms) and norms[i + 1].strip("()[]*") == "ha")):
            continue
        out.append(w)
    return out
