"""The language models on the leaderboard: text beside the Markov chains,
continuous sequences beside the HMMs; their options and their errors.

Every fit here is of a few short documents or sequences at the demo budget
(seconds); the full budget is only built, never fitted.
"""

import re

import numpy as np
import pandas as pd
import pytest

from skgen.leaderboard import (
    LeaderboardOptionError,
    format_table,
    prepare,
    register_candidates,
    register_dataset,
    run,
    sample_best,
)
from skgen.neural import RNNLanguageModel, TransformerLanguageModel
from skgen.pipeline import GenerativePipeline
from skgen.text import CharTokenizer, WordTokenizer

DOCS = [f"the cat {i} sat on the mat; the dog {i % 3} ran off" for i in range(6)]
LSTM_DEMO = "RNNLanguageModel(hidden_size=128, num_layers=1, max_epochs=3)"
TRANSFORMER_DEMO = "TransformerLanguageModel(d_model=64, num_layers=2, max_epochs=2)"
LSTM_SEQ = "RNNLanguageModel(hidden_size=64, num_layers=1, max_epochs=100)"
TRANSFORMER_SEQ = "TransformerLanguageModel(d_model=32, num_layers=2, max_epochs=100)"
TIMES = ["fit_time", "score_time"]


def _models(prepared):
    return dict(prepared.candidates)


def test_text_ranks_both_families_beside_the_markov_chains_by_default():
    models = _models(prepare("text", data=DOCS, orders=(1,), smoothing=("additive",)))
    assert list(models) == [
        "MarkovChain(order=1, additive) [char]",
        f"{LSTM_DEMO} [char]",
        f"{TRANSFORMER_DEMO} [char]",
    ]
    lstm = models[f"{LSTM_DEMO} [char]"]
    assert isinstance(lstm, GenerativePipeline)
    assert isinstance(lstm[0], CharTokenizer)
    params = lstm[-1].get_params()
    assert isinstance(lstm[-1], RNNLanguageModel) and params["cell"] == "lstm"
    assert (params["hidden_size"], params["num_layers"], params["max_epochs"]) == (
        128,
        1,
        3,
    )
    assert params["early_stopping"] is False and params["n_threads"] is None
    assert params["random_state"] == 0
    transformer = models[f"{TRANSFORMER_DEMO} [char]"][-1]
    assert isinstance(transformer, TransformerLanguageModel)
    assert transformer.get_params()["d_model"] == 64
    assert transformer.get_params()["max_epochs"] == 2
    assert transformer.get_params()["context_length"] == 64


def test_full_budget_is_the_models_defaults():
    models = _models(prepare("text", data=DOCS, orders=(), lm_budget="full"))
    assert list(models) == [
        "RNNLanguageModel() [char]",
        "TransformerLanguageModel() [char]",
    ]
    for pipeline, cls in zip(
        models.values(), (RNNLanguageModel, TransformerLanguageModel), strict=True
    ):
        expected = cls(random_state=0).get_params()
        assert pipeline[-1].get_params() == expected
    models = _models(
        prepare("sequences", n_sequences=10, hmm_states=(), lm_budget="full")
    )
    assert list(models) == [
        "GMMHMM(n_components=2, n_mix=2)",
        "RNNLanguageModel()",
        "TransformerLanguageModel()",
    ]
    assert (
        models["RNNLanguageModel()"].get_params()
        == RNNLanguageModel(random_state=0).get_params()
    )


def test_lm_chooses_the_families_and_word_level_tokenizes_them_too():
    models = _models(prepare("text", data=DOCS, orders=(), lm=("transformer",)))
    assert list(models) == [f"{TRANSFORMER_DEMO} [char]"]
    models = _models(prepare("text", data=DOCS, orders=(1,), lm=()))
    assert all(name.startswith("MarkovChain") for name in models)
    models = _models(prepare("text", data=DOCS, orders=(), lm=["lstm", "lstm"]))
    assert list(models) == [f"{LSTM_DEMO} [char]"]  # a repeated family is one
    models = _models(prepare("text", data=DOCS, orders=(), level="word"))
    assert list(models) == [f"{LSTM_DEMO} [word]", f"{TRANSFORMER_DEMO} [word]"]
    assert all(isinstance(m[0], WordTokenizer) for m in models.values())


@pytest.mark.parametrize(
    ("dataset", "options", "message"),
    [
        ("text", {"lm": ("gru",)},
         "lm must hold families among ['lstm', 'transformer']; got 'gru'."),
        ("sequences", {"lm": ("lstm", "rnn")},
         "lm must hold families among ['lstm', 'transformer']; got 'rnn'."),
        ("text", {"lm": "lstm"},
         "lm must be a list or tuple, like its default ('lstm', 'transformer'); "
         "got 'lstm'."),
        ("text", {"lm_budget": "fast"},
         "lm_budget must be 'demo' or 'full'; got 'fast'."),
        ("sequences", {"lm_budget": None},
         "lm_budget must be 'demo' or 'full'; got None."),
        ("text", {"data": DOCS[:2], "n_splits": 2, "lm_budget": "full"},
         "lm_budget 'full' trains the language models with early stopping on "
         "held-out documents and needs 2 training documents in every fold; with "
         "2 documents and n_splits 2 the smallest has 1."),
        ("digits", {"lm": ("lstm",)}, "the 'digits' leaderboard takes the options"),
        ("sequences", {"n_sequences": 2, "n_splits": 2, "hmm_states": (1,)},
         "lm trains with early stopping on held-out sequences and needs 2 "
         "training sequences in every fold; with n_sequences 2 and n_splits 2 "
         "the smallest has 1. Use more sequences."),
    ],
)  # fmt: skip
def test_bad_lm_options_fail_before_any_fit(dataset, options, message, monkeypatch):
    def no_fit(*args, **kwargs):
        raise AssertionError("a model was fitted before the options were checked")

    monkeypatch.setattr("skgen.leaderboard._run.cross_validate", no_fit)
    options = {"data": DOCS, **options} if dataset == "text" else options
    with pytest.raises(LeaderboardOptionError) as exc:
        run(dataset, **options)
    assert message in str(exc.value)


def test_the_demo_budget_needs_no_held_out_document():
    # two documents, one per training fold: the demo trains without early stopping
    frame = run("text", data=DOCS[:2], n_splits=2, orders=(), lm=("lstm",))
    assert np.isfinite(frame["loglik_per_sample"]).all()


@pytest.fixture(scope="module")
def text_frame():
    """The language models and a Markov chain on six short documents, 2 folds."""
    options = dict(data=DOCS, orders=(1,), smoothing=("additive",), n_splits=2)
    return prepare("text", **options), run("text", **options)


def test_language_models_are_ranked_in_the_table_of_exact_likelihoods(text_frame):
    prepared, frame = text_frame
    assert sorted(frame["model"]) == sorted(name for name, _ in prepared.candidates)
    assert (frame["group"] == "likelihood").all()
    assert (frame["likelihood_kind"] == "exact").all()
    assert frame["rank"].tolist() == [1, 2, 3]
    means = frame["loglik_per_sample"].to_numpy()
    assert np.all(np.isfinite(means)) and np.all(np.diff(means) <= 0)
    # a step is a character or the end of a document, for every model
    steps = sum(len(d) + 1 for d in DOCS)
    np.testing.assert_allclose(
        frame["nats_per_step"], -frame["loglik_per_sample"] * len(DOCS) / steps
    )
    table = format_table(frame)
    assert re.search(rf"{re.escape(LSTM_DEMO)} \[char\]\s+exact\s", table)


def test_a_language_model_fits_the_data_better_than_nothing(text_frame):
    _, frame = text_frame
    per_step = dict(zip(frame["model"], frame["nats_per_step"], strict=True))
    # far below the uniform distribution over the characters seen
    uniform = np.log(len(set("".join(DOCS))) + 2)
    assert per_step[f"{TRANSFORMER_DEMO} [char]"] < uniform - 0.5
    assert per_step[f"{LSTM_DEMO} [char]"] < uniform - 0.5


def test_samples_of_a_best_language_model_are_strings_capped_by_max_length():
    prepared = prepare("text", data=DOCS, orders=(), lm=("transformer",), max_length=15)
    frame = run("text", data=DOCS, orders=(), lm=("transformer",), n_splits=2)
    name, samples = sample_best(prepared, frame, 4)
    assert name == f"{TRANSFORMER_DEMO} [char]"
    assert len(samples) == 4 and all(isinstance(s, str) for s in samples)
    assert max(len(s) for s in samples) <= 15
    assert set("".join(samples)) <= set("".join(DOCS))
    _, again = sample_best(prepared, frame, 4)
    assert list(again) == list(samples)  # seeded by random_state


def test_continuous_language_models_rank_beside_the_hmms():
    options = dict(n_sequences=10, hmm_states=(2,), n_splits=2)
    prepared = prepare("sequences", **options)
    frame = run("sequences", **options)
    assert sorted(frame["model"]) == sorted(
        ["GaussianHMM(n_components=2)", "GMMHMM(n_components=2, n_mix=2)",
         LSTM_SEQ, TRANSFORMER_SEQ]
    )  # fmt: skip
    assert (frame["group"] == "likelihood").all()
    assert (frame["likelihood_kind"] == "exact").all()
    assert np.isfinite(frame["loglik_per_sample"]).all()
    # samples of a language model: 2-D frames, of the training lengths
    for name in (LSTM_SEQ, TRANSFORMER_SEQ):
        best, samples = sample_best(prepared, frame[frame["model"] == name], 3)
        lengths = {len(x) for x in prepared.dataset.X}
        assert best == name and len(samples) == 3
        assert all(s.shape[1] == 2 and len(s) in lengths for s in samples)


def test_n_jobs_gives_the_same_numbers_with_language_models():
    options = dict(data=DOCS, orders=(), lm=("transformer",), n_splits=2)
    serial = run("text", n_jobs=1, **options).drop(columns=TIMES)
    parallel = run("text", n_jobs=2, **options).drop(columns=TIMES)
    pd.testing.assert_frame_equal(serial, parallel)


def test_reads_gives_a_family_an_option_of_another(monkeypatch):
    monkeypatch.setattr("skgen.leaderboard._registry._DATASETS", {})
    register_dataset(
        "toy", lambda *, random_state, size: size, description="", options={"size": 3}
    )
    with pytest.raises(ValueError, match=r"reads must name options of the 'toy' "
                       r"leaderboard \['size'\]; got \['level'\]"):  # fmt: skip
        register_candidates("toy", lambda **kw: [], reads=("level",))
    seen = {}

    def factory(*, random_state, width, size):
        seen.update(width=width, size=size)
        return []

    register_candidates("toy", factory, options={"width": 1}, reads=("size",))
    with pytest.raises(ValueError, match=r"options \['width'\] are already"):
        register_candidates("toy", factory, options={"width": 2})
    from skgen.leaderboard._registry import get_dataset

    (candidates,) = get_dataset("toy").candidates
    assert candidates.arguments({"width": 4, "size": 5, "other": 6}) == {
        "width": 4,
        "size": 5,
    }
