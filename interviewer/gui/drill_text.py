"""The timed drill's verdicts in words (no Qt), shared by the drill page, the rehearsal's
pitch timing and the exported drill report."""

from __future__ import annotations



def pace_band() -> tuple[float, float]:
    """The app's one pace band (analysis.pacing.BAND): the scores, their advice, the charts
    and these sentences all use it. Read when first needed: the analysis package takes a
    moment to import, which the window's first appearance must not wait for."""
    from ..analysis.pacing import BAND

    return BAND
VERDICT_TEXT = {"on time": "On time", "short": "Short", "over": "Over time", "no speech": "No speech heard"}


def fmt_target(seconds: int) -> str:
    return f"{seconds} s" if seconds < 90 else f"{seconds // 60} min"


def verdict_sentence(report: dict) -> str:
    used, target, delta = report["used_s"], report["target_s"], report["delta_s"]
    if report["verdict"] == "no speech":
        return f"No speech was heard in the answer (target {fmt_target(target)})."
    how = "on time" if report["verdict"] == "on time" else (
        f"{abs(delta):.0f} s over" if delta > 0 else f"{abs(delta):.0f} s short")
    if report["verdict"] == "on time" and abs(delta) >= 0.5:
        how += f" ({delta:+.0f} s)"
    return f"Used {used:.0f} s of a {target} s target: {how}."


def pace_sentence(wpm) -> str:
    if not wpm:
        return "No pace: nothing was said."
    lo, hi = pace_band()
    where = "inside" if lo <= wpm <= hi else ("below" if wpm < lo else "above")
    advice = "" if where == "inside" else (" Speed up a little: you risk losing the listener." if where == "below"
                                          else " Slow down a little: fast speech is hard to follow.")
    return f"{wpm:.0f} words per minute, {where} the {lo:.0f}-{hi:.0f} wpm band.{advice}"
