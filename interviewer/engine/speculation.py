"""The reply made ready while the candidate is still talking.

Each time more of the answer has been transcribed, `offer()` works out the plan (policy,
no LLM, ~15 ms). A new plan starts a new preparation in the background: the wording
(policy.word, the LLM included where it is used) and the voice (TTS); the same plan keeps
the one under way. At the end of the turn `take()` compares the final transcript's plan
with the prepared one: the same plan plays at once, another is decided then.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import numpy as np

from ..dialogue.lead_in import heard_words
from ..dialogue.wording import Decision
from ..transcript import Transcript
from .policy import Plan, PlanKind, Policy, Thread
from .ports import Llm

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    plan: Plan
    transcript: Transcript
    decision: Decision
    audio: np.ndarray | None
    timings: dict

    def holds_for(self, plan: Plan | None, text: str) -> bool:
        """Still the reply for the finished answer: the same plan, and what its lead-in quotes
        is in the final words. It was made from a partial transcript, whose last word may be
        cut ("...compares the feature distribution int." for "in training")."""
        from ..dialogue.validate import misattributes

        lead_in = self.decision.lead_in
        return self.plan == plan and not (lead_in and self.transcript.text != text and misattributes(lead_in, text))


class Speculation:
    def __init__(self, policy: Policy, thread: Thread, synthesize, pool: Executor, *, llm: Llm | None = None,
                 seed: int = 0) -> None:
        self.policy = policy
        self.thread = thread.snapshot()  # the dialogue as it stood when the turn began
        self.synthesize = synthesize
        self.pool = pool
        self.llm = llm
        self.seed = seed
        self.plan: Plan | None = None
        self.plans = 0  # preparations started: how often the answer changed what to ask
        self.due_at: float | None = None  # when patience runs out, while the candidate is silent
        self._future: Future | None = None
        self._cpu_free = threading.Event()  # cleared while the final transcription runs
        self._cpu_free.set()
        self._hurry = threading.Event()
        self._cancelled = threading.Event()
        self._lock = threading.Lock()

    def plan_for(self, text: str) -> Plan | None:
        return self.policy.plan(self.thread, text)

    def offer(self, transcript: Transcript) -> None:
        plan = self.plan_for(transcript.text)
        with self._lock:
            if plan is None or plan == self.plan:
                return
            self._hurry.set()
            self._cancelled.set()
            self.plan, self._hurry, self._cancelled = plan, threading.Event(), threading.Event()
            self.plans += 1
            log.info("speculative plan %s from %.1f s of answer", plan, transcript.duration_s)
            self._future = self.pool.submit(self._prepare, transcript, plan, self._hurry, self._cancelled)

    def take(self, transcript: Transcript, deadline: float) -> Prepared | None:
        """The prepared reply if the final transcript has the same plan, waited for at most
        until `deadline`, then asked to hurry (finish with what it has)."""
        plan = self.plan_for(transcript.text)
        with self._lock:
            future, hurry = self._future, self._hurry
            matches = future is not None and plan is not None and plan == self.plan
        if not matches:
            if future is not None:
                log.info("prepared plan %s does not fit the final answer (%s): deciding now", self.plan, plan)
            self.discard()
            return None
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            hurry.set()
        except Exception:
            log.exception("speculative preparation failed")
            return None
        try:
            return future.result(timeout=30)
        except Exception:
            log.exception("speculative preparation failed")
            return None

    def _before_sample(self, hurry: threading.Event) -> None:
        """Before each LLM sample: wait while the final transcription runs, and stop sampling
        (best so far, or the authored line) when the next sample would outlast patience."""
        self._cpu_free.wait(timeout=3.0)
        due, estimate = self.due_at, self.policy.brain.sample_s
        if due is not None and estimate is not None and time.monotonic() + estimate > due:
            hurry.set()

    def hold(self, held: bool) -> None:
        """Hold sampling (between samples, and the LLM between tokens) while the final
        transcription runs: it is what the reply waits for."""
        if held:
            self._cpu_free.clear()
        else:
            self._cpu_free.set()
        if self.llm is not None:
            self.llm.hold(held)

    def discard(self) -> None:
        self._cpu_free.set()
        with self._lock:
            self._hurry.set()
            self._cancelled.set()

    def _prepare(self, transcript: Transcript, plan: Plan, hurry: threading.Event,
                 cancelled: threading.Event) -> Prepared | None:
        """In the background: the reply for `plan`, worded and synthesized. `hurry` stops LLM
        sampling (the reply is due); `cancelled` throws the work away."""
        if cancelled.is_set():
            return None
        t0 = time.monotonic()
        timings: dict = {"offered_at_s": round(transcript.duration_s, 2)}
        decision = self.policy.word(plan, self.thread, transcript.text, seed=self.seed, cancel=hurry,
                                    before_sample=lambda: self._before_sample(hurry),
                                    heard=heard_words(transcript.words))
        if plan.kind is not PlanKind.CLARIFY:
            timings["decide_s"] = time.monotonic() - t0
        if decision.first_token_s is not None:
            timings["first_token_s"] = decision.first_token_s
        if cancelled.is_set():
            return None
        t1 = time.monotonic()
        audio = self.synthesize(decision.text).result(timeout=60)
        timings["tts_s"] = time.monotonic() - t1
        timings["total_s"] = time.monotonic() - t0
        return Prepared(plan, transcript, decision, audio, timings)
