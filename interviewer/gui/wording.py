"""The words the app shows, tidied for people (no Qt): plurals without "(s)", times as
"at 0:12" instead of ranges to a tenth of a second, and fixes without terminal commands.

The core's messages are written for both the CLI and the GUI; the GUI passes them
through here so a desktop user never reads `interviewer …` or "0:00.2-0:20.7".
"""

from __future__ import annotations

import re

_IRREGULAR = {"was": "were", "is": "are", "has": "have", "this": "these"}


def plural(n: int | float, word: str, many: str | None = None, *, number: bool = True) -> str:
    """plural(1, "question") -> "1 question"; plural(3, "question") -> "3 questions"."""
    one = n == 1
    if one:
        form = word
    elif many:
        form = many
    elif word in _IRREGULAR:
        form = _IRREGULAR[word]
    elif word.endswith(("s", "sh", "ch", "x")):
        form = word + "es"
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        form = word[:-1] + "ies"
    else:
        form = word + "s"
    if not number:
        return form
    shown = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{shown} {form}"


def clock(seconds: float | None) -> str:
    """Whole seconds, as people read a timer: 0:12, 1:05."""
    if seconds is None:
        return ""
    s = int(round(max(0.0, float(seconds))))
    return f"{s // 60}:{s % 60:02d}"


_TIME = r"\d+:\d{2}(?:\.\d+)?"
_IN_SPAN = re.compile(rf"\b(in|anywhere in|throughout) ({_TIME})\s*[-–]\s*({_TIME})")
_SPAN_OVERALL = re.compile(rf"({_TIME})\s*[-–]\s*({_TIME}) overall")
_SPAN = re.compile(rf"({_TIME})\s*[-–]\s*({_TIME})")
_AT = re.compile(rf"\bat ({_TIME})")
_BARE = re.compile(rf"(?<![\d:])({_TIME})(?![\d:])")
_SECONDS_AT = re.compile(r"\b(from|at) (\d+(?:\.\d+)?) ?s\b")


def _seconds(text: str) -> float:
    minutes, _, rest = text.partition(":")
    return int(minutes) * 60 + float(rest)


def humane_times(text: str) -> str:
    """Evidence with readable times.

    "not found in 0:00.0-0:49.1" -> "not found in the answer" (the span is the answer);
    "0:00.0-0:49.1 overall" -> "over the whole answer"; "fastest stretch 0:10.0-0:40.0"
    -> "fastest stretch at 0:10"; "'um' 0:07.6" -> "'um' at 0:08".
    """
    if not text:
        return text
    out = _IN_SPAN.sub(lambda m: f"{m.group(1)} the answer", str(text))
    out = _SPAN_OVERALL.sub("over the whole answer", out)
    out = _SPAN.sub(lambda m: f"at {clock(_seconds(m.group(1)))}", out)
    out = _AT.sub(lambda m: f"at {clock(_seconds(m.group(1)))}", out)
    out = _BARE.sub(lambda m: f"at {clock(_seconds(m.group(1)))}", out)
    out = _SECONDS_AT.sub(lambda m: f"{m.group(1)} {clock(float(m.group(2)))}", out)
    out = re.sub(r"(at \d+:\d{2}) at (\d)", r"\1, \2", out)  # "stretch at 0:10 at 180 wpm"
    return out.replace("at at ", "at ")


_COMMAND = re.compile(r"`|(^|\s)--[a-z]|\binterviewer (interview|demo|drill|models|history|questions|rehearse|"
                      r"projects|devices|score|transcribe|follow-up|bench)\b|\bpip install\b|\bsudo\b|\bapt-get\b|"
                      r"\bbrew install\b|\.venv/", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|,\s+or\s+(?=[a-z])")


def without_commands(fix: str, fallback: str = "") -> str:
    """The fix, less every sentence (or ", or …" alternative) that tells the user to type
    something in a terminal. `fallback` when nothing is left."""
    if not fix or not _COMMAND.search(fix):
        return fix or fallback
    kept = [part.strip() for part in _SENTENCE.split(fix) if part and part.strip() and not _COMMAND.search(part)]
    text = " ".join(kept).strip().rstrip(",;:")
    if text and text[-1] not in ".!?":
        text += "."
    return text or fallback


_PLURAL_S = re.compile(r"\b(\d+(?:\.\d+)?)((?:\s+[A-Za-z-]+){0,3}?)\s+([A-Za-z-]+)\(s\)")


def tidy(text) -> str:
    """A core message made readable: humane times, and "2 term(s)" as "2 terms"."""
    if text is None:
        return ""
    out = humane_times(str(text))

    def fix(m: re.Match) -> str:
        n = float(m.group(1))
        return f"{m.group(1)}{m.group(2)} {plural(1 if n == 1 else 2, m.group(3), number=False)}"

    out = _PLURAL_S.sub(fix, out)
    return out.replace("(s)", "s")


STATE_TEXT = {  # the interviewer's state, as the interview and drill pages say it
    "speaking": "Interviewer speaking",
    "listening": "Listening",
    "thinking": "Thinking…",
    "paused": "Paused",
    "finished": "Finished",
    "starting": "Starting…",
    "idle": "Not started",
}

NO_MIC_FIX = "Plug in a microphone (the app notices it within a few seconds), or try the demo, or answer from recordings."
