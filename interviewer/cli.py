"""Command line: the GUI by default; subcommands for everything that runs without a screen.

Exit codes: 0 ok, 1 failure (a message says what to fix), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from . import __version__
from .errors import UserError

log = logging.getLogger("interviewer")


def _common() -> argparse.ArgumentParser:
    """Options accepted before or after the subcommand."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log details to stderr")
    p.add_argument("--stt-model", metavar="FOLDER", default=argparse.SUPPRESS,
                   help="a faster-whisper model folder (default: the embedded tiny.en)")
    p.add_argument("--llm-model", metavar="FILE", default=argparse.SUPPRESS,
                   help="a GGUF chat model (default: the embedded SmolLM2-135M-Instruct)")
    p.add_argument("--stt-quality", choices=["standard", "accurate"], default=argparse.SUPPRESS,
                   help="standard: score tiny.en's transcript; accurate (default): Whisper base re-transcribes "
                   "each answer for the scores, with its filled pauses")
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="interviewer",
        description="Offline, voice-driven mock interviewer for ML engineering interviews. "
        "With no command, opens the desktop app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"interviewer {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the GUI on a scripted session fed from WAV answers")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("gui", parents=[common], help="open the desktop app (the default)")
    p.add_argument("--demo", action="store_true", help="run a scripted session fed from WAV answers")

    p = sub.add_parser("demo", parents=[common], help="one interview turn with no microphone or screen")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--out", type=Path, help="folder for the WAVs and result.json (default: under the data dir)")

    p = sub.add_parser("interview", parents=[common], help="a spoken interview in the terminal (microphone or WAVs)")
    p.add_argument("--format", default="fundamentals", help="a category, or 'mixed' (default: fundamentals)")
    p.add_argument("--questions", type=int, default=3, help="how many questions (default 3)")
    p.add_argument("--difficulty", type=int, choices=[1, 2, 3], action="append", help="repeat to allow several")
    p.add_argument("--mode", choices=["study", "real"], default="study")
    p.add_argument("--max-follow-ups", type=int, default=None, help="per question (default: settings, 2)")
    p.add_argument("--question-id", action="append", help="ask this question (repeatable)")
    p.add_argument("--answers", type=Path, nargs="+", metavar="WAV",
                   help="answer from these recordings, replayed in real time, instead of the microphone")
    p.add_argument("--seed", type=int)
    p.add_argument("--persona", choices=["friendly", "rigorous", "manager"], help="who interviews you")
    p.add_argument("--json", action="store_true", help="print events as JSON lines")

    p = sub.add_parser("drill", parents=[common], help="a timed explanation: one concept against the clock")
    p.add_argument("--question-id", help="a question from the bank")
    p.add_argument("--concept", help="or any concept, typed in")
    p.add_argument("--target", type=int, default=60, help="target seconds (30, 60, 120, 180, ...)")
    p.add_argument("--non-expert", action="store_true", help="explain it to a non-expert: jargon weighs more")
    p.add_argument("--answers", type=Path, nargs="+", metavar="WAV", help="answer from a recording")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("projects", parents=[common], help="your own projects, for rehearsals")
    p.add_argument("action", nargs="?", choices=["list", "add", "show", "delete"], default="list")
    p.add_argument("id", nargs="?", help="project id (show, delete)")
    p.add_argument("--file", type=Path, help="add: a YAML file with title, problem, data, approach, results, ...")
    for field in ("title", "problem", "data", "approach", "results", "impact", "lessons"):
        p.add_argument(f"--{field}", help=f"add: the project's {field}")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("rehearse", parents=[common], help="pitch one of your projects, then answer follow-ups")
    p.add_argument("--project", required=True, help="project id (see `interviewer projects`)")
    p.add_argument("--pitch", type=int, choices=[120, 180], default=120, help="pitch length in seconds")
    p.add_argument("--deep-dives", type=int, default=2, help="deep-dive questions after the pitch")
    p.add_argument("--max-follow-ups", type=int)
    p.add_argument("--persona", choices=["friendly", "rigorous", "manager"])
    p.add_argument("--answers", type=Path, nargs="+", metavar="WAV", help="answer from recordings")
    p.add_argument("--seed", type=int)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("models", parents=[common], help="list the speech and language models found")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("devices", parents=[common], help="list microphones and speakers")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("questions", parents=[common], help="list or summarize the question bank")
    p.add_argument("--category", help="only this category")
    p.add_argument("--stats", action="store_true", help="counts per category and difficulty")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("transcribe", parents=[common], help="transcribe an audio file with word timestamps")
    p.add_argument("audio", type=Path)
    p.add_argument("--question-file", type=Path, help="bias recognition toward this question's vocabulary")
    p.add_argument("--json", action="store_true", help="print words with timestamps as JSON")

    p = sub.add_parser("score", parents=[common], help="score one answer (audio or transcript JSON)")
    p.add_argument("input", type=Path, metavar="AUDIO", help="the answer: audio file, or transcript JSON")
    p.add_argument("--question-file", type=Path, required=True, help="the question (YAML or JSON)")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("follow-up", parents=[common], help="what the interviewer asks after an answer")
    p.add_argument("--question-file", type=Path, required=True)
    p.add_argument("--answer-text", required=True)
    p.add_argument("--no-llm", action="store_true", help="rubric only (authored follow-ups)")
    p.add_argument("--json", action="store_true")

    from .history_cli import add_history_parser

    add_history_parser(sub, common)

    p = sub.add_parser("bench", parents=[common], help="speed and memory benchmarks (JSON)")
    p.add_argument("which", choices=["latency", "analysis", "follow-ups", "history", "stt"], help="what to measure")
    p.add_argument("--json", action="store_true", help="print as JSON (the default output is JSON too)")
    p.add_argument("--turns", type=int, default=10, help="turns to replay (latency)")
    return parser


def _opt(args, name, default=None):
    return getattr(args, name, default)


def _emit(data, as_json: bool, human) -> None:
    if as_json:
        print(json.dumps(data, indent=2, default=str))
    else:
        print(human(data))


# -- commands ---------------------------------------------------------------------------


def cmd_models(args, settings) -> int:
    from .model_registry import discover
    from .paths import user_models_dir

    models = discover(_opt(args, "stt_model"), _opt(args, "llm_model"), settings)
    data = {"models_dir": str(user_models_dir()), "models": [m.to_dict() for m in models]}

    def human(d):
        rows = [f"{'':2}{'kind':5} {'name':44} {'size':>9}  {'licence':12} {'source':9} path"]
        for m in d["models"]:
            rows.append(
                f"{'*' if m['active'] else ' ':2}{m['kind']:5} {m['name'][:44]:44} {m['size_bytes'] / 1e6:7.1f}MB  "
                f"{m['license'][:12]:12} {m['source']:9} {m['path']}"
            )
        rows.append(f"\n* active.  Drop a faster-whisper folder or a .gguf file into {d['models_dir']} to add one.")
        return "\n".join(rows)

    _emit(data, args.json, human)
    return 0


def cmd_demo(args, settings) -> int:
    from .demo import format_demo, run_demo

    def progress(msg):
        if not args.json:
            print(f"... {msg}", file=sys.stderr)

    result = run_demo(_opt(args, "stt_model"), _opt(args, "llm_model"), args.out, settings, progress)
    _emit(result, args.json, format_demo)
    return 0


def _source(args, settings):
    from .audio.sources import FileSource, MicSource

    answers = getattr(args, "answers", None)
    if answers:
        missing = [str(p) for p in answers if not p.is_file()]
        if missing:
            raise UserError(f"Answer recording not found: {', '.join(missing)}", "Pass existing WAV files.")
        return FileSource(answers)
    source = MicSource(settings.input_device)
    source.start()  # fails early, with a message, when there is no microphone
    return source


def _show_event(args):
    def show(event):
        if args.json:
            if event.kind != "level":
                print(json.dumps({"event": event.kind, **event.data}, default=str), flush=True)
            return
        d = event.data
        if event.kind == "question":
            print(f"\n[{d['index'] + 1}/{d['total']}] {d['category']} ({d['target_seconds']} s)")
        elif event.kind == "interviewer":
            print(f"Interviewer: {d['text']}")
        elif event.kind == "state" and d["state"] == "listening":
            print("   (listening: Enter = done, s = skip, r = repeat, q = end)" if sys.stdin.isatty() else "   (listening)")
        elif event.kind == "final" and d["text"]:
            print(f"You: {d['text']}")
        elif event.kind == "analysis" and d.get("show_now"):
            sc = d["analysis"]["scores"]
            print("   scores: " + ", ".join(f"{k} {v}" for k, v in sc.items()))
        elif event.kind == "error":
            print(f"error: {d['message']}\n  Fix: {d['fix']}", file=sys.stderr)

    return show


def _run_engine(args, settings, config, questions_fn=None):
    """Load the models, run one session in this terminal, return (session, summary)."""
    import threading

    from .runtime import Runtime

    source = _source(args, settings)
    runtime = Runtime(settings, stt_override=_opt(args, "stt_model"), llm_override=_opt(args, "llm_model"))
    runtime.load(progress=lambda m: None if args.json else print(f"... {m}", file=sys.stderr))
    try:
        questions = questions_fn(runtime) if questions_fn else None
        session = runtime.new_session(config, source=source, on_event=_show_event(args), questions=questions)
        if sys.stdin.isatty():
            keys = {"": session.done, "s": session.skip, "r": session.repeat, "q": session.end}

            def read_keys():
                for line in sys.stdin:
                    action = keys.get(line.strip().lower())
                    if action:
                        action()

            threading.Thread(target=read_keys, daemon=True).start()
        summary = session.run()
    finally:
        runtime.close()
    return session, summary


def _turn_settings(settings, **overrides):
    from .turn import TurnSettings

    return TurnSettings(patience_s=settings.patience_s, thinking_patience_s=settings.thinking_patience_s, **overrides)


def cmd_interview(args, settings) -> int:
    from .bank import CATEGORIES
    from .personas import get_persona
    from .session import SessionConfig

    if args.format != "mixed" and args.format not in CATEGORIES:
        raise UserError(f"Unknown format '{args.format}'", f"Choose one of: mixed, {', '.join(CATEGORIES)}.")
    persona = get_persona(args.persona)
    follow_ups = args.max_follow_ups
    if follow_ups is None:
        follow_ups = persona.max_follow_ups if persona else settings.max_follow_ups
    config = SessionConfig(format=args.format, n_questions=args.questions, difficulties=args.difficulty,
                           mode=args.mode, seed=args.seed, question_ids=args.question_id, max_follow_ups=follow_ups,
                           turn=_turn_settings(settings), keep_audio=settings.keep_audio, persona=args.persona)
    session, summary = _run_engine(args, settings, config)
    if args.json:
        print(json.dumps({"event": "summary", "session_id": session.session_id, **summary}, default=str))
    else:
        print(f"\nSession {session.session_id}: overall {summary.get('scores', {}).get('overall')}, "
              f"{summary['answers']} answers, {summary['follow_ups_asked']} follow-ups. "
              "See `interviewer history show ID`.")
    return 0


def cmd_drill(args, settings) -> int:
    from .drills import drill_report
    from .session import SessionConfig

    if bool(args.question_id) == bool(args.concept):
        raise UserError("Give either --question-id or --concept", "For example: --concept 'gradient descent'.")
    audience = "non_expert" if args.non_expert else "interviewer"
    config = SessionConfig(format="drill", n_questions=1, max_follow_ups=0, mode="study", audience=audience,
                           turn=_turn_settings(settings, max_answer_s=max(60.0, args.target * 2.0)),
                           keep_audio=settings.keep_audio)
    holder = {}

    def questions(runtime):
        holder["q"] = runtime.drill_question(question_id=args.question_id, concept=args.concept,
                                             target_s=args.target, audience=audience)
        return [holder["q"]]

    session, _summary = _run_engine(args, settings, config, questions)
    answers = [r for r in session.records if r.analysis]
    if not answers:
        raise UserError("No answer was recorded", "Speak after the question, or pass --answers WAV.")
    report = drill_report(holder["q"], answers[-1].analysis, args.target, audience)
    report["session_id"] = session.session_id

    def human(r):
        lines = [f"Target {r['target_s']} s, used {r['used_s']} s ({r['delta_s']:+.0f} s): {r['verdict']}",
                 f"Pace {r['wpm']} wpm"]
        lines += [f"  {p['start']:5.1f} s  {p['seconds']:5.1f} s  {p['label']}" for p in r["parts"]]
        lines += [f"Cut: {c['tip']} ({c['evidence']})" for c in r["cut"]]
        lines += [f"Add: {a['tip']} ({a['evidence']})" for a in r["add"]]
        return "\n".join(lines)

    _emit(report, args.json, human)
    return 0


def cmd_projects(args, settings) -> int:
    from .projects import FIELDS, Project
    from .store import Store

    store = Store.open(settings=settings)
    try:
        if args.action == "add":
            data = {}
            if args.file:
                import yaml

                try:
                    data = yaml.safe_load(args.file.read_text(encoding="utf-8")) or {}
                except (OSError, yaml.YAMLError) as exc:
                    raise UserError(f"Cannot read {args.file}: {exc}", "Pass a YAML file of project notes.") from None
            for name in ("title", *FIELDS):
                if getattr(args, name, None):
                    data[name] = getattr(args, name)
            from pydantic import ValidationError

            try:
                project = Project.model_validate(data)
            except ValidationError as exc:
                err = exc.errors()[0]
                raise UserError(f"Project notes: field {'.'.join(map(str, err['loc']))}: {err['msg']}",
                                "Give at least --title (and ideally problem, data, approach, results).") from None
            pid = store.save_project(project)
            _emit({"id": pid}, args.json, lambda d: f"Saved project {d['id']}")
        elif args.action == "delete":
            store.delete_project(args.id)
            _emit({"deleted": args.id}, args.json, lambda d: f"Deleted {d['deleted']}")
        elif args.action == "show":
            _emit(store.project(args.id).model_dump(), args.json, lambda d: "\n".join(
                f"{k:9} {v}" for k, v in d.items() if v))
        else:
            projects = store.projects()
            _emit(projects, args.json, lambda ps: "\n".join(f"{p['id']}  {p['title']}" for p in ps)
                  or "No projects yet: `interviewer projects add --title ... --problem ... --data ...`")
    finally:
        store.close()
    return 0


def cmd_rehearse(args, settings) -> int:
    from .session import SessionConfig
    from .store import Store

    with Store.open(settings=settings) as store:
        project = store.project(args.project)
    config = SessionConfig(format="project", n_questions=1 + args.deep_dives, mode="study",
                           max_follow_ups=settings.max_follow_ups if args.max_follow_ups is None else args.max_follow_ups,
                           project_title=project.title, turn=_turn_settings(settings), keep_audio=settings.keep_audio,
                           persona=args.persona, seed=args.seed)
    session, summary = _run_engine(args, settings, config, lambda rt: rt.rehearsal_questions(
        project, deep_dives=args.deep_dives, seed=args.seed, pitch_s=args.pitch))
    pitch = next((r for r in session.records if r.analysis), None)
    result = {"session_id": session.session_id, "project": project.title, "summary": summary,
              "pitch": None if pitch is None else {
                  "used_s": pitch.analysis.get("speaking_s"), "target_s": args.pitch,
                  "structure": pitch.analysis.get("structure"), "key_points": pitch.analysis.get("key_points"),
                  "scores": pitch.analysis.get("scores")},
              "follow_ups": [{"text": r.interviewer_text, "targets": r.targets, "source": r.source}
                             for r in session.records if r.kind == "follow_up"]}
    _emit(result, args.json, lambda d: json.dumps(d, indent=2, default=str))
    return 0


def cmd_devices(args, settings) -> int:
    from .audio.devices import list_devices

    devices = list_devices()
    _emit(devices, args.json, lambda ds: "\n".join(
        f"{d['index']:3} {'>' if d['default_input'] else ' '}{'<' if d['default_output'] else ' '} {d['name']} "
        f"(in {d['inputs']}, out {d['outputs']})" for d in ds) or "no audio devices found")
    return 0


def cmd_questions(args, settings) -> int:
    from .bank import CATEGORIES, load_bank

    bank = load_bank()
    if args.category and args.category not in CATEGORIES:
        raise UserError(f"Unknown category '{args.category}'", f"Choose one of: {', '.join(CATEGORIES)}.")
    if args.stats:
        _emit(bank.stats(), args.json, lambda d: "\n".join(
            [f"{d['total']} questions"] + [f"  {c:14} {n:4}" for c, n in d["by_category"].items()]
            + ["by difficulty: " + ", ".join(f"{k}: {v}" for k, v in d["by_difficulty"].items())]))
        return 0
    qs = bank.by_category(args.category) if args.category else list(bank)
    data = [{"id": q.id, "category": q.category, "difficulty": q.difficulty, "tags": q.tags, "prompt": q.prompt} for q in qs]
    _emit(data, args.json, lambda d: "\n".join(f"{q['id']:40} {q['category']:14} d{q['difficulty']}  {q['prompt']}" for q in d))
    return 0


def _transcriber(args, settings):
    from .model_registry import active_paths
    from .speech.stt import SttSettings, Transcriber

    stt_path, _ = active_paths(_opt(args, "stt_model"), _opt(args, "llm_model"), settings)
    return Transcriber(stt_path, SttSettings(cpu_threads=settings.stt_threads))


def cmd_transcribe(args, settings) -> int:
    from .audio.io import load_audio
    from .bank import load_question_file
    from .speech.stt import build_prompt

    audio = load_audio(args.audio)
    prompt = None
    if args.question_file:
        q = load_question_file(args.question_file)
        prompt = build_prompt(q.prompt, q.all_cues()[:20])
    from .speech.final_pass import FinalPass, scoring_transcriber

    engine = scoring_transcriber(settings, _opt(args, "stt_model"), lambda: _transcriber(args, settings))
    transcript = engine.transcribe(audio, prompt)[0] if isinstance(engine, FinalPass) else \
        engine.transcribe(audio, prompt=prompt)
    _emit(transcript.to_dict(), args.json, lambda d: d["text"] or "(no speech detected)")
    return 0


def cmd_score(args, settings) -> int:
    from .analysis import score_file

    from .speech.final_pass import scoring_transcriber

    result = score_file(args.input, args.question_file, transcriber=None if args.input.suffix.lower() == ".json"
                        else scoring_transcriber(settings, _opt(args, "stt_model"), lambda: _transcriber(args, settings)))
    _emit(result, args.json, lambda d: json.dumps(d, indent=2))
    return 0


def cmd_follow_up(args, settings) -> int:
    from .analysis_bridge import score_answer
    from .bank import load_question_file
    from .llm.brain import Interviewer, answer_clarification, is_clarifying_question
    from .transcript import Transcript, Word

    question = load_question_file(args.question_file)
    text = args.answer_text.strip()
    if not text:
        raise UserError("--answer-text is empty", "Pass the candidate's answer as text.")
    if is_clarifying_question(text):
        data = {"text": answer_clarification(question, text), "targets": None, "source": "rubric", "kind": "clarification"}
        _emit(data, args.json, lambda d: d["text"])
        return 0
    # Text has no timing; spread the words at a typical 150 wpm so the analysis can run.
    tokens = text.split()
    words = [Word(t, i * 0.4, i * 0.4 + 0.35) for i, t in enumerate(tokens)]
    analysis = score_answer(question, Transcript(words, len(tokens) * 0.4))
    llm = None
    if not args.no_llm:
        from .llm.worker import LlmSettings, LlmWorker
        from .model_registry import active_paths

        _, llm_path = active_paths(_opt(args, "stt_model"), _opt(args, "llm_model"), settings)
        llm = LlmWorker(llm_path, LlmSettings.from_settings(settings)).start()
    try:
        decision = Interviewer(llm).follow_up(question, text, analysis["key_points"]["covered"],
                                              analysis["key_points"]["missed"])
    finally:
        if llm:
            llm.close()
    data = {"text": decision.text, "targets": decision.targets, "source": decision.source, "kind": decision.kind,
            "covered": analysis["key_points"]["covered"], "missed": analysis["key_points"]["missed"],
            "samples": decision.attempts}
    _emit(data, args.json, lambda d: f"{d['text']}\n  ({d['source']}, targets {d['targets']})")
    return 0


def cmd_bench(args, settings) -> int:
    if args.which == "analysis":
        from .analysis import bench_analysis

        data = bench_analysis()
    elif args.which == "follow-ups":
        from .followup_bench import bench_follow_ups

        data = bench_follow_ups(stt_override=_opt(args, "stt_model"), llm_override=_opt(args, "llm_model"),
                                settings=settings)
    elif args.which == "stt":
        from .speech.stt_bench import bench_stt

        data = bench_stt()
    elif args.which == "history":
        from .store import bench_history

        data = bench_history()
    else:
        from .bench import bench_latency

        data = bench_latency(turns=args.turns, stt_override=_opt(args, "stt_model"),
                             llm_override=_opt(args, "llm_model"), settings=settings)
    print(json.dumps(data, indent=2))
    return 0


def cmd_gui(args, settings) -> int:
    from .gui.app import run_gui

    return run_gui(settings, demo=bool(_opt(args, "demo")), stt_override=_opt(args, "stt_model"),
                   llm_override=_opt(args, "llm_model"))


def cmd_history(args, settings) -> int:
    from .history_cli import cmd_history as run

    return run(args, settings)


COMMANDS = {
    "history": cmd_history,
    "interview": cmd_interview, "drill": cmd_drill, "projects": cmd_projects, "rehearse": cmd_rehearse,
    "models": cmd_models, "demo": cmd_demo, "devices": cmd_devices, "questions": cmd_questions, "transcribe": cmd_transcribe,
    "score": cmd_score, "follow-up": cmd_follow_up, "bench": cmd_bench, "gui": cmd_gui,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .logsetup import setup_logging

    log_path = setup_logging(bool(_opt(args, "verbose")))
    command = args.command or "gui"
    log.info("interviewer %s: %s", __version__, " ".join(sys.argv[1:] if argv is None else argv))
    try:
        from .config import load_settings

        settings = load_settings()
        if _opt(args, "stt_quality"):
            settings.stt_quality = args.stt_quality
        return COMMANDS[command](args, settings)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        log.info("user error: %s", exc)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `interviewer ... | head`: the reader left; not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except Exception as exc:  # a bug: the details go to the log file, not a traceback on screen
        log.exception("unexpected error")
        print(f"error: unexpected {exc.__class__.__name__}: {exc}\n  Details are in {log_path}. "
              "Please report it with that file.", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
