"""Streaming voice activity with Silero VAD v6, the model shipped inside faster-whisper.

faster-whisper's own wrapper runs a whole clip at once; this one keeps the LSTM state
and the 64-sample context between calls, so each 32 ms frame costs one small ONNX run
(about 0.1 ms) as it arrives.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .sources import FRAME

CONTEXT = 64


def silero_path() -> Path:
    import faster_whisper

    path = Path(faster_whisper.__file__).resolve().parent / "assets" / "silero_vad_v6.onnx"
    if not path.is_file():
        from ..errors import ModelError

        raise ModelError(f"Silero VAD model missing: {path}", "Reinstall faster-whisper (`pip install --force-reinstall faster-whisper`).")
    return path


class StreamingVad:
    def __init__(self) -> None:
        import onnxruntime

        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 4
        self._session = onnxruntime.InferenceSession(str(silero_path()), providers=["CPUExecutionProvider"],
                                                     sess_options=opts)
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)

    def __call__(self, frame: np.ndarray) -> float:
        """Speech probability of one FRAME-sample frame."""
        if frame.size != FRAME:
            frame = np.pad(frame[:FRAME], (0, max(0, FRAME - frame.size)))
        x = np.concatenate([self._context, frame.astype(np.float32)])[None, :]
        out, self._h, self._c = self._session.run(None, {"input": x, "h": self._h, "c": self._c})
        self._context = frame[-CONTEXT:].astype(np.float32)
        return float(np.asarray(out).reshape(-1)[0])
