"""Check bank files while writing them: python tests/bank_parts/check.py FILE [FILE ...]"""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from interviewer.content.bank import Bank, lint_question, load_file  # noqa: E402

questions = []
for name in sys.argv[1:]:
    questions.extend(load_file(Path(name)))
Bank(questions)  # raises on duplicate ids
problems = [p for q in questions for p in lint_question(q)]
print("\n".join(problems) or "no problems")
print(len(questions), "questions", dict(Counter(q.category for q in questions)), dict(Counter(q.difficulty for q in questions)))
sys.exit(1 if problems else 0)
