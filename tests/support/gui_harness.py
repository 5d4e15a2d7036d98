"""What the GUI tests share: a window on an offline runtime (the real bank and a real
store with sample sessions, no models), whose sessions are scripted (same events and
commands as InterviewSession, thread-safe), with a silent fake USB microphone.

Fixtures are defined here and imported by the GUI test modules.
"""

from __future__ import annotations

import queue
import threading
from datetime import datetime

import numpy as np
import pytest

from interviewer.audio.playback import SilentPlayer
from interviewer.config import Settings

FAKE_MIC = [{"index": 0, "name": "Fake USB microphone", "default_input": True}]


class RecordingPlayer(SilentPlayer):
    """A silent speaker that remembers what it was asked to play."""

    def __init__(self) -> None:
        super().__init__(speed=50.0)
        self.clips: list[np.ndarray] = []

    def play(self, audio) -> None:
        self.clips.append(np.asarray(audio))
        super().play(audio)


class ScriptedSession:
    """Stands in for InterviewSession: one question; Done ends the answer; End stops."""

    def __init__(self, config, store, bank, on_event, source=None) -> None:
        self.config = config
        self.source = source
        self.store = store
        self.on_event = on_event
        self.question = bank.select(1, seed=3, categories=["fundamentals"])[0]
        self.questions = [self.question]
        self.records: list = []
        self.session_id = None
        self.commands: queue.Queue = queue.Queue()
        self.ended = threading.Event()
        self.done_pressed = 0

    def _emit(self, event_kind, /, **data):
        from interviewer.engine import events as ev

        types = {t.name: t for t in (ev.QuestionAsked, ev.InterviewerSaid, ev.StateChanged, ev.LevelChanged,
                                     ev.Final, ev.AnalysisReady, ev.Finished, ev.ErrorRaised)}
        if event_kind == "state":
            data["state"] = ev.State(data["state"])
        if event_kind == "interviewer":
            data["kind"] = ev.Line(data["kind"])
        self.on_event(types[event_kind](**data))

    def done(self): self.commands.put("done")
    def repeat(self): self.commands.put("repeat")
    def skip(self): self.commands.put("skip")
    def pause(self): self._emit("state", state="paused")
    def resume(self): self._emit("state", state="listening")

    def end(self):
        self.ended.set()
        self.commands.put("end")

    def run(self):
        from interviewer.analysis import analyze, transcript_from_text

        if self.source is not None:
            self.source.start()  # as the real session does: no microphone raises here
        q = self.question
        self.session_id = self.store.begin_session(format="fundamentals", mode=self.config.mode,
                                                   settings={"keep_audio": False}, question_ids=[q.id])
        self._emit("question", index=0, total=1, id=q.id, prompt=q.prompt, category=q.category,
                   target_seconds=q.target_seconds, key_points=[])
        self._emit("interviewer", text=q.prompt, kind="question", source="bank", targets=None)
        self._emit("state", state="listening")
        while True:
            self._emit("level", value=0.4, voiced=True)
            try:
                cmd = self.commands.get(timeout=0.05)
            except queue.Empty:
                continue
            if cmd == "end":
                break
            if cmd == "done":
                self.done_pressed += 1
                text = f"{q.key_points[0].label}. That is the main point."
                tr = transcript_from_text(text)
                analysis = analyze(q, tr).to_dict()
                self._emit("state", state="thinking")
                self._emit("final", text=text, words=tr.to_dict()["words"])
                self.store.record_answer(self.session_id, {"id": q.id, "category": q.category, "prompt": q.prompt},
                                         {"kind": "answer", "index": 0, "interviewer_text": q.prompt},
                                         tr.to_dict(), analysis)
                self.records.append({"analysis": analysis})
                self._emit("analysis", question_id=q.id, kind="answer", analysis=analysis, show_now=True,
                           follow_up_assessment=None)
                self._emit("state", state="listening")
        if self.source is not None:
            self.source.stop()
        summary = {"duration_s": 1.0}
        self.store.finish_session(self.session_id, summary)
        self._emit("state", state="finished")
        self._emit("finished", summary=summary)
        return summary


from interviewer.app.runtime import OfflineRuntime as _Offline


class OfflineRuntime(_Offline):
    """The bank and the store; its sessions are scripted (no models)."""

    def __init__(self, store) -> None:
        super().__init__(store, user_questions=False)
        self.sessions: list[ScriptedSession] = []

    def new_session(self, config, *, source, on_event, player=None, audio_dir=None, questions=None, tags=None):
        from interviewer.app.history import TaggedStore

        store = TaggedStore(self.store, tags) if tags else self.store
        session = ScriptedSession(config, store, self.bank, on_event, source)
        self.sessions.append(session)
        return session


@pytest.fixture(scope="module")
def bank():
    from interviewer.content.bank import load_bank

    return load_bank(include_user=False)


@pytest.fixture
def store(bank):
    from interviewer.tools.sample_data import populate
    from interviewer.history import Store

    clock = [datetime.now().astimezone()]
    s = Store.open(clock=lambda: clock[0], durability="off")
    populate(s, bank, sessions=4, clock_setter=lambda when: clock.__setitem__(0, when))
    yield s


@pytest.fixture
def make_window(qtbot, store):
    from interviewer.audio.sources import MicSource
    from interviewer.gui.main_window import MainWindow, first_run_marker
    from support.fake_sounddevice import FakeSoundDevice

    made = []

    def make(first_run_done: bool = True, player=None, **kw):
        if first_run_done:
            first_run_marker().touch()
        runtime = OfflineRuntime(store)
        player = player or RecordingPlayer()
        # The microphone is the real MicSource on a fake sounddevice (a silent USB mic)
        kw.setdefault("source_factory", lambda device: MicSource(device, sounddevice=FakeSoundDevice(speed=4.0)))
        kw.setdefault("scan_devices", lambda reinit: list(FAKE_MIC))
        window = MainWindow(Settings(), runtime_factory=lambda: runtime, player_factory=lambda: player, **kw)
        window.test_player = player
        window.test_runtime = runtime
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.runtime_ready, timeout=20_000):
            window.show()
        made.append(window)
        return window

    yield make
    import shiboken6

    for w in made:  # close cleanly, as a user would
        if shiboken6.isValid(w) and w.isVisible():
            w.close()
            qtbot.waitUntil(lambda w=w: not shiboken6.isValid(w) or not w.isVisible(), timeout=20_000)


