"""What the interviewer says: lead-ins in the candidate's own words, authored lines over
templates, redirects, clarifications, and drafting for custom questions. Fast: no model
(the drafting path with the real LLM is in the slow tier at the end)."""

from __future__ import annotations

import json

import pytest

from interviewer.content.bank import load_question_file, parse_question
from interviewer.dialogue.clarify import is_clarifying_question
from interviewer.dialogue.drafting import about_phrase, content_key, draft, drafted, label_phrases, needs_draft, save_custom
from interviewer.dialogue.lead_in import lead_in, to_second_person
from interviewer.dialogue.validate import misattributes, validate
from interviewer.dialogue.wording import Interviewer
from interviewer.engine.policy import Plan, PlanKind, Policy, Thread
from interviewer.paths import REPO_ROOT

QUESTION = load_question_file(REPO_ROOT / "interviewer" / "demo_data" / "question.yaml")
CUSTOM = {
    "id": "custom-feature-scaling", "category": "fundamentals",
    "prompt": "When and why would you scale your features before training a model?",
    "key_points": [
        {"id": "distance", "label": "Distance- and gradient-based models are sensitive to feature scale",
         "cues": ["knn", "svm", "gradient descent", "distance"]},
        {"id": "trees", "label": "Tree models do not need scaling", "cues": ["decision tree", "random forest"]},
        {"id": "fit_on_train", "label": "Fit the scaler on the training data only to avoid leakage",
         "cues": ["fit on training", "leakage", "transform the test"]},
        {"id": "methods", "label": "Describes standardization versus min-max scaling and when each fits",
         "cues": ["standardization", "z score", "min max"]},
    ],
}


# -- lead-ins ------------------------------------------------------------------------------


def test_lead_in_quotes_a_related_clause_in_the_second_person():
    answer = ("So I think the model is fine. I would look at accuracy on a held-out test set, "
              "and we trained a gradient boosting model on usage features.")
    said = lead_in(answer, "Fraud is rare, so how does class imbalance change whether accuracy is the right metric?",
                   avoid=["How would you evaluate a fraud model?"])
    assert said == "You said you would look at accuracy on a held-out test set."
    assert not misattributes(said, answer)


def test_no_lead_in_without_a_related_whole_statement():
    assert lead_in("Bias is underfitting. Variance is overfitting.", "How would you choose k for clustering?") is None
    # a fragment cut at a comma mid-thought is not quoted ("you'd let a sliver of users")
    answer = "I'd let a sliver of users, say one percent, see the new model first."
    said = lead_in(answer, "users percent rollout")
    assert said is None or said == "You said you'd let a sliver of users, say one percent, see the new model first."
    assert lead_in("I'm not sure, maybe it uses regularization.", "regularization strength") is None  # hedged


def test_an_everyday_verb_in_common_does_not_tie_a_quote_to_a_follow_up():
    """Seen in a session: the label-timing follow-up (its key point: "labels come from
    chargebacks...") opened with "You said the features need to come from a low latency
    feature store": the one word the two shared was "come"."""
    answer = "The features need to come from a low latency feature store."
    focus = ("Your fraud labels come from chargebacks. How does their timing affect how you build training and "
             "validation sets? Labels come from chargebacks that arrive weeks later label timing chargeback")
    assert lead_in(answer, focus, avoid=["Take me through your approach to card fraud."]) is None
    assert lead_in(answer, "How fresh are the values in the feature store at scoring time?") is not None


def test_a_clause_cut_out_of_a_sentence_is_not_quoted_as_a_statement():
    """Seen in a session: "You said check before it can be used for training." (from "every
    new feature now goes through a point in time, check before it can be used for training")."""
    answer = "Every new feature now goes through a point in time, check before it can be used for training."
    said = lead_in(answer, "How do you check features before training? point in time check")
    assert said is None or not said.startswith("You said check"), said
    assert lead_in("Half the traffic is the nightly reprocessing job.", "nightly reprocessing traffic") == \
        "You said half the traffic is the nightly reprocessing job."


def test_lead_in_needs_words_the_recogniser_was_sure_of():
    answer = "I would use smote to balance the classes."
    focus = "How does oversampling with SMOTE interact with cross validation? balance classes"
    assert lead_in(answer, focus) is not None
    assert lead_in(answer, focus, confident_words={"i", "would", "use", "to", "balance", "the", "classes"}) is None


@pytest.mark.parametrize("first,second", [
    ("I'd retrain every month", "you'd retrain every month"),
    ("we shipped it behind a flag", "you shipped it behind a flag"),
    ("my team owned the pipeline", "your team owned the pipeline"),
    ("I was on call that week", "you were on call that week"),
])
def test_second_person(first, second):
    assert to_second_person(first) == second


def test_misattribution_is_caught():
    answer = "I would look at accuracy on a held-out test set."
    assert misattributes("You would check the data distribution, so how would you do that?", answer)
    assert misattributes("You mentioned the data distribution. How would you check it?", answer)
    assert not misattributes("How would you check the data distribution?", answer)
    assert validate("You mentioned drift. How would you detect drift in production?", question=QUESTION,
                    topic_terms=["drift"], answer=answer) == "attributes words the candidate did not say"


# -- wording -----------------------------------------------------------------------------------


def test_missed_point_gets_the_banks_line_with_a_lead_in():
    brain = Interviewer(None)
    answer = "Bias is underfitting. To tell which one you have, I would compare the training error with the validation error."
    d = brain.follow_up(QUESTION, answer, "missed", "tradeoff")
    assert d.source == "authored" and d.text.endswith(QUESTION.follow_ups_for("tradeoff")[0].text)
    assert d.lead_in == "You said you would compare the training error with the validation error."
    assert d.text.startswith(d.lead_in)


def test_probe_goes_deeper_on_a_covered_point_and_never_repeats():
    brain = Interviewer(None)
    answer = "Bagging averages many deep trees, which lowers the variance."
    first = brain.follow_up(QUESTION, answer, "probe", "variance_def")
    assert QUESTION.probes_after("variance_def")[0].text in first.text
    second = brain.follow_up(QUESTION, answer, "probe", "variance_def", asked_texts=[first.text])
    assert second.text != first.text


KMEANS_WALKTHROUGH = (
    "I pick k distinct rows at random as the initial centroids, with a fixed seed. In the assignment step I compute "
    "the distance from every point to every centroid and take the argmin, so each point gets its closest centroid. "
    "In the update step each centroid becomes the mean of the points assigned to it. I repeat until the labels stop "
    "changing or I hit a maximum number of iterations, and I print the within cluster sum of squares each time.")


def test_once_everything_is_covered_an_authored_probe_beats_the_template(bank):
    """The assignment step was said most about but has no authored probe: the template asked
    "Let's go one level deeper on assign each point. When would it not work well?"."""
    q = bank.get("code-kmeans")
    covered = ["init", "assign", "update", "converge", "empty", "vectorize"]
    mode, kp = Interviewer(None).choose_target(q, KMEANS_WALKTHROUGH, covered, [], [])
    assert mode == "probe" and q.probes_after(kp.id)
    d = Interviewer(None).follow_up(q, KMEANS_WALKTHROUGH, mode, kp.id)
    assert d.source == "authored" and "one level deeper" not in d.text
    # with no authored probe, the template names the point by its topic and grounds it once
    for seed in range(3):
        text = Interviewer(None).follow_up(q, KMEANS_WALKTHROUGH, "probe", "assign", seed=seed).text
        assert "the assignment step" in text and "assign each point" not in text
        assert sum(text.lower().count(x) for x in ("you said", "you mentioned", "you brought up")) <= 1, text


def test_a_word_the_whole_question_shares_does_not_tie_a_quote(bank):
    """"centroid" is in five of k-means' six key points: a seeding probe opened with "You said
    each point gets the label of its closest centroid." Nor do "cluster" and "clustering" differ."""
    q = bank.get("code-kmeans")
    answer = ("In the assignment step each point gets the label of its closest centroid. I print the within "
              "cluster sum of squares each time.")
    assert Interviewer(None).follow_up(q, answer, "probe", "init").lead_in is None
    seeded = "I pick k distinct rows at random as the initial centroids, with a fixed seed. " + answer
    assert "at random" in Interviewer(None).follow_up(q, seeded, "probe", "init").lead_in


def test_a_probe_the_answer_already_answered_is_not_asked(bank):
    """"...and did you start there?" after "I started with a logistic regression baseline"."""
    q = bank.get("proj-pitch-two-minutes")
    probe = next(p for p in q.probes_after("approach") if p.unless)
    answer = ("Support tickets were routed by hand, so I pulled two years of them from the help desk. I built a "
              "ticket classifier: I started with a TF-IDF and logistic regression baseline, then fine tuned a small "
              "transformer. It reached eighty nine percent accuracy, and it is deployed and used by the support team.")
    covered = ["problem", "data", "approach", "results", "impact"]
    brain = Interviewer(None)
    mode, kp = brain.choose_target(q, answer, covered, ["lessons"], [])
    assert probe.text not in brain.follow_up(q, answer, mode, kp.id).text
    assert probe.text not in brain.follow_up(q, answer, "probe", "approach").text
    vague = answer.replace("I started with a TF-IDF and logistic regression baseline, then ", "I ")
    assert probe.text in brain.follow_up(q, vague, "probe", "approach").text


def _first_follow_up(policy: Policy, thread: Thread, story: str) -> Plan:
    """Plan and ask the thread's first follow-up after `story`; the plan."""
    plan = policy.plan(thread, story)
    decision = policy.word(plan, thread, story)
    thread.answers.append(story)
    thread.asked(decision)
    return plan


def test_after_probing_a_whole_story_the_interviewer_asks_what_it_left_out(bank):
    """A failure story with no lesson was probed twice and never asked what the candidate would
    do differently; the first follow-up still probes the story."""
    policy = Policy(Interviewer(None), max_follow_ups=2, pushes_back=False)
    t = Thread(bank.get("beh-failure-model-in-production"))
    story = ("At my last company I built a demand forecasting model for our grocery delivery business, and the "
             "operations team used it to schedule pickers. I owned the model end to end. Two weeks after we "
             "launched, the warehouse managers complained that they were understaffed on weekend mornings. I dug "
             "into it: the cart feature was computed from a nightly batch table in training, but at serving time it "
             "came from a live stream that lagged by hours on weekends, so it was training serving skew. I rolled "
             "back to the previous model for weekends, rebuilt the feature on one pipeline and retrained.")
    assert _first_follow_up(policy, t, story).kind is PlanKind.PROBE
    reply = ("After the fix the weekend error went back to the weekday level, and the complaints stopped. We also "
             "added a dashboard comparing the training and serving feature distributions every day.")
    assert policy.plan(t, reply) == Plan(PlanKind.MISSED, "ownership")


def test_after_probing_a_whole_story_an_earlier_point_it_told_is_not_asked_again(bank):
    """"I asked for a half hour with him alone and brought the numbers" came out of the
    recogniser as "wind in Malone": the matcher missed how the candidate raised it, and the
    second follow-up asked "How and where did you raise the disagreement?"."""
    policy = Policy(Interviewer(None), max_follow_ups=2, pushes_back=False)
    t = Thread(bank.get("beh-disagree-manager"))
    story = ("A couple of years ago my manager wanted us to ship a new ranking model two weeks early, without the "
             "usual online experiment. I thought that was a bad idea, because the new model had never seen holiday "
             "traffic, so if it went wrong it would hit our biggest revenue week. I asked for a half hour wind in "
             "Malone and brought a short ride up with figures of our last three launches. He explained that "
             "the sales team had already promised the feature to a big partner. So we agreed on a middle ground: we "
             "launched to five percent of traffic with the old model as a fallback. The model held up. What I told "
             "away is that it is easier to change a decision when you understand the pressure your manager is under.")
    first = _first_follow_up(policy, t, story)
    second = policy.plan(t, "It got better. He asked me to review launch plans before they were final.")
    assert second.kind is PlanKind.PROBE, second
    assert second.target != first.target


def test_policy_plans_each_kind_of_reply():
    policy = Policy(Interviewer(None), max_follow_ups=2, pushes_back=False)
    t = Thread(QUESTION)
    assert policy.plan(t, "Can I assume any kind of model for the example?").kind is PlanKind.CLARIFY
    assert policy.plan(t, "Bias is the error of a model that is too simple so it underfits.") == \
        Plan(PlanKind.MISSED, "remedies")  # the last point missed first: the one answers really leave out
    everything = ("High bias means the model is too simple, so it underfits even the training data. Variance means "
                  "it overfits and memorizes the training data. "
                  "The trade-off: more complexity lowers bias and raises variance, total error is bias squared plus "
                  "variance plus irreducible noise. I would compare training error and validation error on a "
                  "learning curve, and fix variance with regularization or more data.")
    assert policy.plan(t, everything).kind is PlanKind.PROBE
    t.follow_ups = 2
    assert policy.plan(t, "Anything at all.").kind is PlanKind.MOVE_ON


def test_an_answer_about_something_else_is_redirected_but_a_story_never_is(bank):
    policy = Policy(Interviewer(None), max_follow_ups=2, pushes_back=False)
    code = bank.get("code-kmeans")
    off = ("Honestly these days I would embed both strings with a sentence transformer, take the cosine similarity, "
           "store them in a FAISS index and call it a match above a threshold. We did exactly that for "
           "company names in our CRM and it scaled to millions of names.")
    plan = policy.plan(Thread(code), off)
    assert plan.kind is PlanKind.REDIRECT
    assert code.prompt in policy.word(plan, Thread(code), off).text
    story = bank.by_category("behavioral")[0]
    assert policy.plan(Thread(story), off).kind is not PlanKind.REDIRECT


def test_clarifying_questions_are_told_from_answers():
    assert is_clarifying_question("Just to check, is it sampling without replacement? And do the events have weights?")
    assert is_clarifying_question("Before I answer, is this a binary classifier?")
    assert not is_clarifying_question("What is overfitting? It is when a model memorises the training data and "
                                      "does badly on new data, so I would regularize.")


# -- drafting custom questions -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank():
    from interviewer.content.bank import load_bank

    return load_bank(include_user=False)


def test_a_custom_question_is_drafted_with_a_follow_up_for_every_point():
    q = parse_question(CUSTOM, "custom")
    assert needs_draft(q)
    d = draft(q)
    assert not needs_draft(d)
    for kp in d.key_points:
        (fu, *_) = d.follow_ups_for(kp.id)
        assert fu.text.endswith("?") and 4 <= len(fu.text.split()) <= 30
    assert len(d.probes) >= 3
    assert d.key_point("fit_on_train").topic == "fitting the scaler on the training data only"
    assert "standardization versus min-max scaling" in d.follow_ups_for("methods")[0].text
    assert [kp.label for kp in d.key_points] == [kp["label"] for kp in CUSTOM["key_points"]]  # the user's words kept


def test_drafted_names_stay_grammatical():
    # a "what" clause keeps its verb: cut, the follow-up asked "... and what the disagreement?"
    assert about_phrase("Describes the dataset and what the labels were") == "the dataset and what the labels were"
    assert about_phrase("Gives the outcome and what they learned") == "the outcome and what you learned"
    # an object's unmarked clause is left out rather than cut at the word limit ("using the purchase")
    assert label_phrases("Uses the click logs the team already has, with timestamps") == ["using the click logs"]
    assert label_phrases("Give each reviewer a short checklist") == ["giving each reviewer a short checklist"]
    assert label_phrases("Track the metrics that matter to the business") == ["tracking the metrics that matter to the business"]
    q = parse_question({**CUSTOM, "key_points": [{"id": "logs", "label": "Uses the click logs the team already has",
                                                   "cues": ["click logs"]}, *CUSTOM["key_points"][1:]]}, "custom")
    line = draft(q).follow_ups_for("logs")[0].text
    assert "using the click logs" in line and "the team already has" not in line, line


def test_a_draft_names_nothing_the_user_did_not_write():
    d = draft(parse_question(CUSTOM, "custom"))
    user_words = set(json.dumps(CUSTOM).lower().replace("-", " ").split())
    for kp in d.key_points:
        if kp.topic:
            assert kp.topic.split()[0].endswith("ing") or set(kp.topic.lower().split()) <= user_words, kp.topic


def test_drafts_are_cached_by_content(tmp_path):
    q = parse_question(CUSTOM, "custom")
    first = drafted(q, None, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 1
    assert drafted(q, None, cache_dir=tmp_path) == first
    changed = parse_question({**CUSTOM, "prompt": CUSTOM["prompt"] + " Give an example."}, "custom")
    assert content_key(changed) != content_key(q)
    drafted(changed, None, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2
    (tmp_path / f"{content_key(q)}.json").write_text("{ not json")  # a damaged entry is drafted again
    assert drafted(q, None, cache_dir=tmp_path) == first


def test_a_saved_custom_question_joins_the_bank(tmp_path):
    from interviewer.content.bank import load_bank

    path = save_custom(draft(parse_question(CUSTOM, "custom")), folder=tmp_path)
    bank = load_bank(extra_dirs=[tmp_path], include_user=False)
    assert bank.get("custom-feature-scaling").follow_ups_for("trees")


@pytest.mark.slow
def test_cli_follow_up_on_a_custom_question_file_drafts_once_and_asks_a_checked_question(tmp_path):
    import yaml
    from helpers import run_json

    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(CUSTOM))
    answer = "I'd standardize everything so gradient descent converges, and I would fit the scaler on all the data."
    out = run_json("follow-up", "--question-file", str(path), "--answer-text", answer, "--json")
    assert out["plan"] in ("missed", "probe") and out["text"].endswith("?")
    assert out["source"] in ("authored", "template") and not out["samples"]  # the 135M model words nothing live
    again = run_json("follow-up", "--question-file", str(path), "--answer-text", answer, "--json")
    assert again["text"] == out["text"]  # the draft was cached by the file's content


def test_the_shipped_question_vectors_cover_the_bank(bank):
    """The built-in bank's vectors ship with the app; after editing the bank, regenerate them:
    .venv/bin/python -m interviewer.dialogue.off_topic"""
    from interviewer.dialogue.off_topic import _key, _load, packaged_vectors_path, question_text

    shipped = _load(packaged_vectors_path())
    stale = [q.id for q in bank if _key(question_text(q)) not in shipped]
    assert not stale, f"{len(stale)} questions changed since the vectors were made: regenerate them"


def test_the_question_index_is_built_on_a_thread_exit_waits_for(monkeypatch):
    """Asked for from a daemon thread (the model loader), the build must still not be a daemon:
    one stopped inside onnxruntime while Python finalises aborts the whole process."""
    import threading

    from interviewer.dialogue import off_topic

    seen = []
    done = threading.Event()
    monkeypatch.setattr(off_topic, "_build", lambda: (seen.append(threading.current_thread().daemon), done.set()))
    monkeypatch.setattr(off_topic, "_shared", None)
    monkeypatch.setattr(off_topic, "_building", threading.Lock())
    caller = threading.Thread(target=off_topic.shared_index, daemon=True)
    caller.start()
    caller.join()
    assert done.wait(5) and seen == [False]


def test_a_lead_in_never_quotes_a_word_the_recogniser_was_unsure_of():
    from interviewer.dialogue.lead_in import heard_words
    from interviewer.transcript import Word

    said = [("I", 0.9), ("would", 0.95), ("use", 0.9), ("smote", 0.3), ("to", 0.9), ("balance", 0.8),
            ("the", 0.9), ("gradient", 0.9), ("-boosted", 0.2), ("classes.", 0.9)]
    heard = heard_words([Word(t, i, i + 1, p) for i, (t, p) in enumerate(said)])
    assert "smote" not in heard and "gradient-boosted" not in heard and {"i", "would", "classes"} <= heard
    answer = "I would use smote to balance the classes."
    focus = "How does oversampling with SMOTE interact with cross validation? balance classes"
    assert lead_in(answer, focus, confident_words=heard) is None
    assert lead_in(answer, focus, confident_words=heard | {"smote"}) is not None


def test_a_clause_already_quoted_is_not_quoted_again():
    """Seen in a session: "You said the training error itself is high." opened two follow-ups in a row."""
    answer = "It underfits, and the training error itself is high. Variance makes the validation error high."
    focus = "Why does bagging do nothing for the training error?"
    first = lead_in(answer, focus)
    assert first == "You said the training error itself is high."
    again = lead_in(answer, focus, quoted=[f"{first} Bagging lowers variance; why not bias?"])
    assert again is None or "training error itself is high" not in again, again  # nor inside a longer clause


def test_the_review_bench_carries_a_thread_to_its_second_follow_up(bank):
    """interviewer bench follow-ups judges the second follow-up too: the reply was written to one
    first follow-up, and the thread goes on as in a session (that question asked, so not asked
    again). A first follow-up that has changed since makes the case stale, not judged."""
    from interviewer.tools.followup_review import reply_for, second_reply_for

    policy = Policy(Interviewer(None), max_follow_ups=2, pushes_back=False)
    q = bank.get("beh-failure-model-in-production")
    story = ("At my last company I built a demand forecasting model for our grocery delivery business. I owned the "
             "model end to end. Two weeks after launch the warehouse managers said they were understaffed on weekend "
             "mornings. I rolled back to the previous model for weekends, rebuilt the feature and retrained.")
    first = reply_for(policy, q, story)
    reply = ("The cause was training serving skew: the cart feature came from a nightly table in training and from a "
             "stream that lagged by hours on weekends in serving. After the fix the weekend error went back to normal.")
    second = second_reply_for(policy, q, story, first["text"], reply)
    assert "stale" not in second and second["text"] and second["text"] != first["text"]
    assert second["targets"] != first["targets"] or not first["targets"]
    assert second_reply_for(policy, q, story, "What metric did you use?", reply) == {"stale": first["text"]}


def test_once_a_follow_up_is_answered_a_general_line_is_not_asked_the_interviewer_moves_on():
    """A custom question whose draft could only give general lines ("What would you add to
    that, if you had another minute?"): the first follow-up may be one, but after the reply a
    second general line re-asked the first (judged bad); the interviewer now moves on."""
    from interviewer.content.bank import load_question_file
    from interviewer.tools.followup_review import REVIEW, load_cases, load_second_cases, second_reply_for

    case = next(c for c in load_second_cases() if c["id"] == "fund-grad-clipping-vague-1-reply")
    parent = next(c for c in load_cases() if c["id"] == case["of"])
    q = drafted(load_question_file(REVIEW / parent["question_file"]), None, cache_dir=REVIEW / "drafts")
    policy = Policy(Interviewer(None), max_follow_ups=2, pushes_back=False)
    general = Interviewer._general_lines(q)
    assert any(line in case["first_follow_up"] for line in general)  # the first follow-up was a general line
    second = second_reply_for(policy, q, parent["answer"], case["first_follow_up"], case["reply"])
    assert second["plan"] == PlanKind.MOVE_ON.value and not any(line in second["text"] for line in general), second


def test_a_story_is_probed_as_a_story_once_its_authored_probes_are_spent(bank):
    """A told story with every point covered and no authored probe left was asked "You mentioned
    the corrected result. Why does that matter here, and what would you trade off?": the
    general probes fit a technique, not an event."""
    q = bank.get("beh-data-was-wrong")
    story = ("The dashboard showed an eleven percent lift. It looked too good, so I traced it to a join that "
             "duplicated rows. The corrected result was two percent. I told leadership before the announcement "
             "and added a row count check to the pipeline. Now I distrust any result that surprises me.")
    spent = [p.text for p in q.probes] + [fu.text for fu in q.follow_ups]
    texts = {Interviewer(None).follow_up(q, story, "probe", kp.id, asked_texts=spent, seed=seed).text
             for kp in q.key_points for seed in range(3)}
    assert len(texts) >= 3
    for text in texts:
        assert "trade off" not in text and "not work well" not in text, text
        assert text.endswith("?") and text.count("?") == 1, text
    from interviewer.llm import prompts

    stems = [line.split("{topic}")[-1].strip(". ")[:20] for line in prompts.lines("fallback_probe_story.txt")]
    assert all(any(stem in text for stem in stems) for text in texts), texts


def test_a_missed_point_beats_a_template_probe_in_the_second_turn_of_a_story(bank):
    """After its first probe a story had no authored probe left, and the template asked "Tell me
    more about the corrected result ..." where the bank has a question for a point the story
    never told (what would catch the problem next time)."""
    q = bank.get("beh-data-was-wrong")
    story = ("We had an A/B test result saying our new search ranking increased revenue per user by eleven percent, "
             "and leadership was already planning to announce it. It looked too good to me. I dug into it and found "
             "that a join between the orders table and the experiment assignment table duplicated orders for users "
             "with multiple devices. After fixing the join the corrected result was about two percent. Honestly I am "
             "not sure how long the join had been there; we fixed the query and assumed things were right after that.")
    covered, asked = ["situation", "cause", "result", "lesson"], ["cause"]
    brain = Interviewer(None)
    mode, kp = brain.choose_target(q, story, covered, ["communicate", "fix"], asked)
    assert (mode, kp.id) == ("missed", "fix")
    # an authored probe left on a told point still comes first
    mode, kp = brain.choose_target(q, story, covered + ["communicate"], ["fix"], asked)
    assert (mode, kp.id) == ("probe", "communicate")
