"""The shared text helpers: each stemmer does its own job (see content/text.py)."""

from interviewer.content.text import content_stems, loose_stem, stem


def test_the_loose_stem_meets_a_doubled_consonant_and_its_root():
    # Before: 'underfitting' -> 'underfitt', so "you said it underfits" never met "underfitting".
    for a, b in (("underfitting", "underfit"), ("embedded", "embedding"), ("embeddings", "embedding"), ("planning", "plan")):
        assert loose_stem(a) == loose_stem(b), (a, b)
    assert loose_stem("called") == "call"  # a double l is the word's own


def test_the_loose_stem_is_eager_where_the_dialogue_needs_it():
    assert loose_stem("causation") == loose_stem("causing")
    assert set(content_stems("the owner")) & set(content_stems("who owns it"))


def test_the_scoring_stem_is_conservative():
    assert stem("overfitted") == stem("overfits") == stem("overfit")
    assert stem("bias") == "bias" and stem("analysis") == "analysis"
    assert stem("layers") != stem("lay")  # no 'er' stripping: unrelated words must not collide


def test_a_word_whisper_split_at_a_token_edge_reads_whole_in_the_transcript():
    """Seen in a report's evidence: "maybe 1 ,000 payments", "a gradient -boosted tree"."""
    from interviewer.transcript import Transcript, Word

    words = ["maybe", "1", ",000", "payments,", "a", "gradient", "-boosted", "tree", "at", "0", ".5", "-", "fine."]
    tr = Transcript([Word(w, i, i + 1) for i, w in enumerate(words)], 14.0)
    assert tr.text == "maybe 1,000 payments, a gradient-boosted tree at 0.5 - fine."


def test_the_loose_stem_of_a_word_ending_in_er_is_the_same_with_ing_and_ed():
    from interviewer.content.text import loose_stem

    assert len({loose_stem(w) for w in ("cluster", "clusters", "clustering", "clustered")}) == 1
    assert len({loose_stem(w) for w in ("filter", "filtering", "filtered")}) == 1
    assert loose_stem("overfitting") == loose_stem("overfit")


def test_a_percent_sign_stays_with_its_number_and_reads_as_said():
    """Whisper writes "5%" as the words "5" and "%"; the "%" was dropped as punctuation and the
    transcript read "we launched to 5 of traffic"."""
    from interviewer.analysis.text import split_word
    from interviewer.speech.stt import _without_bare_marks
    from interviewer.transcript import Word

    heard = [Word("launched", 0.0, 0.4), Word("5", 0.5, 0.7), Word("%", 0.7, 0.9, 0.8), Word("of", 1.0, 1.1),
             Word("-", 1.1, 1.2), Word("...", 1.2, 1.3)]
    kept = _without_bare_marks(heard)
    assert [w.text for w in kept] == ["launched", "5%", "of"]
    assert (kept[1].start, kept[1].end, kept[1].probability) == (0.5, 0.9, 0.8)
    assert split_word("5%") == ["5", "percent"] and split_word("trade-off") == ["trade", "off"]
