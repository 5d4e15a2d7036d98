"""Pacing: words per minute overall and over time, long pauses, speaking time against the target."""

from __future__ import annotations

from dataclasses import dataclass, field

from .clarity import fmt_time

# The one pace band of the whole app: scores, advice, charts and drill verdicts all use it,
# so a score and its advice can never disagree. Sources agree on 120-170 words per minute
# for interview answers; inside it the score is 90-100, outside it below 90, and advice to
# slow down or speed up is given exactly when the pace is outside it.
BAND = (120.0, 170.0)
CORE = (130.0, 160.0)  # inside the band, the most comfortable stretch: full marks
BAND_TEXT = f"{BAND[0]:.0f}-{BAND[1]:.0f} wpm"
LONG_PAUSE_S = 2.0
WINDOW_S = 30.0


@dataclass
class PacingResult:
    wpm: float
    windows: list[dict]
    pauses: list[dict]
    speaking_s: float
    target_s: int | None
    time_verdict: str
    score: int
    raised: list[dict] = field(default_factory=list)
    lowered: list[dict] = field(default_factory=list)


def chart_window_s(span: float) -> float:
    """Window length for the pace chart: the scoring windows (30 s) for long answers; for
    short ones about a quarter of the answer, so a 30-second answer still shows how its pace
    moved, but never under 10 s (fewer than about 20 words a window would chart noise)."""
    return min(WINDOW_S, max(10.0, span / 4))


def wpm_windows(word_starts: list[float], start: float, end: float, window_s: float = WINDOW_S) -> list[dict]:
    """Pace in consecutive windows; a last stub shorter than half a window joins the one before."""
    span = end - start
    if span <= 0 or not word_starts:
        return []
    n = max(1, int(span // window_s))
    if span - n * window_s >= window_s / 2:
        n += 1
    edges = [start + i * window_s for i in range(n)] + [end]
    out = []
    j = 0
    for a, b in zip(edges[:-1], edges[1:]):
        count = 0
        while j < len(word_starts) and word_starts[j] < b:
            if word_starts[j] >= a:
                count += 1
            j += 1
        dur = b - a
        out.append({"start": round(a, 2), "end": round(b, 2), "words": count, "wpm": round(count / dur * 60.0, 1) if dur > 0 else 0.0})
    return out


def _rate_score(wpm: float) -> float:
    if CORE[0] <= wpm <= CORE[1]:
        return 100.0
    if BAND[0] <= wpm <= BAND[1]:
        edge = CORE[0] if wpm < CORE[0] else CORE[1]
        return 100.0 - abs(wpm - edge)  # 90 at the band's edges
    edge = BAND[0] if wpm < BAND[0] else BAND[1]
    return max(20.0, 90.0 - 2.0 * abs(wpm - edge))


def score_pacing(
    wpm: float, windows: list[dict], pauses: list[dict], speaking_s: float, target_s: int | None
) -> PacingResult:
    raised, lowered = [], []
    score = _rate_score(wpm)
    if CORE[0] <= wpm <= CORE[1]:
        raised.append({"reason": f"pace {wpm:.0f} wpm, comfortably inside the {BAND_TEXT} band", "evidence": "overall"})
    elif BAND[0] <= wpm <= BAND[1]:
        raised.append({"reason": f"pace {wpm:.0f} wpm, inside the {BAND_TEXT} band", "evidence": "overall"})
    else:
        lowered.append({"reason": f"pace {wpm:.0f} wpm is {'slower' if wpm < BAND[0] else 'faster'} than the {BAND_TEXT} band", "evidence": "overall", "points": -round(100 - score)})
    if len(windows) >= 2:
        off = [w for w in windows if not (BAND[0] <= w["wpm"] <= BAND[1]) and w["words"] >= 5]
        if off:
            pen = min(15.0, 3.0 * len(off))
            score -= pen
            lowered.append(
                {
                    "reason": f"{len(off)} {'stretch' if len(off) == 1 else 'stretches'} outside the {BAND_TEXT} band",
                    "evidence": "; ".join(f"{fmt_time(w['start'])}-{fmt_time(w['end'])} at {w['wpm']:.0f} wpm" for w in off[:3]),
                    "points": -round(pen),
                }
            )
        else:
            raised.append({"reason": "steady pace in every 30 s window", "evidence": ", ".join(f"{w['wpm']:.0f}" for w in windows[:6]) + " wpm"})
    if pauses:
        long_ones = [p for p in pauses if p["duration"] >= 5.0]
        pen = min(20.0, 4.0 * max(0, len(pauses) - 1) + 3.0 * len(long_ones))
        if pen:
            score -= pen
            lowered.append(
                {
                    "reason": f"{len(pauses)} silences of 2 s or more" + (f", {len(long_ones)} over 5 s" if long_ones else ""),
                    "evidence": "; ".join(f"{p['duration']:.1f} s at {fmt_time(p['start'])}" for p in pauses[:4]),
                    "points": -round(pen),
                }
            )
        else:
            raised.append({"reason": "one pause to think, which reads as deliberate", "evidence": f"{pauses[0]['duration']:.1f} s at {fmt_time(pauses[0]['start'])}"})
    verdict = "no target"
    if target_s:
        ratio = speaking_s / target_s
        if ratio < 0.25:
            verdict, pen = "much too short", 20.0
        elif ratio < 0.5:
            verdict, pen = "short", 10.0
        elif ratio > 2.0:
            verdict, pen = "much too long", 20.0
        elif ratio > 1.5:
            verdict, pen = "long", 10.0
        else:
            verdict, pen = "on target", 0.0
        ev = f"spoke {speaking_s:.0f} s of a {target_s} s target"
        if pen:
            score -= pen
            lowered.append({"reason": f"answer length {verdict}", "evidence": ev, "points": -round(pen)})
        else:
            raised.append({"reason": "answer length on target", "evidence": ev})
    return PacingResult(round(wpm, 1), windows, pauses, round(speaking_s, 2), target_s, verdict, int(round(max(0.0, min(100.0, score)))), raised, lowered)
