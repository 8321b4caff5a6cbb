"""Text end to end: raw strings in, log-likelihoods and strings out."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skgen.datasets import load_text_corpus
from skgen.markov import MarkovChain
from skgen.pipeline import make_generative_pipeline
from skgen.text import CharTokenizer, WordTokenizer


@pytest.fixture(scope="module")
def docs():
    return load_text_corpus().data[:30]


def test_char_pipeline_scores_and_samples_strings(docs):
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=5))
    pipe.fit(docs[:20])
    ll = pipe.score_samples(docs[20:])
    # a tokenizer adds no Jacobian: the pipeline's likelihood is the chain's
    chain, tokenizer = pipe[-1], pipe[0]
    np.testing.assert_array_equal(
        ll, chain.score_samples(tokenizer.transform(docs[20:]))
    )
    assert np.all(np.isfinite(ll))
    samples = pipe.sample(3, max_length=80, random_state=0)
    assert len(samples) == 3 and all(isinstance(s, str) for s in samples)
    assert all(len(s) <= 80 for s in samples)
    assert samples == pipe.sample(3, max_length=80, random_state=0)
    # unseen characters become the unknown token, with a finite likelihood
    assert np.isfinite(pipe.score_samples(["\u2603 snowman \u2603"])).all()


def test_word_pipeline_and_grid_search(docs):
    pipe = make_generative_pipeline(WordTokenizer(lowercase=True), MarkovChain())
    search = GridSearchCV(pipe, {"markovchain__order": [0, 1, 2]}, cv=3).fit(docs)
    assert search.best_params_["markovchain__order"] in (1, 2)
    words = search.best_estimator_.sample(2, max_length=20, random_state=1)
    assert all(isinstance(s, str) for s in words)


def test_generative_classification_of_strings():
    en = ["the cat sat on the mat", "the dog ran in the park", "a bird in the tree"]
    de = ["der hund lief im park", "die katze sass auf der matte", "ein vogel im baum"]
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    pipe.fit(en + de, ["en"] * 3 + ["de"] * 3)
    assert pipe.predict(["the cat in the park", "der vogel im park"]).tolist() == [
        "en",
        "de",
    ]
    texts, labels = pipe.sample(4, y="de", max_length=30, random_state=0)
    assert all(isinstance(t, str) for t in texts) and set(labels) == {"de"}


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([], ValueError, "no documents|empty"),
        ("one string", TypeError, "string"),
        (["ok", 3], TypeError, "1"),
        (["ok", None], (TypeError, ValueError), "1|missing|None"),
    ],
)
def test_bad_text_input(docs, X, error, match):
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    with pytest.raises(error, match=match):
        pipe.fit(X)
    pipe.fit(docs[:5])
    with pytest.raises(error, match=match):
        pipe.score_samples(X)


def test_one_shot_iterators_are_rejected_clearly(docs):
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    with pytest.raises(TypeError, match="one-shot iterator"):
        pipe.fit(d for d in docs)
    pipe.fit(docs)
    with pytest.raises(TypeError, match=r"one-shot iterator \(generator\)"):
        pipe.score_samples(d for d in docs)
    with pytest.raises(TypeError, match="one-shot iterator"):
        pipe[-1].perplexity(iter(pipe[0].transform(docs)))


def test_a_string_prompt_is_tokenized_by_the_pipeline():
    """A language model's prompt is given as text; samples continue it."""
    from skgen.neural import RNNLanguageModel

    docs = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"]
    model = RNNLanguageModel(
        embedding_dim=8,
        hidden_size=8,
        num_layers=1,
        max_epochs=2,
        early_stopping=False,
        random_state=0,
    )
    pipe = make_generative_pipeline(CharTokenizer(), model).fit(docs * 3)
    samples = pipe.sample(4, prompt="the c", max_length=30, random_state=0)
    assert all(isinstance(s, str) and s.startswith("the c") for s in samples)
    assert all(len(s) <= 30 for s in samples)
    # the same draws as the model given the prompt's tokens
    tokens = pipe[0].transform(["the c"])[0]
    direct = pipe[0].inverse_transform(
        model.sample(4, prompt=tokens, max_length=30, random_state=0)
    )
    assert samples == direct
