"""sounddevice, imported on demand with a message that says what to install."""

from __future__ import annotations

import logging
import platform

from ..errors import AudioError

log = logging.getLogger(__name__)


def portaudio_fix() -> str:
    system = platform.system()
    if system == "Linux":
        return "Install PortAudio: `sudo apt-get install libportaudio2` (Debian/Ubuntu) or your distribution's portaudio package."
    if system == "Darwin":
        return "Reinstall sounddevice (`pip install --force-reinstall sounddevice`), or `brew install portaudio`."
    return "Reinstall sounddevice (`pip install --force-reinstall sounddevice`); its wheel bundles PortAudio."


def import_sounddevice():
    try:
        import sounddevice
    except OSError as exc:  # raised at import when the PortAudio library cannot be loaded
        raise AudioError(f"The PortAudio library (needed by sounddevice for audio) is missing: {exc}", portaudio_fix()) from None
    return sounddevice


def list_devices(sd=None) -> list[dict]:
    """Every audio device, with which are inputs and outputs and which are the defaults.

    Enumeration fails in many ways on real machines (no ALSA config, PulseAudio down,
    permissions); every failure becomes an AudioError with a way forward, never a crash.
    `sd`: the sounddevice module (injected in tests).
    """
    sd = sd or import_sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
    except Exception as exc:  # PortAudioError and friends
        raise AudioError(f"Could not list audio devices: {exc}", "Check that your sound system is running.") from None
    out = []
    for idx, d in enumerate(devices):
        out.append({
            "index": idx,
            "name": d["name"],
            "inputs": int(d["max_input_channels"]),
            "outputs": int(d["max_output_channels"]),
            "default_samplerate": float(d["default_samplerate"]),
            "default_input": idx == default_in,
            "default_output": idx == default_out,
        })
    return out


def input_devices(sd=None) -> list[dict]:
    return [d for d in list_devices(sd) if d["inputs"] > 0]


def no_input_message() -> AudioError:
    return AudioError(
        "No microphone (audio input device) was found.",
        "Plug in or enable a microphone, or answer from recorded WAV files: "
        "`interviewer interview --answers ANSWER.wav ...`, or try the app in demo mode: `interviewer --demo`.",
    )
