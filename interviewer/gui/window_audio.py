"""The window's microphone and speaker: which microphones exist (and one plugged in
later), the microphone check's monitor, the voice test with its "speaking" feedback, and
settings saved on the way. A mixin of MainWindow.
"""

from __future__ import annotations

import logging

from .dialogs import error_dialog
from .mic_controller import first_run_marker
from .workers import run_task

log = logging.getLogger(__name__)


class WindowAudio:
    # -- the microphone --------------------------------------------------------------------
    def _audio_quiet(self) -> bool:
        """No stream open anywhere: PortAudio may be restarted to look for new devices."""
        return (not self.controller.running and not self.mic_ctl.monitoring and not self.report.replay.playing
                and not self.voice_testing)

    def _devices_changed(self, devices: list) -> None:
        had = self.mic.scanned and bool(self.mic.devices)
        first_look = not self.mic.scanned
        self.mic.set_devices(devices, selected=self._saved_device_index(devices))
        found_now = bool(devices) and not had and not first_look
        self.home.set_microphone(bool(devices), devices[0]["name"] if found_now else "")
        self.drill.set_microphone(bool(devices))
        if found_now:
            self.status_label.setText(f"A microphone was found: {devices[0]['name']}.")
        elif not devices and first_look:
            self.status_label.setText("No microphone found: try the demo, or answer from recordings.")

    def _saved_device_index(self, devices: list):
        name = self.settings.input_device
        return next((d["index"] for d in devices if d["name"] == name), None)

    def start_monitor(self, device=None) -> None:
        if self.controller.running:
            self.mic.show_problem("The microphone is in use by the interview.", "End the interview first.")
            self.mic.set_monitoring(False)
            return
        self.mic_ctl.start_monitor(device)

    def _shared_player(self):
        """One speaker for the microphone test and the voice test (made on a worker thread)."""
        if self._mic_player is None:
            self._mic_player = self.player_factory()
        return self._mic_player

    def _mic_failed(self, problem: str, fix: str) -> None:
        self.mic.show_problem(problem, fix)  # on the page, with the demo and recordings beside it
        self.mic_ctl.scan(again=True)  # it may have been unplugged

    def _device_changed(self, index) -> None:
        name = next((d["name"] for d in self.mic.devices if d["index"] == index), None)
        self._save_setting(input_device=name)

    def _mic_checked(self) -> None:
        try:
            first_run_marker().touch()
        except OSError as exc:
            log.warning("cannot write the first-run marker: %s", exc)
        self.goto("home")

    # -- settings --------------------------------------------------------------------------
    def _save_setting(self, **changes) -> None:
        from ..config import save_settings

        try:
            self.settings = self.settings.model_copy(update=changes)
            save_settings(self.settings)
        except OSError as exc:
            log.warning("cannot save settings: %s", exc)

    def _settings_saved(self, settings) -> None:
        self.settings = settings
        self.controller.settings = settings
        speaker = getattr(self.runtime, "speaker", None)
        if speaker is not None:
            from ..speech.tts import Voice

            speaker.voice = Voice(rate=settings.speech_rate, voice_id=settings.voice)

    def _test_voice(self, voice_id, rate: int) -> None:
        section = self.settings_page.voice_section
        speaker = getattr(self.runtime, "speaker", None)
        if speaker is None:
            section.set_speaking(False, "The voice is still loading; try again in a moment.")
            return
        from ..speech.tts import Voice
        from .settings_voice import TEST_LINE

        def speak():
            audio = speaker.synthesize(TEST_LINE, Voice(rate=rate, voice_id=voice_id)).result(timeout=60)
            player = self._shared_player()
            player.play(audio)
            player.wait(120)  # the test shows "speaking" until the line has been said

        def done(_r) -> None:
            self.voice_testing = False
            section.set_speaking(False, "Done. Change the voice or the rate and test again, or save.")

        def failed(problem: str, fix: str) -> None:
            self.voice_testing = False
            section.set_speaking(False, f"The voice test did not play: {problem}")
            error_dialog(self, "Voice test failed", problem, fix)

        self.voice_testing = True
        section.set_speaking(True)
        run_task(speak, done, failed)
