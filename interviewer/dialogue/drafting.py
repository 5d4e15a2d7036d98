"""Drafting what a custom question lacks, off the live path: a spoken topic for each key
point, a follow-up for each, and deeper probes.

A user writes a question with key points (a label and a few cues). The interviewer needs
more than that to sound like a person: a name for each point it can say aloud, and a
question to ask when the point is missed. The draft is made once, when the question is
added (the user sees it and may edit it) or first used from a file (then it is cached by
the file's content), never while a candidate waits.

Topics come from several candidates (phrases of the label and the cues, and, with an LLM,
several samples of a few-shot prompt), each checked: a short noun phrase, made only of
words the user wrote (a small model may not invent content), naming something beyond the
question's own subject. The most agreed-on candidate wins. Follow-ups and probes are the
authored templates over that topic, or, with a model of a billion parameters or more,
its own wordings when they pass validation.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..content.bank import FollowUp, KeyPoint, Probe, Question
from ..llm import prompts
from ..content.text import STOPWORDS, content_stems
from .wording import FREE_WORDING_MIN_PARAMS, plain_lines

log = logging.getLogger(__name__)

DRAFT_VERSION = 5  # part of the cache key: a better drafter re-drafts cached questions
TOPIC_SAMPLES = 5
MAX_TOPIC_WORDS = 6
MAX_ACTION_WORDS = 8  # an action named from the label ("fitting the scaler on the training data only")

_BAD_START = frozenset("i we you he she it they my our your his her its their is are was were be been being "
                       "do does did can could would should will and or but so of to in on at by for with from "
                       "as than that which who".split())
_BAD_END = frozenset("a an the and or but so of to in on at by for with from as than that which who is are was "
                     "were be very its their our my your it how what why when where whose".split())
# Verbs that open a label: imperatives ("Sort the boxes"), third-person and past forms
# ("Describes the model", "Backed up their position"). The point is the action, named "-ing".
_LEAD_VERBS = {
    **{v: v for v in (
        "add apply average avoid balance batch build cache calibrate cap check choose clean clip combine compare "
        "compute define filter fill fit freeze impute join mask merge pad rank retrieve shuffle stratify "
        "deploy describe detect drop encode estimate evaluate explain find fix give handle identify include "
        "keep label limit log measure monitor name normalize normalise pick plan prevent reduce remove "
        "randomize randomise report retrain run sample say scale separate set share sort split start state "
        "stop store summarize summarise take test track train tune update use validate vectorize vectorise "
        "watch weight work write").split()},
    "backed": "back", "built": "build", "chose": "choose", "described": "describe", "explained": "explain",
    "found": "find", "gave": "give", "kept": "keep", "led": "lead", "made": "make", "reached": "reach",
    "ran": "run", "said": "say", "stopped": "stop", "took": "take", "understood": "understand",
    "wrote": "write", "added": "add", "checked": "check", "fixed": "fix", "raised": "raise",
    "escalated": "escalate", "owned": "own", "proposed": "propose", "owns": "own", "raises": "raise",
}
# Labels that say what the answer should contain ("Says what broke", "Gives the outcome and what
# they learned"): the topic is what follows, asked about as "tell me more about ...".
_SPEECH_ACTS = frozenset("says describes explains gives names states mentions covers shares admits "
                         "says gave described explained named stated mentioned covered shared admitted".split())
MAX_ABOUT_WORDS = 12
_THIRD_PERSON = {f"{v}s": v for v in (
    "say give describe explain name state use build find check handle keep own raise share admit choose "
    "compare define propose quantify start take track validate weigh").split()} | {"quantifies": "quantify"}
_ING = {"run": "running", "stop": "stopping", "fit": "fitting", "cap": "capping", "clip": "clipping",
        "pad": "padding", "drop": "dropping", "set": "setting", "split": "splitting", "plan": "planning",
        "log": "logging", "get": "getting", "put": "putting", "begin": "beginning", "tie": "tying"}
# Where a label's action phrase stops: a clause boundary or a participle that starts a qualifier.
_LABEL_BREAK = re.compile(r",|;|:|\s-\s|\s—\s|\(|\b(so that|so|because|which|while|whereas|such as|for example|"
                          r"e\.g\.|like|rather than|instead of|and then|then|since|unless|when|where|whose|tied|"
                          r"based|computed|seen|chosen|used|given|with the|from the|even|to avoid|to prevent|to keep|to make|to get|"
                          r"in order to)\b", re.I)
_PRONOUN_SWAP = {"their": "your", "they": "you", "them": "you", "themselves": "yourself", "his": "your",
                 "her": "your", "was": "was", "were": "were"}


def _gerund(verb: str) -> str:
    if verb in _ING:
        return _ING[verb]
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    return verb + "ing"


def _clip(words: list[str], limit: int = MAX_TOPIC_WORDS) -> list[str]:
    if len(words) > limit:  # too long: end before a conjunction rather than mid-phrase
        cut = [i for i, w in enumerate(words[:limit]) if w.lower() in ("and", "or")]
        words = words[:cut[-1]] if cut else words[:limit]
    while words and words[-1].lower() in _BAD_END:
        words.pop()
    return words


def about_phrase(label: str) -> str | None:
    """What a "Says/Describes/Gives ..." label asks the answer to contain, in the second person
    ("what broke and how it was noticed", "the outcome and what you learned")."""
    words = label.split()
    if len(words) < 2 or words[0].lower() not in _SPEECH_ACTS:
        return None
    rest = re.split(r",\s*(?:for example|such as|e\.g\.)|;|\(|\s-\s", " ".join(words[1:]), maxsplit=1)[0].split()
    rest = [_PRONOUN_SWAP.get(w.lower(), w) for w in rest]
    if not rest or len(rest) > MAX_ABOUT_WORDS:
        return None
    while rest and rest[-1].lower() in _BAD_END - {"it"} and not _ends_wh_clause(rest):
        rest.pop()
    return " ".join(rest) if len(rest) >= 2 else None


_WH = frozenset("what how why where when who which".split())
_COPULAS = frozenset("is are was were".split())


def _ends_wh_clause(words: list[str]) -> bool:
    """The last word is a verb that closes a "what" clause ("... and what the disagreement was")
    and must stay: cut, the follow-up asked "about the model, the planned launch and what the
    disagreement?"."""
    return words[-1].lower() in _COPULAS and any(w.lower() in _WH for w in words[:-2])


def label_phrases(label: str) -> list[str]:
    """The label's action as a noun phrase ("sorting the boxes by confidence score") when
    it opens with a known verb; else nothing (its subject is usually the question's own)."""
    words = label.split()
    if not words or words[0].lower() in _SPEECH_ACTS:
        return []
    first = words[0].lower()
    verb = _LEAD_VERBS.get(first) or _THIRD_PERSON.get(first)
    if verb is None:
        return []
    rest = _LABEL_BREAK.split(" ".join(words[1:]), maxsplit=1)[0].split()
    for i, w in enumerate(rest[:-1]):  # "a postmortem and added checks": the first action only
        if w.lower() == "and" and (rest[i + 1].lower() in _LEAD_VERBS or rest[i + 1].lower().endswith("ed")):
            rest = rest[:i]
            break
    rest = [_PRONOUN_SWAP.get(w.lower(), w) for w in rest]
    if verb not in _TWO_OBJECTS:  # "give the model a clear name": a second object, not a clause
        rest = _before_relative_clause(rest)
    phrase = _clip([_gerund(verb), *rest], MAX_ACTION_WORDS)
    return [" ".join(phrase)] if len(phrase) >= 2 else []


_DETERMINERS = frozenset("the a an".split())
_TWO_OBJECTS = frozenset("give send show tell offer teach hand assign grant ask pay".split())


def _before_relative_clause(words: list[str]) -> list[str]:
    """The object without a clause that follows it unmarked: "the purchase and browsing data
    the shop has" is "the purchase and browsing data" (cut at the word limit instead, the
    follow-up asked about "using the purchase"). A determiner right after a noun opens it."""
    for i in range(2, len(words)):
        prev = words[i - 1].lower()
        if words[i].lower() in _DETERMINERS and prev not in STOPWORDS and prev not in _DETERMINERS \
                and not prev.endswith("ing"):
            return words[:i]
    return words


def _subject_stems(question: Question) -> set[str]:
    """What the question itself is about: its prompt's words and words shared by several
    key points' labels. A topic made only of these names nothing in particular."""
    counts: Counter[str] = Counter()
    for kp in question.key_points:
        counts.update(set(content_stems(kp.label)))
    return set(content_stems(question.prompt)) | {st for st, n in counts.items() if n >= 2}


_NEGATION = re.compile(r"\b(not|no|never|nothing|cannot|can't|doesn't|don't|isn't|won't|without|neither|nor)\b", re.I)


def _valid_topic(topic: str, kp: KeyPoint, question: Question, taken: set[str], *, own_words: bool = True) -> bool:
    """A short noun phrase naming something beyond the question's subject; with
    `own_words`, made only of words the user wrote. A label that says what something does
    NOT do ("It does nothing for vanishing gradients") names a limit, not a topic: asking
    about its noun would send the candidate the wrong way."""
    if _NEGATION.search(kp.label):
        return False
    words = topic.split()
    if not (2 <= len(words) <= (MAX_TOPIC_WORDS if own_words else MAX_ACTION_WORDS)) or len(topic) > 60 \
            or topic.lower() in taken:
        return False
    if re.search(r"[.?!;:\"]", topic) or words[0].lower() in _BAD_START or words[-1].lower() in _BAD_END:
        return False
    stems = set(content_stems(topic))
    allowed = set(content_stems(" ".join([kp.label, *kp.cues])))
    if not stems or (own_words and not stems <= allowed | {"you"}):
        return False  # only the user's own words: a small model may not invent content
    return bool(stems - _subject_stems(question))  # names something beyond the question itself


def _lower_first(text: str) -> str:
    first = text.split()[0]
    return text if first.isupper() and len(first) > 1 else text[0].lower() + text[1:]


def draft_topic(kp: KeyPoint, question: Question, llm=None, taken: set[str] = frozenset()) -> str | None:
    """The key point's spoken name, or None when no candidate is trustworthy: the label's
    own action ("sorting the boxes by confidence score"), or a name most of the LLM's
    samples agree on, made only of the user's words."""
    for phrase in label_phrases(kp.label):  # the label's own words, its verb turned to "-ing"
        if _valid_topic(phrase, kp, question, taken, own_words=False):
            return phrase
    if llm is None:
        return None
    template = prompts.few_shot("draft_topic.txt")
    prompt = template.render(label=kp.label)
    votes: Counter[str] = Counter()
    for seed in range(TOPIC_SAMPLES):
        try:
            out = llm.complete(prompt, max_tokens=12, temperature=0.0 if seed == 0 else 0.6, stop=["\n"],
                               seed=seed).result(timeout=30)
        except Exception as exc:  # drafting without the model still works, with plainer follow-ups
            log.warning("drafting a topic failed: %s", exc)
            return None
        text = out.text.strip().strip(".")
        if text:
            votes[_lower_first(text)] += 1
    for topic, n in votes.most_common():
        if n * 2 > TOPIC_SAMPLES and _valid_topic(topic, kp, question, taken):
            return topic
    return None


def draft(question: Question, llm=None, *, progress: Callable[[str], None] | None = None) -> Question:
    """A copy of `question` with what it lacks drafted: a topic on the key points that can be
    named with confidence, a follow-up for every key point, and probes. What the user wrote
    is kept as it is. A point with no trustworthy name gets the format's plain follow-up,
    which is general but never wrong."""
    say = progress or (lambda msg: None)
    free = llm is not None and llm.parameters >= FREE_WORDING_MIN_PARAMS
    key_points, taken = [], {kp.topic.lower() for kp in question.key_points if kp.topic}
    for n, kp in enumerate(question.key_points, start=1):
        if not kp.topic:
            say(f"Naming key point {n} of {len(question.key_points)}…")
            topic = draft_topic(kp, question, llm, taken)
            if topic:
                taken.add(topic.lower())
                kp = kp.model_copy(update={"topic": topic})
        key_points.append(kp)
    named, actions = prompts.lines("draft_missed.txt"), prompts.lines("draft_missed_action.txt")
    story_actions = prompts.lines("draft_missed_story.txt")
    plain = plain_lines(question.category, "missed")
    abouts = prompts.lines("draft_missed_about.txt")
    story = question.category in ("behavioral", "project")
    follow_ups = list(question.follow_ups)
    for n, kp in enumerate(key_points):
        if not any(fu.targets == kp.id for fu in follow_ups):
            about = about_phrase(kp.label)
            if about:
                text = abouts[n % len(abouts)].format(topic=about)
            elif not kp.topic:
                text = plain[n % len(plain)]
            else:
                action = kp.topic in label_phrases(kp.label)  # an action named from the label, not a noun
                frames = (story_actions if story else actions) if action else named
                text = frames[n % len(frames)].format(topic=kp.topic)
            follow_ups.append(FollowUp(targets=kp.id, text=text))
    probes = list(question.probes)
    if not probes:
        deeper, plain_probes = prompts.lines("draft_probe.txt"), plain_lines(question.category, "probe")
        for n, kp in enumerate(key_points):
            named_noun = kp.topic and kp.topic not in label_phrases(kp.label)
            text = deeper[n % len(deeper)].format(topic=kp.topic) if named_noun else plain_probes[n % len(plain_probes)]
            probes.append(Probe(after=kp.id, text=text))
    if free:
        say("Wording follow-ups with the language model…")
        follow_ups, probes = _free_drafts(question, key_points, follow_ups, probes, llm)
    return question.model_copy(update={"key_points": key_points, "follow_ups": follow_ups, "probes": probes})


def _free_drafts(question, key_points, follow_ups, probes, llm):
    """A large model's own follow-ups for points that only have a template, when they validate."""
    from ..content.text import jaccard
    from .validate import clean, validate

    template = prompts.few_shot("follow_up_missed.txt")
    out = []
    for fu in follow_ups:
        kp = next(k for k in key_points if k.id == fu.targets)
        text = fu.text
        if kp.topic and fu.text.startswith(tuple(t.split("{")[0] for t in prompts.lines("draft_missed.txt"))):
            for seed in range(4):
                sample = clean(llm.complete(template.render(question=question.prompt, said="(nothing yet)",
                                                            topic=kp.topic), max_tokens=40, temperature=0.7,
                                            stop=["\n"], seed=seed).result(timeout=60).text)
                if validate(sample, question=question, topic_terms=[kp.topic, *kp.cues]) is None \
                        and jaccard(sample, question.prompt) < 0.6:
                    text = sample
                    break
        out.append(FollowUp(targets=fu.targets, text=text))
    return out, probes


def needs_draft(question: Question) -> bool:
    """A point with no follow-up, or no probe at all: the interviewer would have nothing of
    its own to say (a topic is drafted only where one can be named with confidence)."""
    return any(not question.follow_ups_for(kp.id) for kp in question.key_points) or not question.probes


def content_key(question: Question) -> str:
    """A hash of what the user wrote (and the drafter's version): the draft cache's key."""
    data = json.dumps(question.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(f"{DRAFT_VERSION}\n{data}".encode()).hexdigest()


def drafted(question: Question, llm=None, *, cache_dir: Path | None = None) -> Question:
    """The question ready for an interview: as it is when nothing is missing, else its
    draft, made once and cached by content (a question file given on the command line)."""
    if not needs_draft(question):
        return question
    from ..content.bank import parse_question
    from ..paths import cache_dir as default_cache

    folder = cache_dir or default_cache() / "drafts"
    path = folder / f"{content_key(question)}.json"
    if path.is_file():
        try:
            return parse_question(json.loads(path.read_text(encoding="utf-8")), str(path))
        except Exception:  # a damaged cache entry is drafted again
            log.warning("ignoring a damaged draft cache entry %s", path)
    result = draft(question, llm)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(result.model_dump(mode="json", exclude_none=True), indent=1), encoding="utf-8")
    tmp.replace(path)
    return result


def save_custom(question: Question, folder: Path | None = None) -> Path:
    """Write an accepted question to the user's questions folder (loaded with the bank)."""
    import yaml

    from ..paths import user_questions_dir

    folder = folder or user_questions_dir()
    safe = re.sub(r"[^a-z0-9_.-]+", "-", question.id.lower()).strip("-.") or "question"
    path = folder / f"{safe}.yaml"
    data = question.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")
    tmp.replace(path)
    return path
