"""Command line: the GUI by default; subcommands for everything that runs without a screen.

Exit codes: 0 ok, 1 failure (a message says what to fix), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..errors import UserError

log = logging.getLogger("interviewer")
PERSONAS = ("friendly", "rigorous", "manager")


def _int_in(lo: int, hi: int):
    """An argparse type for a whole number in [lo, hi]: a bad value is a usage error (exit 2)
    raised while parsing, before any model loads."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range: use {lo} to {hi}")
        return value

    parse.__name__ = "whole number"
    return parse


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
    p.add_argument("--questions", type=_int_in(1, 100), default=3, help="how many questions (default 3)")
    p.add_argument("--difficulty", type=int, choices=[1, 2, 3], action="append", help="repeat to allow several")
    p.add_argument("--mode", choices=["study", "real"], default="study")
    p.add_argument("--max-follow-ups", type=_int_in(0, 5), default=None, help="per question (default: settings, 2)")
    p.add_argument("--question-id", action="append", help="ask this question (repeatable)")
    p.add_argument("--answers", type=Path, nargs="+", metavar="WAV",
                   help="answer from these recordings, replayed in real time, instead of the microphone")
    p.add_argument("--seed", type=int)
    p.add_argument("--persona", choices=PERSONAS, help="who interviews you")
    p.add_argument("--resume", nargs="?", const="latest", metavar="ID",
                   help="continue an interrupted session (default: the latest); its cut-off answer is transcribed")
    p.add_argument("--json", action="store_true", help="print events as JSON lines")

    p = sub.add_parser("drill", parents=[common], help="a timed explanation: one concept against the clock")
    p.add_argument("--question-id", help="a question from the bank")
    p.add_argument("--concept", help="or any concept, typed in")
    p.add_argument("--target", type=_int_in(15, 1800), default=60,
                   help="target seconds: 30, 60, 120 or 180 (15 to 1800; default 60)")
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
    p.add_argument("--deep-dives", type=_int_in(0, 10), default=2, help="deep-dive questions after the pitch")
    p.add_argument("--max-follow-ups", type=_int_in(0, 5))
    p.add_argument("--persona", choices=PERSONAS)
    p.add_argument("--answers", type=Path, nargs="+", metavar="WAV", help="answer from recordings")
    p.add_argument("--seed", type=int)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("models", parents=[common], help="list the speech and language models found")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("devices", parents=[common], help="list microphones and speakers")
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = sub.add_parser("questions", parents=[common], help="list the question bank, or add your own question")
    p.add_argument("action", nargs="?", choices=["list", "draft", "add"], default="list",
                   help="list (default); draft FILE: what the interviewer would add to your question (topics, "
                        "follow-ups, probes); add FILE: draft it, show it, and save it to your questions")
    p.add_argument("file", nargs="?", type=Path, help="draft/add: a question file (YAML or JSON)")
    p.add_argument("--out", type=Path, help="draft: write the drafted question here, to edit and then `add`")
    p.add_argument("--yes", action="store_true", help="add: save without asking")
    p.add_argument("--no-llm", action="store_true", help="draft/add: without the language model (plainer topics)")
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

    from .history import add_history_parser

    add_history_parser(sub, common)

    p = sub.add_parser("bench", parents=[common], help="speed and memory benchmarks (JSON)")
    p.add_argument("which", choices=["latency", "analysis", "follow-ups", "history", "stt"], help="what to measure")
    p.add_argument("--json", action="store_true", help="print as JSON (the default output is JSON too)")
    p.add_argument("--turns", type=_int_in(1, 1000), default=10, help="turns to replay (latency)")
    p.add_argument("--part", choices=["tuning", "heldout", "all"], default="all",
                   help="follow-ups: which part of the review set (default: both)")
    p.add_argument("--free-wording", action="store_true",
                   help="follow-ups: let the model word follow-ups whatever its size (to measure a model below "
                        "the free-wording tier)")
    return parser


def _opt(args, name, default=None):
    return getattr(args, name, default)

@contextmanager
def _loaded_llm(args, settings):
    """The chat model, loaded (None with --no-llm), closed afterwards.

    A model llama.cpp cannot load is a failure to report, not a cue to fall back to the
    authored lines in silence (and exit 0): --no-llm asks for that."""
    if args.no_llm:
        yield None
        return
    from ..llm.worker import LlmSettings, LlmWorker
    from ..models.registry import active_paths

    _, llm_path = active_paths(_opt(args, "stt_model"), _opt(args, "llm_model"), settings)
    llm = LlmWorker(llm_path, LlmSettings.from_settings(settings)).start()
    try:
        llm.wait_loaded()
        yield llm
    finally:
        llm.close()



def _emit(data, as_json: bool, human) -> None:
    if as_json:
        print(json.dumps(data, indent=2, default=str))
    else:
        print(human(data))


# -- commands ---------------------------------------------------------------------------


def cmd_models(args, settings) -> int:
    from ..models.registry import discover
    from ..paths import user_models_dir

    skipped: list[dict] = []
    models = discover(_opt(args, "stt_model"), _opt(args, "llm_model"), settings, skipped=skipped)
    data = {"models_dir": str(user_models_dir()), "models": [m.to_dict() for m in models], "skipped": skipped}

    def human(d):
        rows = [f"{'':2}{'kind':5} {'name':44} {'size':>9}  {'licence':12} {'source':9} path"]
        for m in d["models"]:
            rows.append(
                f"{'*' if m['active'] else ' ':2}{m['kind']:5} {m['name'][:44]:44} {m['size_bytes'] / 1e6:7.1f}MB  "
                f"{m['license'][:12]:12} {m['source']:9} {m['path']}"
            )
        rows += [f"  skipped {x['path']}: {x['problem']}" for x in d["skipped"]]
        rows.append(f"\n* active.  Drop a faster-whisper folder or a .gguf file into {d['models_dir']} to add one.")
        return "\n".join(rows)

    _emit(data, args.json, human)
    return 0


def cmd_demo(args, settings) -> int:
    from ..app.demo import format_demo, run_demo

    def progress(msg):
        if not args.json:
            print(f"... {msg}", file=sys.stderr)

    result = run_demo(_opt(args, "stt_model"), _opt(args, "llm_model"), args.out, settings, progress)
    _emit(result, args.json, format_demo)
    return 0


def _source(args, settings):
    from ..audio.sources import FileSource, MicSource

    answers = getattr(args, "answers", None)
    if answers:
        missing = [str(p) for p in answers if not p.is_file()]
        if missing:
            raise UserError(f"Answer recording not found: {', '.join(missing)}", "Pass existing WAV files.")
        return FileSource(answers)
    source = MicSource(settings.input_device)
    source.start()  # fails early, with a message, when there is no microphone (the session reuses the stream)
    return source


def _show_event(args):
    from ..analysis.followup import verdict_sentence
    from ..engine import events as ev
    from ..speech.wer import normalise

    def show(event):
        if args.json:
            if not isinstance(event, ev.LevelChanged):
                print(json.dumps(event.to_dict(), default=str), flush=True)
            return
        if isinstance(event, ev.QuestionAsked):
            print(f"\n[{event.index + 1}/{event.total}] {event.category} ({event.target_seconds} s)")
        elif isinstance(event, ev.InterviewerSaid):
            print(f"Interviewer: {event.text}")
        elif isinstance(event, ev.StateChanged) and event.state is ev.State.LISTENING:
            print("   (listening: Enter = done, s = skip, r = repeat, q = end)" if sys.stdin.isatty() else "   (listening)")
        elif isinstance(event, ev.Final) and event.text:
            print(f"You: {event.text}")
        elif isinstance(event, ev.AnalysisReady) and event.show_now:
            sc = event.analysis["scores"]
            # the accurate pass's scores arrive a few seconds after the turn, maybe mid-reply
            which = " for your follow-up answer" if event.kind == "follow_up" else " for your answer"
            # a follow-up reply is scored on what the follow-up asked: say what that was
            asked = verdict_sentence(event.follow_up_assessment)
            print(f"   scores{which if event.accurate else ''}: " + ", ".join(f"{k} {v}" for k, v in sc.items())
                  + (f"; {asked}" if asked else ""))
            # "You:" above was the live words; the scores come from the accurate pass's
            # (the GUI swaps them in): say them when they differ
            heard = str(event.analysis.get("transcript") or "") if event.accurate else ""
            if heard and normalise(heard) != normalise(str(event.analysis.get("live_transcript") or "")):
                print(f"   scored on what the accurate pass heard: {heard}")
        elif isinstance(event, ev.ErrorRaised):
            print(f"error: {event.message}\n  Fix: {event.fix}", file=sys.stderr)

    return show


def _run_engine(args, settings, planner, *, needs_models: bool = False):
    """Plan the session (flags and ids are checked before any model loads, unless the plan
    itself needs the models), load the models, run the session in this terminal.

    Returns (plan, session, summary); (None, None, None) when the planner finds nothing to
    ask (a resumed session whose last question was the one cut off). On Ctrl+C or SIGTERM
    the session is left unfinished in the history, and this says how to continue it.
    """
    import threading

    from ..app.plans import start
    from ..app.runtime import Runtime

    runtime = Runtime(settings, stt_override=_opt(args, "stt_model"), llm_override=_opt(args, "llm_model"))
    session = plan = None
    try:
        if not needs_models:
            plan = planner(runtime)
        source = _source(args, settings)
        runtime.load(progress=lambda m: None if args.json else print(f"... {m}", file=sys.stderr))
        if needs_models:
            plan = planner(runtime)
            if plan is None:
                return None, None, None
        session = start(runtime, plan, source=source, on_event=_show_event(args))
        if sys.stdin.isatty():
            keys = {"": session.done, "s": session.skip, "r": session.repeat, "q": session.end}

            def read_keys():
                for line in sys.stdin:
                    action = keys.get(line.strip().lower())
                    if action:
                        action()

            threading.Thread(target=read_keys, daemon=True).start()
        summary = session.run()
    except KeyboardInterrupt:
        if session is not None and session.session_id:
            print(_kept_unfinished(session, plan.config), file=sys.stderr)
        raise
    finally:
        runtime.close()
    return plan, session, summary


def _kept_unfinished(session, config) -> str:
    sid = session.session_id
    if config.format in ("drill", "project"):
        return f"Session {sid} is kept, unfinished, in the history (`interviewer history show {sid}`)."
    return f"Session {sid} is kept, unfinished: `interviewer interview --resume {sid}` continues it."


def _session_outcome(session, config) -> int:
    """Exit status of a session that ran: 1 if it failed or lost an answer, with what to do next
    (the failure itself was printed when it happened)."""
    unsaved = list(getattr(session, "unsaved", ()) or ())
    if getattr(session, "error", None) is None and not unsaved:
        return 0
    if isinstance(session.error, OSError):  # a disk problem: say which, and what to do about it
        from ..errors import os_error

        print(f"error: {os_error(session.error, 'record the session')}", file=sys.stderr)
    if unsaved:
        print(f"error: {len(unsaved)} answer(s) could not be saved to the history (details in the log file).",
              file=sys.stderr)
    if session.session_id:
        print(_kept_unfinished(session, config), file=sys.stderr)
    return 1



def cmd_interview(args, settings) -> int:
    from ..app.plans import plan_interview

    if args.resume:
        from ..app.plans import plan_resume

        resumed = _resumable(args.resume, settings)  # checked before any model loads

        def planner(runtime):  # transcribes the cut-off answer first: needs the models
            return plan_resume(runtime, resumed, max_follow_ups=args.max_follow_ups, on_recovered=lambda turn: None
                               if args.json else print(f"... transcribed the cut-off answer to {turn['question_id']}: "
                                                       f"{turn['text'][:60]!r}", file=sys.stderr))

        plan, session, summary = _run_engine(args, settings, planner, needs_models=True)
        if session is None:
            print(f"Session {resumed['id']} had nothing left to ask; it is now finished. "
                  f"See `interviewer history show {resumed['id']}`.")
            return 0
    else:
        plan, session, summary = _run_engine(args, settings, lambda rt: plan_interview(
            rt, format=args.format, n_questions=args.questions, difficulties=args.difficulty, mode=args.mode,
            seed=args.seed, question_ids=args.question_id, max_follow_ups=args.max_follow_ups,
            persona=args.persona))
    if args.json:
        print(json.dumps({"event": "summary", "session_id": session.session_id, **summary}, default=str))
    else:
        print(f"\nSession {session.session_id}: overall {summary.get('scores', {}).get('overall')}, "
              f"{summary['answers']} answers, {summary['follow_ups_asked']} follow-ups. "
              "See `interviewer history show ID`.")
    return _session_outcome(session, plan.config)


def _resumable(wanted: str, settings) -> dict:
    """The interrupted session to continue ('latest': the newest), checked before any model loads."""
    from ..history import Store

    with Store.open(settings=settings) as store:
        if wanted == "latest":
            rows = store.incomplete_sessions()
            if not rows:
                raise UserError("There is no interrupted session to resume",
                                "Start a new one with `interviewer interview`; `interviewer history` lists past ones.")
            wanted = rows[0]["id"]
        report = store.session(wanted)  # a UserError naming the id if there is none
        if report["status"] == "finished":
            raise UserError(f"Session {wanted} is already finished", "Start a new one with `interviewer interview`.")
        if report["live"]:
            raise UserError(f"Session {wanted} is open in another window of the app", "Continue it there.")
        return {"id": wanted, "format": report["format"], "mode": report["mode"], "persona": report["persona"],
                "settings": report["settings"], "remaining_question_ids": report.get("remaining_question_ids") or []}


def cmd_drill(args, settings) -> int:
    from ..app.plans import plan_drill
    from ..app.reports import drill_from_records

    plan, session, _summary = _run_engine(args, settings, lambda rt: plan_drill(
        rt, target_s=args.target, question_id=args.question_id, concept=args.concept, non_expert=args.non_expert))
    failed = _session_outcome(session, plan.config)
    if failed:
        return failed
    result = drill_from_records(plan, session.records, session.session_id)
    if result is None:
        raise UserError("No answer was recorded", "Speak after the question, or pass --answers WAV.")
    report = result[0]

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
    from ..content.projects import FIELDS, Project
    from ..history import Store

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
    from ..app.plans import plan_rehearsal
    from ..app.reports import rehearsal_result

    def planner(runtime):
        return plan_rehearsal(runtime, runtime.store.project(args.project), pitch_s=args.pitch,
                              deep_dives=args.deep_dives, persona=args.persona, seed=args.seed,
                              max_follow_ups=args.max_follow_ups)

    plan, session, summary = _run_engine(args, settings, planner)
    failed = _session_outcome(session, plan.config)
    if failed:
        return failed
    result = rehearsal_result(plan, session.records, summary, session.session_id, args.pitch)
    _emit(result, args.json, lambda d: json.dumps(d, indent=2, default=str))
    return 0


def cmd_devices(args, settings) -> int:
    from ..audio.devices import list_devices

    devices = list_devices()
    _emit(devices, args.json, lambda ds: "\n".join(
        f"{d['index']:3} {'>' if d['default_input'] else ' '}{'<' if d['default_output'] else ' '} {d['name']} "
        f"(in {d['inputs']}, out {d['outputs']})" for d in ds) or "no audio devices found")
    return 0


def cmd_questions(args, settings) -> int:
    from ..content.bank import CATEGORIES, load_bank

    if args.action in ("draft", "add"):
        return _question_draft(args, settings)
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


def _question_draft(args, settings) -> int:
    """`questions draft FILE [--out F]` and `questions add FILE [--yes]`: what a custom question
    lacks (spoken topics, follow-ups, probes) is drafted off the live path, shown, and saved."""
    import yaml

    from ..content.bank import load_question_file
    from ..dialogue.drafting import draft, needs_draft, save_custom

    if args.file is None:
        raise UserError(f"`questions {args.action}` needs a question file", f"For example: interviewer questions "
                        f"{args.action} my-question.yaml (fields: id, category, prompt, key_points).")
    question = load_question_file(args.file)
    if needs_draft(question):
        with _loaded_llm(args, settings) as llm:
            question = draft(question, llm, progress=lambda m: None if args.json else print(f"... {m}",
                                                                                            file=sys.stderr))
    data = question.model_dump(mode="json", exclude_none=True)
    if args.action == "draft":
        if args.out:
            args.out.write_text(yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=110),
                                encoding="utf-8")
            print(f"Draft written to {args.out}: edit it, then `interviewer questions add {args.out}`.",
                  file=sys.stderr)
        _emit(data, args.json, lambda d: yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=110))
        return 0
    if not args.json:
        print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110))
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("Not saved: `questions add` asks before saving, and there is no terminal to ask in",
                            "Add --yes to save without asking, or use `questions draft FILE --out F` to edit first.")
        if input("Save this question to your questions? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Not saved.")
            return 1
    path = save_custom(question)
    _emit({"saved": str(path), "id": question.id}, args.json,
          lambda d: f"Saved {d['id']} to {d['saved']}: it is in the bank from now on (edit the file to change it).")
    return 0


def _transcriber(args, settings):
    from ..models.registry import active_paths
    from ..speech.stt import SttSettings, Transcriber

    stt_path, _ = active_paths(_opt(args, "stt_model"), _opt(args, "llm_model"), settings)
    return Transcriber(stt_path, SttSettings(cpu_threads=settings.stt_threads))


def cmd_transcribe(args, settings) -> int:
    from ..audio.io import load_audio
    from ..content.bank import load_question_file
    from ..speech.stt import build_prompt

    audio = load_audio(args.audio)
    prompt = None
    if args.question_file:
        q = load_question_file(args.question_file)
        prompt = build_prompt(q.prompt, q.all_cues()[:20])
    from ..speech.final_pass import FinalPass, scoring_transcriber

    engine = scoring_transcriber(settings, _opt(args, "stt_model"), lambda: _transcriber(args, settings))
    transcript = engine.transcribe(audio, prompt)[0] if isinstance(engine, FinalPass) else \
        engine.transcribe(audio, prompt=prompt)
    _emit(transcript.to_dict(), args.json, lambda d: d["text"] or "(no speech detected)")
    return 0


def cmd_score(args, settings) -> int:
    from ..app.score_file import format_score, score_file

    from ..speech.final_pass import scoring_transcriber

    result = score_file(args.input, args.question_file, transcriber=None if args.input.suffix.lower() == ".json"
                        else scoring_transcriber(settings, _opt(args, "stt_model"), lambda: _transcriber(args, settings)))
    _emit(result, args.json, format_score)
    return 0


def cmd_follow_up(args, settings) -> int:
    from ..content.bank import load_question_file
    from ..dialogue.drafting import drafted
    from ..dialogue.wording import Interviewer
    from ..engine.policy import Policy, Thread, text_analysis

    question = load_question_file(args.question_file)
    text = args.answer_text.strip()
    if not text:
        raise UserError("--answer-text is empty", "Pass the candidate's answer as text.")
    with _loaded_llm(args, settings) as llm:
        # A question with no authored topics or follow-ups (a custom one) is drafted once and cached.
        question = drafted(question, llm)
        from ..analysis.embed import shared_embedder
        from ..content.bank import load_bank
        from ..dialogue.off_topic import QuestionIndex

        index = QuestionIndex(list(load_bank()), shared_embedder())  # cached on disk after the first time
        policy = Policy(Interviewer(llm), max_follow_ups=2, pushes_back=False, index=lambda: index)
        thread = Thread(question)
        plan = policy.plan(thread, text)
        decision = policy.word(plan, thread, text)
    coverage = text_analysis(question, text)["key_points"]
    data = {"text": decision.text, "targets": decision.targets, "source": decision.source, "kind": decision.kind,
            "plan": plan.kind.value, "lead_in": decision.lead_in, "covered": coverage["covered"],
            "missed": coverage["missed"], "samples": decision.attempts}
    _emit(data, args.json, lambda d: f"{d['text']}\n  ({d['plan']}, {d['source']}, targets {d['targets']})")
    return 0


def cmd_bench(args, settings) -> int:
    if args.which == "analysis":
        from ..tools.analysis_bench import bench_analysis

        data = bench_analysis()
    elif args.which == "follow-ups":
        from ..tools.followup_review import bench_follow_ups

        parts = ("tuning", "heldout") if args.part == "all" else (args.part,)
        data = bench_follow_ups(parts, stt_override=_opt(args, "stt_model"), llm_override=_opt(args, "llm_model"),
                                settings=settings, free_wording=True if args.free_wording else None)
    elif args.which == "stt":
        from ..tools.stt_bench import bench_stt

        data = bench_stt()
    elif args.which == "history":
        from ..tools.history_bench import bench_history

        data = bench_history()
    else:
        from ..tools.latency_bench import bench_latency

        data = bench_latency(turns=args.turns, stt_override=_opt(args, "stt_model"),
                             llm_override=_opt(args, "llm_model"), settings=settings)
    print(json.dumps(data, indent=2))
    return 0


def cmd_gui(args, settings) -> int:
    from ..gui.app import run_gui

    return run_gui(settings, demo=bool(_opt(args, "demo")), stt_override=_opt(args, "stt_model"),
                   llm_override=_opt(args, "llm_model"))


def cmd_history(args, settings) -> int:
    from .history import cmd_history as run

    return run(args, settings)


COMMANDS = {
    "history": cmd_history,
    "interview": cmd_interview, "drill": cmd_drill, "projects": cmd_projects, "rehearse": cmd_rehearse,
    "models": cmd_models, "demo": cmd_demo, "devices": cmd_devices, "questions": cmd_questions, "transcribe": cmd_transcribe,
    "score": cmd_score, "follow-up": cmd_follow_up, "bench": cmd_bench, "gui": cmd_gui,
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl+C, so the same clean-up runs: the
    session is left unfinished (resumable), recordings are kept, the exit code says why."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def _file_only(message: str, *args) -> None:
    """The traceback of the exception being handled, in the log file only."""
    log.error(message, *args, exc_info=True, extra={"console": False})


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from ..logsetup import setup_logging

    log_path = setup_logging(bool(_opt(args, "verbose")))
    command = args.command or "gui"
    log.info("interviewer %s: %s", __version__, " ".join(sys.argv[1:] if argv is None else argv))
    previous_sigterm = None
    if command != "gui":  # the GUI closes its windows on its own terms
        try:
            previous_sigterm = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread (an embedding program): leave signals alone
            pass
    try:
        from ..config import load_settings

        settings = load_settings()
        if _opt(args, "stt_quality"):
            settings.stt_quality = args.stt_quality
        return COMMANDS[command](args, settings)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        log.info("user error: %s", exc)
        return 1
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `interviewer ... | head`: the reader left; not an error
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except sqlite3.DatabaseError as exc:  # met outside the history commands' own handling
        from ..history.db import db_error

        _file_only("database error")
        print(f"error: {db_error(exc, None)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a disk or path problem no command anticipated: still the system's own words
        from ..errors import os_error

        _file_only("system error")
        print(f"error: {os_error(exc, f'use {exc.filename}' if exc.filename else 'finish')}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: the details go to the log file, not a traceback on screen
        _file_only("unexpected error")
        where = (f"Details are in {log_path}. Please report it with that file." if log_path else
                 "No log file could be written (is the home folder read-only?). Please report the command you ran.")
        print(f"error: unexpected {exc.__class__.__name__}: {exc}\n  {where}", file=sys.stderr)
        return 1
    finally:
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
