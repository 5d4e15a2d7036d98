"""Prompt templates live in prompts/ as text files: editable without touching code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from string import Template

TARGET_MARKER = "---- target ----"


@dataclass(frozen=True)
class FewShotPrompt:
    """A fixed prefix (instructions and examples, KV-cached) and a per-request tail."""

    prefix: str
    tail: Template

    def render(self, **values: str) -> str:
        return self.prefix + self.tail.safe_substitute(**values)


def _read(name: str) -> str:
    from ..paths import resource_dir

    text = (resource_dir("prompts") / name).read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip("\n") + "\n"


@lru_cache(maxsize=None)
def few_shot(name: str) -> FewShotPrompt:
    text = _read(name)
    prefix, _, tail = text.partition(TARGET_MARKER + "\n")
    if not tail:
        raise ValueError(f"prompts/{name} lacks the '{TARGET_MARKER}' line")
    return FewShotPrompt(prefix, Template(tail.rstrip("\n")))


@lru_cache(maxsize=None)
def lines(name: str) -> list[str]:
    return [line.strip() for line in _read(name).splitlines() if line.strip()]


def text(name: str) -> str:
    return _read(name).strip()
