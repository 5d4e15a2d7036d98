"""Filled pauses Whisper leaves out: a second, disfluency-prompted pass, merged by alignment.

Whisper was trained on transcripts that mostly omit "um" and "uh", so a plain pass drops
them and stretches the neighbouring words' timestamps over them; the waveform alone does not
find them in real recordings either (room noise sits above the level that separates words).
Prompted in a disfluent style, Whisper *base* writes them out with usable times. Measured on
the tuning recordings (tests/fixtures/speech/README.md): base with FILLER_PROMPT kept 3 of 3
filled pauses in the tuning monologue, timed within 0.15 s of the forced alignment; tiny.en
also kept 3 of 3 but about 0.6 s late. The prompt also costs words (it cut sentence ends and
raised WER from 17.8 % to 20.1 % on the real set), so its text is not used: only the fillers
that the word-level alignment with the plain pass shows as *insertions* are taken. What the
whole-answer prompted pass skips, a prompted decode of the suspect gaps alone often finds
(suspect_gaps, below).
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
    """The word as the two passes are aligned on: any spelling of a filler is one token, so
    a plain "Ummmmm" and a prompted "um," at the same place are the same filler."""
    return "uh" if is_filled_pause(text) else re.sub(r"[^a-z']", "", text.lower())


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
# Any other plain word the prompted pass hears as a filler counts when the plain pass itself
# was unsure of it ("recall firm, and" for "recall, um, and", p 0.17). On the tuning answers
# (18 espeak answers with fillers, the same 18 clean, the real tuning recordings) every one
# of the 7 replacements of a plain word by a prompted filler stood at a true filler.
UNSURE_P = 0.3


def aligned_fillers(plain: list[Word], prompted: list[Word]) -> list[tuple[Word, int | None]]:
    """[(filler from the prompted pass, index of the plain word it replaces or None)]."""
    a = [_norm(w.text) for w in plain]
    b = [_norm(w.text) for w in prompted]
    out: list[tuple[Word, int | None]] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if (op == "insert" or (op == "replace" and all(is_filled_pause(w.text) for w in plain[i1:i2]))
                or (op == "replace" and j2 - j1 > i2 - i1)):
            # (a longer prompted side: "I'd" -> "I'm, uh": the filler is the word it added)
            out.extend((w, None) for w in prompted[j1:j2] if is_filled_pause(w.text))
        elif op == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                p, q = plain[i1 + k], prompted[j1 + k]
                if not is_filled_pause(q.text):
                    continue
                if (a[i1 + k] in _SCHWA_WORDS and q.end - q.start >= MIN_SCHWA_FILLER_S) or p.probability < UNSURE_P:
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


# -- the gap pass ---------------------------------------------------------------------------
# Whether the prompted pass writes a filler depends on the whole 30 s window around it; a
# filler it skipped is often written when the same stretch is decoded again with only a
# second or so of context. Measured on the real tuning recordings (faster-whisper 1.2.1,
# CTranslate2 4.8.5): the whole-answer passes found 7 of 10 filled pauses (the "um" at
# 22.9 s in acoustic_corpus and two of mfa_uhuh's six were lost); decoding the suspect gaps
# again found all 10, with no false one there or in the clean read speech; the 18 clean
# espeak tuning answers kept their 2 false fillers. Held out, measured once after: real 6/6
# (precision unchanged, 6/8), espeak short fillers 16/21 -> 19/21 (with UNSURE_P).
# "Suspect": a gap of SUSPECT_GAP_S or more with sound in it (a silent pause holds no
# filler). The windows are decoded together (gap_collages): one decode per 28 s of windows.
SUSPECT_GAP_S = 0.35  # a silence between two words shorter than this holds no filler
GAP_CONTEXT_S = (1.2, 1.0)  # speech kept before and after a gap (less made base invent words)
MAX_GAPS = 8
GAP_SOUND_S = 0.15  # a gap needs this much sound in it to hold a filler
GAP_ABOVE_FLOOR_DB = 6.0  # "sound": this far above the recording's noise floor
MIN_GAP_FILLER_S = 0.1
COLLAGE_S = 28.0  # under Whisper's 30 s window, so a collage is decoded in one go
GAP_SEPARATOR_S = 0.6


def suspect_gaps(audio, words: list[Word], known: list[Word], sample_rate: int = 16000) -> list[tuple[float, float]]:
    """Gaps between recognised words that have sound in them and no known filler: the
    longest MAX_GAPS, as (start, end), in time order."""
    import numpy as np

    from ..analysis.acoustic import SPEECH_DB, energy_frames

    frames = energy_frames(np.asarray(audio, dtype=np.float32), sample_rate)
    if frames.db.size == 0:
        return []
    floor = float(np.percentile(frames.db, 10))
    loud_db = max(floor + GAP_ABOVE_FLOOR_DB, SPEECH_DB - 10.0)
    gaps = []
    for before, after in zip(words, words[1:]):
        g0, g1 = before.end, after.start
        if g1 - g0 < SUSPECT_GAP_S or any(g0 + 0.05 < f.start < g1 - 0.05 for f in known):
            continue
        sound_s = float((frames.db[frames.index(g0):frames.index(g1)] > loud_db).sum()) * frames.hop_s
        if sound_s >= GAP_SOUND_S:
            gaps.append((g0, g1))
    return sorted(sorted(gaps, key=lambda g: g[0] - g[1])[:MAX_GAPS])


def gap_window(gap: tuple[float, float], duration_s: float) -> tuple[float, float]:
    """The stretch of audio decoded again for one gap: the gap and some speech either side."""
    return max(0.0, gap[0] - GAP_CONTEXT_S[0]), min(duration_s, gap[1] + GAP_CONTEXT_S[1])


def gap_collages(audio, windows: list[tuple[float, float]], sample_rate: int = 16000):
    """The windows' audio laid end to end, GAP_SEPARATOR_S of silence apart, in collages of
    at most COLLAGE_S (one Whisper window each): [(collage audio, [(window index, where it
    starts in the collage)])]. One decode per collage instead of one per gap: each decode
    pads its audio to 30 s, so eight short ones cost eight times one full window."""
    import numpy as np

    silence = np.zeros(int(GAP_SEPARATOR_S * sample_rate), dtype=np.float32)
    out, pieces, placed, at = [], [], [], 0.0
    for k, (start, end) in enumerate(windows):
        piece = np.asarray(audio[int(start * sample_rate):int(end * sample_rate)], dtype=np.float32)
        length = piece.size / sample_rate
        if placed and at + length > COLLAGE_S:
            out.append((np.concatenate(pieces), placed))
            pieces, placed, at = [], [], 0.0
        pieces += [piece, silence]
        placed.append((k, at))
        at += length + GAP_SEPARATOR_S
    if placed:
        out.append((np.concatenate(pieces), placed))
    return out


def fillers_in_gap(decoded: list[Word], offset: float, gap: tuple[float, float], known: list[Word]) -> list[Word]:
    """Fillers of a gap's prompted decode (times relative to `offset`) that lie in the gap
    and are not a known filler timed differently."""
    out: list[Word] = []
    for w in decoded:
        # a filler stamped with no length comes from a decode that went astray: base on a
        # few seconds of a clean espeak answer wrote "be able to, uh, be able to, uh" there,
        # every word at one instant (the true ones found on the tuning set last 0.2-0.8 s)
        if not is_filled_pause(w.text) or w.end - w.start < MIN_GAP_FILLER_S:
            continue
        start, end = w.start + offset, w.end + offset
        if not gap[0] - 0.1 <= (start + end) / 2 <= gap[1] + 0.1:
            continue
        if any(min(end, f.end) - max(start, f.start) > -0.05 or abs(start - f.start) < MIN_FILLER_GAP_S
               for f in (*known, *out)):
            continue
        out.append(Word(w.text, start, end, w.probability))
    return out
