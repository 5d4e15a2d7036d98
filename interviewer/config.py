"""User settings: a pydantic model saved as JSON in the user config dir."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import UserError

log = logging.getLogger(__name__)


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    stt_model: str | None = Field(None, description="A faster-whisper model folder; empty for the embedded tiny.en.")
    llm_model: str | None = Field(None, description="A GGUF chat model file; empty for the embedded SmolLM2-135M.")
    llm_threads: int | None = Field(None, ge=1, le=64, description="CPU threads for the LLM; empty: automatic.")
    stt_threads: int = Field(2, ge=1, le=64, description="CPU threads for speech recognition.")
    stt_quality: Literal["standard", "accurate"] = Field(
        "accurate",
        description="standard: tiny.en's live transcript is scored. accurate: Whisper base transcribes each answer "
        "again in the background, with its filled pauses, for the scores and the report "
        "(cost: interviewer.speech.final_pass.cost_seconds_per_minute).",
    )
    input_device: str | None = Field(None, description="Microphone name or index; empty for the system default.")
    output_device: str | None = Field(None, description="Speaker name or index; empty for the system default.")
    patience_s: float = Field(2.5, ge=0.8, le=15.0, description="Silence that ends an answer, in seconds.")
    thinking_patience_s: float = Field(8.0, ge=2.0, le=60.0, description="Silence allowed after 'let me think'.")
    max_follow_ups: int = Field(2, ge=0, le=5, description="Follow-ups per question.")
    voice: str | None = Field(None, description="pyttsx3 voice id; empty for the default.")
    speech_rate: int = Field(175, ge=80, le=320, description="Interviewer speaking rate, words per minute.")
    keep_audio: bool = Field(True, description="Keep recordings of answers for replay.")
    data_dir: str | None = Field(None, description="Where history and recordings live; empty for the default.")


def settings_path() -> Path:
    from .paths import config_dir

    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    if path is None:
        try:
            path = settings_path()
        except OSError as exc:  # no config folder and none can be made (a read-only home): defaults
            log.info("no settings folder (%s): using the defaults", exc)
            return Settings()
    if not path.exists():
        return Settings()
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise UserError(f"Cannot read the settings file {path}: {exc.strerror or exc}",
                        f"Check its permissions, or delete {path} (the app writes a new one).") from None
    except UnicodeDecodeError:
        raise UserError(f"The settings file {path} is not UTF-8 text (a binary or otherwise damaged file)",
                        f"Delete {path}: the app starts with default settings and writes a new one.") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"The settings file {path} is not valid JSON: {exc}", f"Fix or delete {path}.") from None
    except RecursionError:
        raise UserError(f"The settings file {path} nests JSON thousands of levels deep (a damaged file)",
                        f"Delete {path}: the app starts with default settings and writes a new one.") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"])
        raise UserError(f"Settings file {path}: field {field}: {err['msg']}", f"Fix that field or delete {path}.") from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    path = path or settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a settings file
    return path
