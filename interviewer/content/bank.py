"""The question bank: loading, validation and selection.

Each file in `questions/` is a YAML list of questions of one category. Every question
is validated by pydantic on load; an error names the file, the question id and the
field, so a typo in a custom question is a one-line fix rather than a hunt.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import QuestionError

Category = Literal["fundamentals", "ml_coding", "case_study", "system_design", "behavioral", "project"]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

CATEGORY_TITLES = {
    "fundamentals": "Fundamentals screen",
    "ml_coding": "ML coding, talked through",
    "case_study": "Case study",
    "system_design": "ML system design",
    "behavioral": "Behavioral (STAR)",
    "project": "Your own project",
}

_ID = r"^[a-z0-9][a-z0-9_.-]*$"


def _clean_phrases(values: list[str]) -> list[str]:
    cleaned = [" ".join(v.lower().split()) for v in values]
    if any(not v for v in cleaned):
        raise ValueError("empty cue")
    return list(dict.fromkeys(cleaned))


def _matchable_cues(values: list[str]) -> list[str]:
    """Key-point cues are matched against an English transcript, word by word, by a
    tokenizer that knows a-z and digits only. A cue with neither ('深度学习', an emoji,
    '++') could never match, and would reach the matcher as a phrase of no words, so it
    is refused here, with the cue named, rather than failing mid-interview."""
    from ..analysis.text import split_word  # late: analysis imports this module

    cleaned = _clean_phrases(values)
    for cue in cleaned:
        if not split_word(cue):
            raise ValueError(
                f"cue {cue!r} has no letter a-z or digit, so it can never be heard in the (English) transcript; "
                "write it the way an English speaker says it (e.g. 'deep learning', 'c plus plus') or remove it")
    return cleaned


def _spoken_question(text: str) -> str:
    text = " ".join(text.split())
    if not text.endswith("?"):
        raise ValueError("a follow-up must be a question ending with '?'")
    return text


class KeyPoint(BaseModel):
    """Something a strong answer contains, and the words that show it is there."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID, description="Stable id, unique within the question.")
    label: str = Field(min_length=3, description="What the point is, in a few words.")
    cues: list[str] = Field(min_length=1, description="Words and phrases a correct answer would use.")
    topic: str | None = Field(
        default=None, min_length=2, max_length=60,
        description="How an interviewer names the point aloud: a short noun phrase that reads well in "
                    "'You haven't talked about <topic> yet' (e.g. 'the irreducible error', 'choosing k').")
    says: list[str] = Field(
        default_factory=list,
        description="Sentences a strong candidate might say aloud that make the point, in other words than "
                    "the cues: what the meaning matcher compares an answer's sentences with, besides the label.")

    _cues_clean = field_validator("cues")(lambda cls, v: _matchable_cues(v))

    @field_validator("says")
    @classmethod
    def _says_are_sentences(cls, v: list[str]) -> list[str]:
        v = [" ".join(s.split()) for s in v]
        if any(len(s.split()) < 3 for s in v):
            raise ValueError("each `says` entry is a sentence a candidate might say (three words or more)")
        return v

    @field_validator("topic")
    @classmethod
    def _topic_is_a_phrase(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = " ".join(v.split())
        if v.endswith((".", "?", "!")):
            raise ValueError("a topic is a noun phrase, not a sentence: drop the final punctuation")
        return v


class FollowUp(BaseModel):
    """An authored follow-up: the fallback when the LLM's wording fails validation."""

    model_config = ConfigDict(extra="forbid")

    targets: str = Field(description="Id of the key point this follow-up probes.")
    text: str = Field(min_length=8)

    _is_question = field_validator("text")(lambda cls, v: _spoken_question(v))


class Probe(BaseModel):
    """A deeper question for a strong answer: asked when the candidate covered `after`
    (or, with no `after`, when they covered the question well)."""

    model_config = ConfigDict(extra="forbid")

    after: str | None = Field(default=None, description="Id of the key point the probe builds on.")
    text: str = Field(min_length=8)
    unless: list[str] = Field(default_factory=list,
                              description="Words that, said in the answer, mean the probe is already answered.")

    _is_question = field_validator("text")(lambda cls, v: _spoken_question(v))
    _unless_clean = field_validator("unless")(lambda cls, v: _clean_phrases(v))


class Clarification(BaseModel):
    """What the interviewer says when the candidate asks a clarifying question."""

    model_config = ConfigDict(extra="forbid")

    cues: list[str] = Field(min_length=1, description="Words in the candidate's question that this answers.")
    answer: str = Field(min_length=3)

    _cues_clean = field_validator("cues")(lambda cls, v: _clean_phrases(v))


# Formats whose answers are stories the candidate tells about their own work: matched by
# meaning more loosely, never called off-topic, probed before asked for missed points, and
# counted as their own example.
STORY_CATEGORIES = frozenset({"behavioral", "project"})


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID)
    category: Category
    prompt: str = Field(min_length=10)
    key_points: list[KeyPoint] = Field(min_length=1)
    difficulty: int = Field(default=2, ge=1, le=3)
    target_seconds: int = Field(default=120, ge=15, le=1800)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    probes: list[Probe] = Field(default_factory=list)
    clarifications: list[Clarification] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "Question":
        ids = [kp.id for kp in self.key_points]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"key point ids repeat: {sorted(dupes)}")
        for n, fu in enumerate(self.follow_ups):
            if fu.targets not in ids:
                raise ValueError(f"follow_ups.{n}.targets '{fu.targets}' is not a key point id (have {ids})")
        for n, probe in enumerate(self.probes):
            if probe.after is not None and probe.after not in ids:
                raise ValueError(f"probes.{n}.after '{probe.after}' is not a key point id (have {ids})")
        return self

    def key_point(self, kp_id: str) -> KeyPoint:
        for kp in self.key_points:
            if kp.id == kp_id:
                return kp
        raise KeyError(kp_id)

    def follow_ups_for(self, kp_id: str) -> list[FollowUp]:
        return [fu for fu in self.follow_ups if fu.targets == kp_id]

    def probes_after(self, kp_id: str | None) -> list[Probe]:
        return [p for p in self.probes if p.after == kp_id]

    def all_cues(self) -> list[str]:
        return [c for kp in self.key_points for c in kp.cues]


def _format_error(source: str, qid: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(x) for x in err["loc"]) or "(question)"
        parts.append(f"{source}: question '{qid}': field {field}: {err['msg']}")
    return "\n".join(parts)


def parse_question(data: object, source: str) -> Question:
    if not isinstance(data, dict):
        raise QuestionError(
            f"{source}: expected a mapping with id, category, prompt and key_points, got {type(data).__name__}",
            "Write the question as a YAML mapping (see questions/ for examples).",
        )
    qid = str(data.get("id", "<no id>"))
    try:
        return Question.model_validate(data)
    except ValidationError as exc:
        raise QuestionError(_format_error(source, qid, exc), "Correct the field named above.") from None


def _read_yaml(path: Path) -> object:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QuestionError(f"{path}: cannot read the file ({exc.strerror})", "Check the path.") from None
    except UnicodeDecodeError as exc:  # Latin-1, UTF-16 or a binary file
        raise QuestionError(f"{path}: is not UTF-8 text (byte {exc.start} is 0x{exc.object[exc.start]:02x}); "
                            "a question file is YAML or JSON saved as UTF-8",
                            "Save the file as UTF-8 (most editors: 'Save with encoding'), or check that it is "
                            "the right file.") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        # libyaml's loader when PyYAML has it: the bank loads in a fifth of the time
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise QuestionError(f"{path}: not valid YAML/JSON: {exc}", "Fix the syntax at the line named.") from None
    except RecursionError:  # the parsers recurse once per level: [[[[... ten thousand deep
        raise QuestionError(f"{path}: nests lists or mappings thousands of levels deep; a question is a few "
                            "levels deep", "Check that it is the right file, or rewrite it from an example in "
                            "questions/.") from None


def load_question_file(path: str | Path) -> Question:
    """One question, YAML or JSON: what `--question-file` takes."""
    path = Path(path)
    if not path.exists():
        raise QuestionError(f"Question file not found: {path}", "Pass the path of a YAML or JSON question file.")
    data = _read_yaml(path)
    if isinstance(data, list):
        if len(data) != 1:
            raise QuestionError(
                f"{path}: holds {len(data)} questions; --question-file takes exactly one",
                "Put the question you want in a file of its own.",
            )
        data = data[0]
    return parse_question(data, str(path))


def load_file(path: Path) -> list[Question]:
    data = _read_yaml(path)
    if data is None:
        return []
    if isinstance(data, dict) and "questions" in data:
        data = data["questions"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise QuestionError(f"{path}: expected a list of questions", "Start each question with '- id: ...'.")
    return [parse_question(item, str(path)) for item in data]


class Bank:
    """All questions, by id."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self.questions: dict[str, Question] = {}
        for q in questions:
            if q.id in self.questions:
                raise QuestionError(f"Question id '{q.id}' is used twice", "Give every question a unique id.")
            self.questions[q.id] = q

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self):
        return iter(self.questions.values())

    def get(self, qid: str) -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            raise QuestionError(f"No question with id '{qid}'", "Run `interviewer questions` to list ids.") from None

    def by_category(self, category: str) -> list[Question]:
        return [q for q in self if q.category == category]

    def stats(self) -> dict:
        by_cat = {c: 0 for c in CATEGORIES}
        by_diff = {str(d): 0 for d in (1, 2, 3)}
        by_cat_diff = {c: {str(d): 0 for d in (1, 2, 3)} for c in CATEGORIES}
        for q in self:
            by_cat[q.category] += 1
            by_diff[str(q.difficulty)] += 1
            by_cat_diff[q.category][str(q.difficulty)] += 1
        return {
            "total": len(self),
            "by_category": by_cat,
            "by_difficulty": by_diff,
            "by_category_and_difficulty": by_cat_diff,
            "key_points": sum(len(q.key_points) for q in self),
            "follow_ups": sum(len(q.follow_ups) for q in self),
            "probes": sum(len(q.probes) for q in self),
        }

    def select(
        self,
        n: int,
        *,
        seed: int | None = None,
        categories: Sequence[str] | None = None,
        difficulties: Sequence[int] | None = None,
        tags: Sequence[str] | None = None,
        exclude: Iterable[str] = (),
        priority: Callable[[Question], float] | None = None,
    ) -> list[Question]:
        """Pick up to `n` distinct questions.

        Shuffled from `seed`; `priority` (higher first) lets history put unseen and
        poorly answered questions ahead while the shuffle breaks ties.
        """
        excluded = set(exclude)
        pool = [
            q
            for q in self
            if q.id not in excluded
            and (not categories or q.category in categories)
            and (not difficulties or q.difficulty in difficulties)
            and (not tags or set(tags) & set(q.tags))
        ]
        rng = random.Random(seed)
        rng.shuffle(pool)
        if priority is not None:
            pool.sort(key=priority, reverse=True)  # stable: the shuffle orders equal priorities
        return pool[: max(0, n)]


def load_bank(extra_dirs: Sequence[Path] = (), include_user: bool = True) -> Bank:
    from ..paths import resource_dir, user_questions_dir

    dirs = [resource_dir("questions"), *extra_dirs]
    if include_user:
        dirs.append(user_questions_dir())
    questions: list[Question] = []
    for d in dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.iterdir()):
            if path.suffix.lower() in (".yaml", ".yml", ".json"):
                questions.extend(load_file(path))
    return Bank(questions)


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def lint_question(q: Question) -> list[str]:
    """Quality problems that validation does not reject but the bank's tests do."""
    problems: list[str] = []
    if len(q.follow_ups) < 2:
        problems.append(f"{q.id}: needs at least two follow_ups (has {len(q.follow_ups)})")
    for kp in q.key_points:
        if not kp.topic:
            problems.append(f"{q.id}: key point {kp.id} has no topic (how the interviewer names it aloud)")
        if not q.follow_ups_for(kp.id):
            problems.append(f"{q.id}: key point {kp.id} has no authored follow-up")
    if len(q.probes) < 3:
        problems.append(f"{q.id}: needs at least three probes for strong answers (has {len(q.probes)})")
    if len(q.key_points) >= 2:
        shared = set(q.key_points[0].cues)
        for kp in q.key_points[1:]:
            shared &= set(kp.cues)
        if shared:
            problems.append(f"{q.id}: cues {sorted(shared)} are shared by every key point")
    seen: dict[str, str] = {}
    for kp in q.key_points:
        for cue in kp.cues:
            if cue in seen and seen[cue] != kp.id:
                problems.append(f"{q.id}: cue '{cue}' is in both {seen[cue]} and {kp.id}")
            seen[cue] = kp.id
    prompt_words = set(words(q.prompt))
    for fu in q.follow_ups:
        if set(words(fu.text)) == prompt_words:
            problems.append(f"{q.id}: follow-up repeats the prompt")
    return problems
