"""The scripted timed drill and project rehearsal of the demo (and of screenshots).

Like the demo interview (demo.py), the answers are synthesized with espeak-ng at run time
into the cache folder (once; the file name carries a hash of the text, so an edited
script is spoken again) and replayed by a FileSource in place of the microphone.

- The drill explains gradient descent against a 30 s target. The example runs long and
  the answer never names a limitation, so the report has something to cut and to add.
- The rehearsal pitches the demo project, "Delivery delay predictor", leaving out its
  impact and lessons so the interviewer follows up on them; a few short answers follow
  for the deep-dive question and its follow-ups.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import UserError

DRILL_OPTIONS = {"concept": "gradient descent", "question_id": None, "target_s": 30, "audience": "interviewer"}
DRILL_ANSWER = (
    "Gradient descent is a way to minimise a loss function by taking small steps downhill. For example, imagine "
    "you are training a linear regression model. You start with random weights, you compute the gradient of the "
    "loss with respect to every weight, and you move each weight a little bit against its gradient. Then you do "
    "it again on the next batch of data, and again, thousands of times, until the loss stops going down and the "
    "weights settle. It matters because almost every neural network is trained this way. In short, walk downhill "
    "in small steps."
)

DEMO_PROJECT = {
    "title": "Delivery delay predictor",
    "problem": "Dispatchers could not tell which parcels would arrive late, so customers were not warned in time.",
    "data": "Two years of GPS pings from 300 delivery vans, joined with weather reports and the depot schedules.",
    "approach": "A gradient boosted model on route, weather and depot features, retrained every week.",
    "results": "Recall of late deliveries rose from 41 to 68 percent at the same precision as the old rule of thumb.",
    "impact": "Customer complaints about late parcels fell by a fifth; dispatchers now reroute vans before noon.",
    "lessons": "Talk to the dispatchers first: the most useful feature came from them, not from the data.",
    "stack": ["python", "lightgbm", "airflow", "postgres"],
    "links": ["https://github.com/example/delivery-delays"],
}
REHEARSAL_OPTIONS = {"pitch_s": 120, "deep_dives": 1, "persona": "manager"}
REHEARSAL_ANSWERS = [
    # the pitch: problem, data, approach and results; no impact, no lessons
    "The problem was that dispatchers could not tell which parcels would arrive late, so customers were not "
    "warned in time. The data was two years of GPS pings from our three hundred delivery vans, joined with "
    "weather reports and the depot schedules. My approach was a gradient boosted model on route, weather and "
    "depot features, which I trained and retrained every week. The results: recall of late deliveries rose "
    "from forty one to sixty eight percent, compared to the old rule of thumb at the same precision.",
    # the follow-ups on the pitch
    "It is deployed in production and used by the dispatchers every morning. Customer complaints about late "
    "parcels dropped by a fifth, and they now reroute vans before noon.",
    "The lesson I learned is to talk to the dispatchers first. Looking back, the most useful feature came "
    "from them, not from the data.",
    # the deep-dive question and its follow-ups
    "We compared it with the old rule of thumb on the last three months of deliveries, and checked the "
    "recall for each depot separately, because one depot had far more rain.",
    "Next time I would set up the weekly evaluation before the first model, so every change is measured the same way.",
    "The main trade-off was recall against false alarms: too many warnings and the dispatchers stop trusting them.",
    "It fails on days with road closures that are not in the data yet, so those routes fall back to the old rule.",
    "I measured it against the previous quarter, depot by depot, and the gain held in every depot.",
]  # enough for the strictest persona: a pitch and a deep dive, each with three follow-ups


def _speak(text: str, name: str) -> Path:
    from ..paths import cache_dir
    from .demo_answers import synthesize

    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    path = cache_dir() / f"demo-{name}-{digest}.wav"
    if path.exists():
        return path
    if synthesize(text, path) is None:
        raise UserError("The demo could not make its recorded answers (espeak-ng is missing or failed).",
                        "Install espeak-ng (the set-up command does), or use a microphone.")
    return path


def drill_answers() -> list[Path]:
    """The WAV the demo drill answers with (synthesized once, then reused)."""
    return [_speak(DRILL_ANSWER, "drill")]


def rehearsal_answers() -> list[Path]:
    """The WAVs the demo rehearsal answers with, in order."""
    return [_speak(text, f"rehearsal-{n}") for n, text in enumerate(REHEARSAL_ANSWERS)]


def ensure_demo_project(store) -> str:
    """The demo project's id, saving it first if the store does not have it yet."""
    for row in store.projects():
        if row.get("title") == DEMO_PROJECT["title"]:
            return row["id"]
    return store.save_project(dict(DEMO_PROJECT))
