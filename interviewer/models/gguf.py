"""Reads and checks a GGUF file's header before llama.cpp is allowed near it.

A model file from the user is untrusted input. llama.cpp reads a truncated or mangled
file with anything from a clear error to a crash, so the header is parsed here first,
with every length bounded, and the tensor table is checked against the file's size.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError

_MAX_STRING = 64 << 20
_MAX_COUNT = 50_000_000
_MAX_ENTRIES = 1_000_000
_MAX_NESTING = 8
_MAX_ALIGNMENT = 1 << 20

# value type -> struct format for fixed-size scalars
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

# ggml tensor type -> (elements per block, bytes per block)
_BLOCKS = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110),
    22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8),
    29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17),
}

_KEEP = {"general.name", "general.architecture", "general.license", "general.alignment", "general.size_label",
         "tokenizer.chat_template", "general.file_type"}


@dataclass
class GgufInfo:
    path: Path
    version: int
    tensor_count: int
    metadata: dict = field(default_factory=dict)
    expected_size: int | None = None
    parameters: int = 0  # summed over the tensor table: what the model's tier is judged by

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def has_chat_template(self) -> bool:
        return bool(self.metadata.get("tokenizer.chat_template"))


class _Reader:
    def __init__(self, fh, path: Path) -> None:
        self.fh, self.path = fh, path

    def _bad(self, what: str) -> ModelError:
        return ModelError(
            f"{self.path} is not a usable GGUF model: {what}",
            "The file is truncated or corrupt; download it again, or pick another .gguf chat model.",
        )

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise self._bad("the header ends early (truncated file)")
        return data

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > _MAX_STRING:
            raise self._bad(f"a string claims {n} bytes")
        return self.read(n).decode("utf-8", errors="replace")

    def value(self, vtype: int, keep: bool, depth: int = 0):
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            if keep:
                return self.string()
            n = self.unpack("<Q")
            if n > _MAX_STRING:
                raise self._bad(f"a string claims {n} bytes")
            self.fh.seek(n, 1)
            return None
        if vtype == _ARRAY:
            if depth >= _MAX_NESTING:  # real files nest one level (token lists); a deep one is hostile
                raise self._bad(f"arrays nested more than {_MAX_NESTING} deep")
            etype, count = self.unpack("<I"), self.unpack("<Q")
            if count > _MAX_COUNT:
                raise self._bad(f"an array claims {count} entries")
            if etype in _SCALARS:
                self.fh.seek(struct.calcsize(_SCALARS[etype]) * count, 1)
            else:
                for _ in range(count):
                    self.value(etype, keep=False, depth=depth + 1)
            return None
        raise self._bad(f"unknown metadata type {vtype}")


def read_gguf(path: str | Path) -> GgufInfo:
    """The header of a GGUF file, checked. Whatever the file holds, the only exception
    that leaves is a ModelError naming it (a hostile file must not look like a bug)."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"LLM model file not found: {path}", "Check the path, or run `interviewer models` to list models.")
    try:
        return _read_gguf(path)
    except ModelError:
        raise
    except OSError as exc:
        raise ModelError(f"Cannot read the LLM model file {path}: {exc.strerror or exc}",
                         "Check that the file is readable, or pick another .gguf model.") from None
    except (struct.error, ValueError, OverflowError, RecursionError, MemoryError) as exc:
        raise ModelError(f"{path} is not a usable GGUF model: its header is malformed ({exc.__class__.__name__})",
                         "The file is corrupt; download it again, or pick another .gguf chat model.") from None


def _alignment(meta: dict, r: "_Reader") -> int:
    value = meta.get("general.alignment", 32)
    if isinstance(value, bool) or not isinstance(value, int):
        raise r._bad(f"general.alignment is {type(value).__name__} {value!r}, not a whole number")
    if not 0 < value <= _MAX_ALIGNMENT or value & (value - 1):
        raise r._bad(f"general.alignment is {value} (llama.cpp needs a power of two)")
    return value


def _read_gguf(path: Path) -> GgufInfo:
    size = path.stat().st_size
    with path.open("rb") as fh:
        r = _Reader(fh, path)
        magic = fh.read(4)
        if magic != b"GGUF":
            raise ModelError(
                f"{path} is not a GGUF file (it starts with {magic!r}, not b'GGUF')",
                "Use a llama.cpp GGUF chat model (.gguf); convert other formats with llama.cpp's convert scripts.",
            )
        version = r.unpack("<I")
        if version not in (2, 3):
            raise r._bad(f"GGUF version {version} (this app reads versions 2 and 3)")
        tensor_count, kv_count = r.unpack("<Q"), r.unpack("<Q")
        if tensor_count > _MAX_ENTRIES or kv_count > _MAX_ENTRIES:
            raise r._bad("implausible header counts")
        meta: dict = {}
        for _ in range(kv_count):
            key = r.string()
            vtype = r.unpack("<I")
            val = r.value(vtype, keep=key in _KEEP)
            if key in _KEEP:
                meta[key] = val
        end = 0
        parameters = 0
        for _ in range(tensor_count):
            r.string()
            n_dims = r.unpack("<I")
            if n_dims > 8:
                raise r._bad(f"a tensor with {n_dims} dimensions")
            elements = 1
            for _ in range(n_dims):
                elements *= r.unpack("<Q")
            parameters += elements
            ttype, offset = r.unpack("<I"), r.unpack("<Q")
            block = _BLOCKS.get(ttype)
            if block is None:
                end = -1  # a type this table does not know: leave the size check to llama.cpp
            elif end >= 0:
                end = max(end, offset + elements // block[0] * block[1])
        align = _alignment(meta, r)
        data_start = -(-fh.tell() // align) * align
    info = GgufInfo(path, version, tensor_count, meta, parameters=parameters)
    if end >= 0:
        info.expected_size = data_start + end
        if size < info.expected_size:
            raise ModelError(
                f"{path} is truncated: {size:,} bytes on disk, the tensor table needs {info.expected_size:,}",
                "The download or copy was cut short; fetch the model file again.",
            )
    return info
