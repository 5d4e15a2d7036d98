"""The candidate's projects: stored with the history, and grounding the project questions."""

import pytest

from interviewer.content.bank import load_bank
from interviewer.errors import UserError
from interviewer.content.projects import Project, ground_question
from interviewer.history import Store
from interviewer.content.text import content_stems, phrase_in

PROJECT = Project(
    title="Delivery delay predictor",
    problem="Dispatchers could not tell which parcels would arrive late.",
    data="Two years of GPS pings from 300 delivery vans joined with weather reports.",
    approach="Gradient boosted trees on route, traffic and weather features, with a time based split.",
    results="Recall of late deliveries rose from 41 percent to 68 percent at the same precision.",
    impact="Customer complaints about late parcels fell by a fifth after the rollout.",
    lessons="I should have talked to the dispatchers before building the first dashboard.",
    stack=["python", "lightgbm", "airflow"],
)


def test_projects_are_stored_updated_and_deleted(isolated_home):
    store = Store.open()
    pid = store.save_project(PROJECT)
    assert store.project(pid).data.startswith("Two years")
    store.save_project({**store.project(pid).model_dump(), "title": "Late parcel predictor"})
    assert [p["title"] for p in store.projects()] == ["Late parcel predictor"]
    store.delete_project(pid)
    assert store.projects() == []
    with pytest.raises(UserError, match="No project"):
        store.project(pid)


def test_project_questions_are_grounded_in_the_notes():
    bank = load_bank(include_user=False)
    pitch = bank.get("proj-pitch-two-minutes")
    grounded = ground_question(pitch, PROJECT)
    assert "Delivery delay predictor" in grounded.prompt and "{project}" not in grounded.prompt
    data_cues = grounded.key_point("data").cues
    assert any("gps" in c for c in data_cues) and any("vans" in c or "delivery vans" in c for c in data_cues)
    texts = [fu.text for fu in grounded.follow_ups]
    assert any("gps" in t.lower() or "pings" in t.lower() for t in texts)
    # The notes' own words now count as covering the point in a spoken answer.
    said = set(content_stems("we used gps pings from the delivery vans"))
    assert any(phrase_in(c, said) for c in data_cues)
    assert pitch.key_point("data").cues == [c for c in data_cues if c in pitch.key_point("data").cues]
