"""A project's notes as the history keeps them: what a rehearsal is grounded in."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

FIELDS = ("problem", "data", "approach", "results", "impact", "lessons")


class Project(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    title: str = Field(min_length=2, max_length=120)
    problem: str = ""
    data: str = ""
    approach: str = ""
    results: str = ""
    impact: str = ""
    lessons: str = ""
    stack: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
