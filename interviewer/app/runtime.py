"""The loaded models and stores that every session shares. No Qt.

Loading takes a second or two (speech model, LLM, voice); the GUI does it on a worker
thread at start-up with a visible status, the CLI does it before the first question.
The bank and the history open on first use, so a session can be planned (and a bad
flag refused) before any model loads.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

from ..audio.sources import AudioSource
from ..engine import Event, InterviewSession, SessionConfig

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, settings=None, *, stt_override: str | None = None, llm_override: str | None = None,
                 use_store: bool = True, user_questions: bool = True) -> None:
        from ..config import Settings

        self.settings = settings or Settings()
        self.stt_override = stt_override
        self.llm_override = llm_override
        self.use_store = use_store
        self.user_questions = user_questions
        self.transcriber = None
        self.llm = None
        self.speaker = None
        self._bank = None
        self._store = None
        self.load_seconds: dict[str, float] = {}

    @property
    def bank(self):
        if self._bank is None:
            from ..content.bank import load_bank

            self._bank = load_bank(include_user=self.user_questions)
        return self._bank

    @property
    def store(self):
        if self._store is None and self.use_store:
            from ..history import Store

            self._store = Store.open(settings=self.settings)
        return self._store

    def load(self, progress: Callable[[str], None] = lambda msg: None) -> "Runtime":
        from ..llm.worker import LlmSettings, LlmWorker
        from ..models.registry import active_paths
        from ..speech.stt import SttSettings, Transcriber
        from ..speech.tts import Speaker, Voice

        t0 = time.perf_counter()
        progress("Checking models…")
        stt_path, llm_path = active_paths(self.stt_override, self.llm_override, self.settings)
        progress("Loading the interviewer's language model…")
        self.llm = LlmWorker(llm_path, LlmSettings.from_settings(self.settings)).start()
        progress("Loading the question bank…")
        _ = self.bank
        from ..dialogue.off_topic import shared_index

        shared_index()  # the bank's question vectors, built (or read from the cache) in the background
        progress("Loading speech recognition…")
        t1 = time.perf_counter()
        self.transcriber = Transcriber(stt_path, SttSettings(cpu_threads=self.settings.stt_threads))
        self.transcriber.warmup()
        self.load_seconds["stt"] = time.perf_counter() - t1
        progress("Preparing the interviewer's voice…")
        self.speaker = Speaker(Voice(rate=self.settings.speech_rate, voice_id=self.settings.voice))
        self.llm.wait_loaded()
        self.load_seconds["llm"] = self.llm.load_seconds or 0.0
        _ = self.store
        self.load_seconds["total"] = time.perf_counter() - t0
        progress("Ready")
        return self

    def pick_questions(self, config: SessionConfig) -> list:
        if config.question_ids:
            return [self.bank.get(q) for q in config.question_ids]
        from ..content.personas import get_persona

        weights = []
        if self.store is not None:
            from .practice import priority as practice_priority

            weights.append(practice_priority(self.store))
        persona = get_persona(config.persona)
        if persona is not None:
            weights.append(persona.question_weight)
        priority = (lambda q: sum(w(q) for w in weights)) if weights else None
        categories = None if config.format == "mixed" else [config.format]
        questions = self.bank.select(config.n_questions, seed=config.seed, categories=categories,
                                     difficulties=config.difficulties, priority=priority)
        if not questions:
            from ..errors import UserError

            raise UserError(f"No questions match format '{config.format}' and difficulty {config.difficulties}",
                            "Choose another difficulty or format.")
        return questions

    def new_session(self, config: SessionConfig, *, source: AudioSource, on_event: Callable[[Event], None],
                    player=None, audio_dir: Path | None = None, questions: list | None = None,
                    tags: dict | None = None) -> InterviewSession:
        """`tags` label the session in the history (e.g. {"demo": True}: answered by recordings)."""
        from ..audio.playback import default_player
        from ..dialogue.off_topic import shared_index
        from .history import TaggedStore

        from ..speech.final_pass import for_settings

        store = TaggedStore(self.store, tags) if tags and self.store is not None else self.store
        return InterviewSession(
            config, questions=questions or self.pick_questions(config), transcriber=self.transcriber, speaker=self.speaker,
            player=player or default_player(self.settings.output_device), source=source, llm=self.llm,
            on_event=on_event, audio_dir=audio_dir, store=store, question_index=shared_index,
            final_passes=for_settings(self.settings, audience=config.audience))

    def drill_question(self, *, question_id: str | None = None, concept: str | None = None, target_s: int = 60,
                       audience: str = "interviewer"):
        from ..content.drills import concept_question

        if concept:
            return concept_question(concept, target_s, audience)
        return self.bank.get(question_id).model_copy(update={"target_seconds": target_s})

    def rehearsal_questions(self, project, deep_dives: int = 3, seed: int | None = None, pitch_s: int = 120) -> list:
        """The timed pitch, then deep-dive questions, all grounded in the project's notes."""
        from ..content.projects import ground_question

        pitch_id = "proj-pitch-three-minutes" if pitch_s >= 180 else "proj-pitch-two-minutes"
        pitch = self.bank.get(pitch_id) if pitch_id in self.bank.questions else self.bank.by_category("project")[0]
        rest = [q for q in self.bank.select(50, seed=seed, categories=["project"]) if "pitch" not in q.id]
        return [ground_question(q, project) for q in [pitch, *rest[:deep_dives]]]

    def close(self) -> None:
        if self.speaker:
            self.speaker.close()
        if self.llm:
            self.llm.close()
        if self._store is not None:
            self._store.close()


class OfflineRuntime(Runtime):
    """The bank and a given history store, no models: every page but a live session
    (screenshots, GUI tests)."""

    def __init__(self, store, settings=None, *, user_questions: bool = True) -> None:
        super().__init__(settings, user_questions=user_questions)
        self._store = store
        self.load_seconds = {"total": 0.01}

    def load(self, progress: Callable[[str], None] = lambda msg: None) -> "OfflineRuntime":
        progress("Loading the question bank…")
        _ = self.bank
        from ..dialogue.off_topic import shared_index

        shared_index()  # the bank's question vectors, built (or read from the cache) in the background
        return self
