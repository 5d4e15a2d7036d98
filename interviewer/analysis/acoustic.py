"""What the waveform says that word timestamps do not: speech onset/offset, silences, filled pauses.

Whisper puts the first word near 0.0 s and drops most "um"s and "uh"s, so pace and
filled-pause counts need the audio itself. Everything here is plain numpy on 16 kHz
mono float32 and touches only the frames it needs: a 10-minute answer costs a few ms.

Filled pauses are found as *steady voiced islands*: stretches of sound between short
dips that are voiced (periodic) throughout and whose spectrum barely changes, which is
what a held vowel or hum (uh, um, er, hmm) looks like and what running speech, with a
new phoneme every 60-100 ms, does not. An island is only counted when no recognised
word accounts for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..audio import SAMPLE_RATE
from ..transcript import Word

HOP_S = 0.01
WIN_S = 0.02
SPEECH_DB = -30.0  # the README's onset definition: 20 ms windows, -30 dB below the peak
ISLAND_DB = -35.0  # looser, so a soft filler still forms an island
MIN_DIP_S = 0.05  # a dip this long separates two islands


@dataclass
class Frames:
    """Short-time energy in dB relative to the loudest 20 ms window (10 ms hop)."""

    db: np.ndarray
    hop_s: float = HOP_S

    def time(self, i: int) -> float:
        return i * self.hop_s

    def index(self, t: float) -> int:
        return int(round(t / self.hop_s))


def energy_frames(audio: np.ndarray, sr: int = SAMPLE_RATE) -> Frames:
    hop = int(sr * HOP_S)
    n = audio.size // hop
    if n < 2:
        return Frames(np.full(max(n, 0), -120.0))
    sq = audio[: n * hop].astype(np.float32) ** 2
    per_hop = sq.reshape(n, hop).mean(axis=1)
    # 20 ms windows at a 10 ms hop: the mean of two neighbouring hops
    win = np.empty_like(per_hop)
    win[:-1] = 0.5 * (per_hop[:-1] + per_hop[1:])
    win[-1] = per_hop[-1]
    power_db = 10.0 * np.log10(win + 1e-12)
    peak = power_db.max()
    return Frames(power_db - peak)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index pairs of the True runs in a boolean array."""
    if mask.size == 0:
        return []
    d = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.nonzero(d == 1)[0]
    ends = np.nonzero(d == -1)[0]
    return list(zip(starts.tolist(), ends.tolist()))


def speech_bounds(
    frames: Frames, words: list[Word], after: float = 0.0
) -> tuple[float | None, float | None]:
    """Onset of the first word and end of the last, read off the energy.

    The search is anchored on the first and last recognised words so that noise before
    the answer or applause after it does not stretch the span.
    """
    if not words or frames.db.size == 0:
        return None, None
    loud = frames.db > SPEECH_DB
    min_run = 3  # 30 ms above threshold: not a click
    first, last = words[0], words[-1]

    lo = frames.index(max(after, first.start - 0.6))
    hi = frames.index(first.end) + 1
    onset = None
    for s, e in _runs(loud[lo:hi]):
        if e - s >= min_run:
            onset = frames.time(lo + s)
            break
    if onset is None:
        onset = first.start

    lo = frames.index(max(last.start, onset))
    hi = min(loud.size, frames.index(last.end + 0.25) + 1)
    offset = None
    for s, e in reversed(_runs(loud[lo:hi])):
        if e - s >= min_run:
            offset = frames.time(lo + e)
            break
    if offset is None or offset <= onset:
        offset = max(last.end, onset + 0.01)
    return onset, offset


def silences(frames: Frames, start: float, end: float, min_s: float) -> list[tuple[float, float]]:
    """Stretches quieter than the speech threshold, at least `min_s` long, inside [start, end]."""
    if end <= start or frames.db.size == 0:
        return []
    lo, hi = frames.index(start), min(frames.db.size, frames.index(end))
    quiet = frames.db[lo:hi] <= ISLAND_DB
    out = []
    for s, e in _runs(quiet):
        dur = (e - s) * frames.hop_s
        if dur >= min_s:
            out.append((frames.time(lo + s), dur))
    return out


def islands(frames: Frames, start: float, end: float) -> list[tuple[float, float]]:
    """Sounding stretches in [start, end], split at dips of MIN_DIP_S or more."""
    lo, hi = frames.index(max(0.0, start)), min(frames.db.size, frames.index(end))
    if hi <= lo:
        return []
    sounding = frames.db[lo:hi] > ISLAND_DB
    # close dips shorter than MIN_DIP_S (stop closures inside words)
    min_dip = int(round(MIN_DIP_S / frames.hop_s))
    for s, e in _runs(~sounding):
        if e - s < min_dip and s > 0 and e < sounding.size:
            sounding[s:e] = True
    return [(frames.time(lo + s), frames.time(lo + e)) for s, e in _runs(sounding)]


@dataclass
class IslandShape:
    voiced: float  # share of frames with clear periodicity
    flux: float  # median spectral change between frames 40 ms apart (dB, level-normalised)
    f0_jitter: float  # relative spread of the pitch period


_N_FFT = 1024
# 16 bands, 150 Hz to 4 kHz, equally spaced on a mel-like scale
_BANDS = np.unique(np.round(700 * (10 ** (np.linspace(np.log10(1 + 150 / 700), np.log10(1 + 4000 / 700), 17)) - 1) / (SAMPLE_RATE / _N_FFT)).astype(int))
_WIN = 512
_HOP = 320
_HANN = np.hanning(_WIN).astype(np.float32)
_HANN_AC = np.fft.irfft(np.abs(np.fft.rfft(_HANN, n=_N_FFT)) ** 2, n=_N_FFT)
_HANN_AC = _HANN_AC / _HANN_AC[0]
_NOT_HELD = IslandShape(0.0, 99.0, 1.0)


def island_shapes(audio: np.ndarray, spans: list[tuple[float, float]], sr: int = SAMPLE_RATE) -> list[IslandShape]:
    """Voicing and spectral steadiness of several stretches, with one batched FFT."""
    frames, bounds = [], []
    total = 0
    for start, end in spans:
        seg = audio[int(start * sr) : int(end * sr)]
        n = 1 + (seg.size - _WIN) // _HOP if seg.size >= _WIN + _HOP else 0
        if n:
            idx = np.arange(_WIN)[None, :] + _HOP * np.arange(n)[:, None]
            frames.append(seg[idx])
        bounds.append((total, total + n))
        total += n
    if not frames:
        return [_NOT_HELD] * len(spans)
    fr = np.concatenate(frames).astype(np.float32) * _HANN
    spec = np.abs(np.fft.rfft(fr, n=_N_FFT, axis=1)) ** 2
    # voicing: normalised autocorrelation in the 60-400 Hz pitch range, divided by the
    # window's own autocorrelation (Boersma 1993) so that a periodic frame peaks near 1
    ac = np.fft.irfft(spec, n=_N_FFT, axis=1)
    ac = ac / (ac[:, :1] + 1e-12) / np.maximum(_HANN_AC[None, :], 0.05)
    lo_lag, hi_lag = sr // 400, min(sr // 60, _N_FFT // 2 - 1)
    peak_lag = lo_lag + np.argmax(ac[:, lo_lag:hi_lag], axis=1)
    peak = ac[np.arange(ac.shape[0]), peak_lag]
    cs = np.cumsum(spec, axis=1)
    logb = 10 * np.log10(np.diff(cs[:, _BANDS], axis=1) + 1e-10)
    # empty bands (a hum has little above 1 kHz) would add noise, not information
    logb = np.maximum(logb, logb.max(axis=1, keepdims=True) - 40.0)
    logb -= logb.mean(axis=1, keepdims=True)
    energy = spec.sum(axis=1)
    out = []
    for lo, hi in bounds:
        sel = np.arange(lo, hi)
        if sel.size < 4:
            out.append(_NOT_HELD)
            continue
        e = energy[sel]
        sel = sel[e > e.max() * 10 ** (-25 / 10)]
        if sel.size < 4:
            out.append(_NOT_HELD)
            continue
        voiced_mask = peak[sel] > 0.45
        lb = logb[sel]
        lag = 2  # frames 40 ms apart
        # the median ignores the one transition inside "um" (vowel to hum)
        flux = float(np.median(np.sqrt(((lb[lag:] - lb[:-lag]) ** 2).mean(axis=1)))) if lb.shape[0] > lag else 99.0
        lags = peak_lag[sel][voiced_mask]
        jitter = float(lags.std() / lags.mean()) if lags.size >= 3 else 1.0
        out.append(IslandShape(float(voiced_mask.mean()), flux, jitter))
    return out


def island_shape(audio: np.ndarray, start: float, end: float, sr: int = SAMPLE_RATE) -> IslandShape:
    return island_shapes(audio, [(start, end)], sr)[0]


def is_held_sound(shape: IslandShape) -> bool:
    return shape.voiced >= 0.7 and shape.flux <= 3.0 and shape.f0_jitter <= 0.2


# An island this steady is a filler even when a recognised word's timestamps cover it
# (Whisper stretches a neighbour over the "uh" it dropped). Measured on the tuning espeak
# answers with short inline "uh,"/"um," (tests/fixtures/analysis/short_fillers.py): filler
# islands had spectral flux 1.0-1.7 dB and voicing 0.76-1.0; of 650 other islands three
# were that steady, all shorter than 0.2 s or next to a filler.
CLEAR_VOICED, CLEAR_FLUX, CLEAR_JITTER = 0.75, 1.75, 0.15


def is_clearly_held(shape: IslandShape) -> bool:
    return shape.voiced >= CLEAR_VOICED and shape.flux <= CLEAR_FLUX and shape.f0_jitter <= CLEAR_JITTER


# A short "uh," said at 200 wpm lasts 0.2 s; islands are read in 10 ms frames, so the
# bound sits a little below that.
MIN_FILLER_S = 0.18


def expected_word_s(text: str) -> float:
    letters = sum(c.isalpha() for c in text)
    return 0.1 + 0.065 * max(1, letters)


def voiced_gaps(
    audio: np.ndarray,
    frames: Frames,
    words: list[Word],
    start: float,
    end: float,
    *,
    min_s: float = MIN_FILLER_S,
    max_s: float = 2.0,
) -> list[tuple[float, float]]:
    """Held voiced sounds that no recognised word accounts for: filled pauses Whisper dropped."""
    found: list[tuple[float, float]] = []
    candidates: list[tuple[float, float]] = []
    spans = [(w.start, w.end, w.text) for w in words]
    j = 0
    for a, b in islands(frames, start - 0.3, end + 0.3):
        dur = b - a
        if dur < min_s or dur > max_s:
            continue
        while j < len(spans) and spans[j][1] <= a:
            j += 1
        # words that lie mostly inside the island would explain it if the island is not
        # much longer than they are
        inside = []
        k = j
        while k < len(spans) and spans[k][0] < b:
            ws, we, text = spans[k]
            overlap = min(b, we) - max(a, ws)
            if overlap > 0.5 * max(we - ws, 1e-3) or overlap > 0.6 * dur:
                inside.append(text)
            k += 1
        explained = False
        schwa_word = False
        if inside:
            expected = sum(expected_word_s(t) for t in inside)
            explained = dur < 1.8 * expected
            if explained and any(_could_be_held(t) for t in inside):
                # "so", "well", "I": the word itself may be the held sound. The article "a"
                # is the filler's own vowel, and Whisper writes a dropped "uh" as "a"
                # ("Lasso, a Ridge, a ..."): there only a clearly held island counts.
                if not all(_is_schwa(t) for t in inside):
                    continue
                schwa_word = True
        candidates.append((a, b, explained, schwa_word))
    shapes = island_shapes(audio, [(a, b) for a, b, _, _ in candidates])
    for (a, b, explained, schwa_word), shape in zip(candidates, shapes):
        # Whisper's timestamps drift around a filler and often stretch a neighbour over
        # it; an island as steady as a held vowel is a filler even then
        if schwa_word:
            if is_clearly_held(shape):
                found.append((round(a, 3), round(b, 3)))
        elif is_held_sound(shape) and (not explained or is_clearly_held(shape)):
            found.append((round(a, 3), round(b, 3)))
    return found


_HELD_WORDS = frozenset("a uh um er oh ah i or so well are our eh hmm mm".split())


_SCHWA_WORDS = frozenset("a uh um er ah eh hmm mm".split())


def _is_schwa(text: str) -> bool:
    return text.strip(".,;:!?-'\"").lower() in _SCHWA_WORDS


def _could_be_held(text: str) -> bool:
    return text.strip(".,;:!?-'\"").lower() in _HELD_WORDS
