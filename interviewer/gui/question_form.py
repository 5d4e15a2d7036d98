"""A custom question as the My questions page edits it (no Qt): from the form's rows to
the bank's data, ids made from the words, and the bank's validation errors turned into
plain words that name the field.
"""

from __future__ import annotations

import hashlib
import re

FIELD_NAMES = {"prompt": "The question", "category": "The category", "key_points": "Key points",
               "label": "what a strong answer says", "cues": "the words that show it", "topic": "how to name it aloud",
               "says": "the example sentence",
               "follow_ups": "Follow-up", "probes": "Deeper question", "text": "the question",
               "targets": "the key point it asks about", "after": "the key point it builds on",
               "difficulty": "The difficulty", "target_seconds": "The target time", "id": "The question's id"}
_ERROR = re.compile(r"field (?P<field>[\w.]+): (?P<msg>.+)$")


def slug(text: str, limit: int = 5) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:limit]) or "point"


def question_id(prompt: str) -> str:
    """A stable id for a custom question: "my-" and its first words, and a short hash so two
    questions that start alike stay apart."""
    digest = hashlib.sha1(" ".join(prompt.split()).encode("utf-8")).hexdigest()[:6]
    return f"my-{slug(prompt, 4)}-{digest}"


def split_cues(text: str) -> list[str]:
    return [c.strip() for c in re.split(r"[,;\n]", text or "") if c.strip()]


def split_sentences(text: str) -> list[str]:
    """An example cell as the bank's `says`: one entry per sentence (the matcher takes the
    best-matching one, so two short sentences beat one long one)."""
    return [t.strip() for t in re.split(r"(?<=[.!?])\s+|\n+", text or "") if t.strip()]


def build(prompt: str, category: str, difficulty: int, target_seconds: int, key_points: list[dict],
          follow_ups: list[dict], probes: list[dict], qid: str | None = None) -> dict:
    """The question's data from the form: key points [{label, cues (text), topic, says (text)}],
    follow-ups [{key point row, text}], probes [{key point row or None, text}]."""
    ids: list[str] = []
    kps = []
    for kp in key_points:
        base = slug(kp.get("label") or "", 4)
        kid, n = base, 2
        while kid in ids:
            kid, n = f"{base}-{n}", n + 1
        ids.append(kid)
        entry = {"id": kid, "label": (kp.get("label") or "").strip(), "cues": split_cues(kp.get("cues") or "")}
        if (kp.get("topic") or "").strip():
            entry["topic"] = kp["topic"].strip()
        says = split_sentences(kp.get("says") or "")
        if says:
            entry["says"] = says
        kps.append(entry)
    fus = [{"targets": ids[f["row"]] if 0 <= f["row"] < len(ids) else "", "text": f["text"].strip()}
           for f in follow_ups if f.get("text", "").strip()]
    prs = []
    for p in probes:
        if not p.get("text", "").strip():
            continue
        entry = {"text": p["text"].strip()}
        if p.get("row") is not None and 0 <= p["row"] < len(ids):
            entry["after"] = ids[p["row"]]
        prs.append(entry)
    return {"id": qid or question_id(prompt), "category": category, "prompt": " ".join(prompt.split()),
            "difficulty": int(difficulty), "target_seconds": int(target_seconds), "key_points": kps,
            "follow_ups": fus, "probes": prs}


def plain_errors(problem: str) -> dict[str, str]:
    """The bank's QuestionError text as {field path: a sentence a person can act on}, e.g.
    {"key_points.0.cues": "Key point 1: add the words that show it (at least one)."}."""
    out: dict[str, str] = {}
    for line in problem.splitlines():
        m = _ERROR.search(line)
        if not m:
            continue
        field, msg = m["field"], m["msg"]
        parts = field.split(".")
        if parts[0] in ("key_points", "follow_ups", "probes") and len(parts) >= 2 and parts[1].isdigit():
            what = {"key_points": "Key point", "follow_ups": "Follow-up", "probes": "Deeper question"}[parts[0]]
            where = f"{what} {int(parts[1]) + 1}"
            sub = FIELD_NAMES.get(parts[2], parts[2]) if len(parts) > 2 else ""
            out[field] = f"{where}{', ' + sub if sub else ''}: {_plain(msg)}"
        else:
            out[field] = f"{FIELD_NAMES.get(parts[0], parts[0].replace('_', ' ').capitalize())}: {_plain(msg)}"
    if not out and problem:
        out["question"] = _plain(problem.split(": ")[-1])
    return out


def _plain(msg: str) -> str:
    m = re.search(r"at least (\d+) (item|character)", msg)
    if m:
        n = int(m.group(1))
        return (f"write at least {n} characters." if m.group(2) == "character" else
                "add at least one." if n == 1 else f"add at least {n}.")
    if "ending with '?'" in msg:
        return "write it as a question ending with a question mark."
    if "sentence a candidate might say" in msg:
        return "write it as a whole sentence of three words or more, or leave it empty."
    if "empty cue" in msg:
        return "remove the empty cue (two commas in a row)."
    if "String should match pattern" in msg:
        return "use letters, digits and dashes only."
    return msg.replace("Value error, ", "").rstrip(".") + "."
