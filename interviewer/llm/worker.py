"""One thread owns the `Llama` object and serialises every request to it.

llama.cpp contexts are not thread-safe. Callers submit work and get a Future; the GUI
and the session engine never touch the model directly. llama-cpp-python keeps the
tokens it evaluated last and only evaluates the part of a new prompt that differs, so
prompts that share a fixed prefix (the few-shot examples) reuse its KV cache for free;
`prime()` evaluates that prefix ahead of time, while the candidate is still speaking.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError

log = logging.getLogger(__name__)


@dataclass
class Completion:
    text: str
    tokens: int
    first_token_s: float
    total_s: float
    finish_reason: str | None = None


def default_threads() -> int:
    """Generation threads. One on a 2-core machine: speech recognition runs at the same time,
    and llama.cpp's spinning worker threads collapse when oversubscribed (measured here under
    load: a 30-token follow-up took 5.0 s with 2 threads beside a busy transcriber, 0.7 s with 1)."""
    cores = os.cpu_count() or 2
    return 1 if cores <= 2 else min(4, cores // 2)


def default_batch_threads() -> int:
    """Prompt-reading threads. Two read the few-shot prefix twice as fast on an idle 2-core
    machine (1.2 s against 2.7 s), but beside a busy transcriber or another program they
    collapse (first token after 4.5 s, measured): on 2 cores, one, like generation."""
    return default_threads()


@dataclass
class LlmSettings:
    n_ctx: int = 2048
    n_threads: int | None = None  # None: default_threads()
    seed: int = 1234
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings) -> "LlmSettings":
        return cls(n_threads=getattr(settings, "llm_threads", None))


@contextlib.contextmanager
def _quiet_stderr():
    """llama.cpp prints its load log on fd 2 regardless of verbose=False in some builds."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class LlmWorker:
    def __init__(self, model_path: str | Path, settings: LlmSettings | None = None) -> None:
        from ..models.gguf import read_gguf
        from ..models.registry import validate_gguf

        self.model_path = validate_gguf(Path(model_path))
        self.parameters = read_gguf(self.model_path).parameters  # the model's size decides what it is trusted with
        self.settings = settings or LlmSettings()
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._loaded = threading.Event()
        self._load_error: Exception | None = None
        self.load_seconds: float | None = None
        self.name = self.model_path.name
        # KV state after each primed prefix: the context holds one sequence, so switching between
        # the "missed point" and "probe" prompts would otherwise re-read a 450-token prefix.
        self._prefix_states: dict[str, object] = {}
        self._go = threading.Event()  # cleared by hold(): generation waits between tokens
        self._go.set()

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> "LlmWorker":
        """Start loading in the background; returns at once."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="llm", daemon=True)
            self._thread.start()
        return self

    def wait_loaded(self, timeout: float | None = 120) -> None:
        self.start()
        if not self._loaded.wait(timeout):
            raise ModelError(f"The LLM {self.model_path.name} did not load within {timeout} s", "Try a smaller model.")
        if self._load_error:
            raise self._load_error

    def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        t0 = time.perf_counter()
        try:
            from llama_cpp import Llama

            with _quiet_stderr():
                self._llama = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.settings.n_ctx,
                    n_threads=self.settings.n_threads or default_threads(),
                    n_threads_batch=self.settings.n_threads or default_batch_threads(),
                    seed=self.settings.seed,
                    verbose=False,
                    **self.settings.extra,
                )
        except ImportError as exc:
            self._load_error = ModelError(
                f"llama-cpp-python is not installed or failed to import: {exc}",
                "Run the README's set-up command (it builds llama-cpp-python).",
            )
        except Exception as exc:  # llama-cpp-python raises ValueError on files llama.cpp rejects
            self._load_error = ModelError(
                f"llama.cpp could not load {self.model_path}: {exc}",
                "The file may be corrupt or an architecture this llama.cpp build does not know; try another GGUF.",
            )
        self.load_seconds = time.perf_counter() - t0
        self._loaded.set()
        if self._load_error:
            log.error("%s", self._load_error)
        else:
            log.info("LLM %s loaded in %.2f s", self.model_path.name, self.load_seconds)
        while True:
            job = self._jobs.get()
            if job is None:
                break
            fn, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            if self._load_error:
                fut.set_exception(self._load_error)
                continue
            try:
                fut.set_result(fn(self._llama))
            except Exception as exc:
                log.exception("LLM job failed")
                fut.set_exception(exc)

    def hold(self, held: bool) -> None:
        """Hold (or release) generation between tokens, so a more urgent job on the same cores
        (the final transcription when a turn ends) is not slowed by a speculative completion."""
        if held:
            self._go.clear()
        else:
            self._go.set()

    def submit(self, fn: Callable) -> Future:
        """Run fn(llama) on the worker thread."""
        self.start()
        fut: Future = Future()
        self._jobs.put((fn, fut))
        return fut

    # -- requests ----------------------------------------------------------------
    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int = 48,
        temperature: float = 0.7,
        top_p: float = 0.9,
        stop: list[str] | None = None,
        seed: int | None = None,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Future:
        """A raw completion, streamed token by token so the first token's time is known."""

        def job(llama) -> Completion:
            t0 = time.perf_counter()
            self._restore_prefix(llama, prompt)
            first = None
            parts: list[str] = []
            finish = None
            if seed is not None:
                llama.set_seed(seed)
            for chunk in llama.create_completion(
                prompt, max_tokens=max_tokens, temperature=temperature, top_p=top_p,
                stop=stop or [], stream=True,
            ):
                choice = chunk["choices"][0]
                if first is None:
                    first = time.perf_counter() - t0
                parts.append(choice["text"])
                finish = choice.get("finish_reason") or finish
                if on_token:
                    on_token(choice["text"])
                if cancel is not None and cancel.is_set():
                    finish = "cancelled"
                    break
                if not self._go.is_set():
                    self._go.wait(timeout=5.0)
            total = time.perf_counter() - t0
            return Completion("".join(parts), len(parts), first if first is not None else total, total, finish)

        return self.submit(job)

    def chat(self, messages: list[dict], *, max_tokens: int = 96, temperature: float = 0.7) -> Future:
        """A chat completion through the model's own template (rendered sandboxed by llama-cpp-python)."""

        def job(llama) -> Completion:
            t0 = time.perf_counter()
            out = llama.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=temperature)
            total = time.perf_counter() - t0
            text = out["choices"][0]["message"]["content"] or ""
            return Completion(text, out.get("usage", {}).get("completion_tokens", 0), total, total,
                              out["choices"][0].get("finish_reason"))

        return self.submit(job)

    def prime(self, prefix: str) -> Future:
        """Evaluate `prefix` now so a later prompt starting with it only pays for its tail."""

        def job(llama) -> float:
            t0 = time.perf_counter()
            tokens = llama.tokenize(prefix.encode("utf-8"), add_bos=True, special=True)
            # Same reuse rule as create_completion: keep the common prefix, evaluate the rest.
            n_past = 0
            for a, b in zip(llama._input_ids.tolist(), tokens):
                if a != b:
                    break
                n_past += 1
            if n_past < len(tokens):
                llama.n_tokens = n_past
                llama.eval(tokens[n_past:])
            self._prefix_states[prefix] = (len(tokens), llama.save_state())
            return time.perf_counter() - t0

        return self.submit(job)

    def _restore_prefix(self, llama, prompt: str) -> None:
        """Load the saved state of the primed prefix this prompt starts with, if the context
        currently holds something else (a load is a copy of a few MB; a re-read is seconds)."""
        for prefix, (n_tokens, state) in self._prefix_states.items():
            if prompt.startswith(prefix):
                held = llama._input_ids[:n_tokens].tolist()
                if len(held) < n_tokens or held != list(state.input_ids[:n_tokens]):
                    llama.load_state(state)
                return
