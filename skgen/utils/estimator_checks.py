"""skgen's generative-estimator checks (public).

``check_generative_estimator(estimator)`` runs every check on one estimator;
``parametrize_with_checks(estimators)`` turns them into pytest cases. The
checks follow ``DESIGN.md`` §1-2 and choose what to run from the estimator's
tags (:func:`skgen.base.get_generative_tags`: its kind, its data
representation and whether it can be fitted with class labels), never from
class names. The data of each representation, its bad inputs and what its
samples must look like come from the registry
:mod:`skgen.utils._representations`.
"""

import pickle
import warnings
from functools import partial
from numbers import Integral, Real

import joblib
import numpy as np
from scipy.special import logsumexp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

from skgen.base import get_generative_tags
from skgen.utils._representations import get_representation, make_check_data

__all__ = [
    "check_generative_estimator",
    "make_check_data",
    "parametrize_with_checks",
]


def _bad_inputs(representation, X):
    """(description, bad X) pairs that fit and score must reject."""
    return get_representation(representation).bad_inputs(X)


def _score_only(representation):
    """Bad inputs that are bad only against a fitted model (any width is
    fine for a first fit)."""
    return get_representation(representation).score_only


def _n_of(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _fit(estimator, X, y, conditional):
    return estimator.fit(X, y) if conditional else estimator.fit(X)


def _split_sample(out, conditional):
    if conditional:
        assert isinstance(out, tuple) and len(out) == 2, (
            "a model fitted with y must return (X, y) from sample"
        )
        return out
    assert not isinstance(out, tuple), (
        "a model fitted without y must return X alone from sample"
    )
    return out, None


def _assert_same_samples(a, b):
    if hasattr(a, "equals"):
        assert a.equals(b), "samples differ"
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    else:
        assert len(a) == len(b)
        for s, t in zip(a, b, strict=True):
            np.testing.assert_array_equal(s, t)


def _same_params(a, b):
    """Equal parameters, comparing nested estimators by their parameters."""
    if hasattr(a, "get_params") and not isinstance(a, type):
        if type(a) is not type(b):
            return False
        pa, pb = a.get_params(deep=False), b.get_params(deep=False)
        return pa.keys() == pb.keys() and all(_same_params(pa[k], pb[k]) for k in pa)
    if isinstance(a, list | tuple):
        return (
            isinstance(b, list | tuple)
            and len(a) == len(b)
            and all(_same_params(x, y) for x, y in zip(a, b, strict=True))
        )
    return joblib.hash(a) == joblib.hash(b)


def check_not_fitted(estimator, X, y, conditional, representation):
    """``score_samples``, ``score`` and ``sample`` raise NotFittedError."""
    est = clone(estimator)
    for call in (
        lambda: est.score_samples(X),
        lambda: est.score(X),
        lambda: est.sample(2),
    ):
        try:
            call()
        except NotFittedError:
            continue
        raise AssertionError(f"{type(est).__name__} did not raise NotFittedError")


def check_fit_returns_self_and_clones(estimator, X, y, conditional, representation):
    """``fit`` returns self; a clone keeps the parameters, not the fit."""
    est = clone(estimator)
    assert _fit(est, X, y, conditional) is est, "fit must return self"
    twin = clone(est)
    assert _same_params(twin, est), "clone changed the parameters"
    try:
        twin.score_samples(X)
    except NotFittedError:
        return
    raise AssertionError("a clone of a fitted estimator must be unfitted")


def check_score_samples(estimator, X, y, conditional, representation):
    """One finite float log-likelihood per sample; ``score`` is their mean."""
    est = _fit(clone(estimator), X, y, conditional)
    ll = est.score_samples(X)
    assert isinstance(ll, np.ndarray) and ll.shape == (_n_of(X),), (
        f"score_samples must return shape ({_n_of(X)},); got {np.shape(ll)}"
    )
    assert ll.dtype.kind == "f" and np.all(np.isfinite(ll)), (
        "training samples must get finite log-likelihoods"
    )
    np.testing.assert_allclose(est.score(X), ll.mean(), rtol=1e-12)
    assert est.likelihood_kind in ("exact", "lower_bound", "estimate")
    if conditional:
        _check_conditional_scores(est, X, y, ll)


def _check_conditional_scores(est, X, y, ll):
    """Joint below marginal, ``score(X, y)`` its mean, Bayes-rule classes."""
    joint = est.score_samples(X, y)
    assert joint.shape == ll.shape and np.all(joint <= ll + 1e-9), (
        "the joint log p(x, y) cannot exceed the marginal log p(x)"
    )
    np.testing.assert_allclose(est.score(X, y), joint.mean(), rtol=1e-12)
    proba = est.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-10)
    assert set(np.unique(est.predict(X))) <= set(est.classes_)
    n = _n_of(X)
    per_class = np.column_stack(
        [est.score_samples(X, np.full(n, c, dtype=object)) for c in est.classes_]
    )
    np.testing.assert_allclose(
        logsumexp(per_class, axis=1),
        ll,
        rtol=1e-7,
        atol=1e-7,
        err_msg="the marginal log p(x) must be the log-sum over classes of the "
        "joint log p(x, k): score_samples(X) without y must marginalise",
    )
    np.testing.assert_allclose(
        np.exp(per_class - ll[:, None]),
        proba,
        rtol=1e-6,
        atol=1e-9,
        err_msg="predict_proba must be p(x, k) / p(x) (Bayes' rule)",
    )


def _estimate_warnings(call):
    """The messages of the estimate warnings ``call()`` gives, and its value."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = call()
    messages = [
        str(w.message)
        for w in caught
        if issubclass(w.category, UserWarning)
        and "make_generative_scorer" in str(w.message)
    ]
    return messages, value


def check_estimated_likelihood(estimator, X, y, conditional, representation):
    """A sampler's ``score_samples`` is an estimate, and ``score`` says so.

    ``likelihood_kind`` is ``"estimate"``; one finite float per sample,
    the same on every call (fitted once per fit); ``score`` is their mean
    and warns (a UserWarning naming ``make_generative_scorer``) on its
    first call after each fit, and only then.
    """
    est = _fit(clone(estimator), X, y, conditional)
    assert est.likelihood_kind == "estimate", (
        f"a sampler's likelihood_kind must be 'estimate'; got {est.likelihood_kind!r}"
    )
    ll = est.score_samples(X)
    assert isinstance(ll, np.ndarray) and ll.shape == (_n_of(X),), (
        f"score_samples must return shape ({_n_of(X)},); got {np.shape(ll)}"
    )
    assert ll.dtype.kind == "f" and np.all(np.isfinite(ll)), (
        "training samples must get finite log-likelihood estimates"
    )
    np.testing.assert_array_equal(
        est.score_samples(X), ll, err_msg="the estimate changed between calls"
    )
    for attempt in ("after fit", "after a refit"):
        messages, first = _estimate_warnings(lambda: est.score(X))
        again, _ = _estimate_warnings(lambda: est.score(X))
        assert len(messages) == 1 and "estimate" in messages[0], (
            f"score must warn that it is an estimate, naming "
            f"make_generative_scorer, on its first call {attempt}"
        )
        assert not again, "score must warn once per fit, not on every call"
        np.testing.assert_allclose(first, ll.mean(), rtol=1e-12)
        _fit(est, X, y, conditional)
    if conditional:
        _estimate_warnings(
            lambda: _check_conditional_scores(est, X, y, est.score_samples(X))
        )


def _check_samples_follow_their_class(est, n=60):
    """``sample(n, y=k)`` draws from class ``k``: the model gives the class
    ``k`` more posterior mass on those samples than on the samples of the
    other classes (so a sampler that ignores ``y`` fails)."""
    classes = est.classes_
    drawn = [est.sample(n, y=c, random_state=0)[0] for c in classes]
    for k, c in enumerate(classes):
        own = est.predict_proba(drawn[k])[:, k].mean()
        others = np.mean(
            [est.predict_proba(d)[:, k].mean() for j, d in enumerate(drawn) if j != k]
        )
        assert own > others, (
            f"sample(n, y={c!r}) must draw from class {c!r}: the model's "
            f"p({c!r} | x) is {own:.3f} on those samples and {others:.3f} on "
            "the samples of the other classes"
        )


def check_sample_representation(estimator, X, y, conditional, representation):
    """``sample`` returns data in the representation ``fit`` accepted."""
    est = _fit(clone(estimator), X, y, conditional)
    n = 7
    Xs, ys = _split_sample(est.sample(n, random_state=0), conditional)
    if conditional:
        assert np.shape(ys) == (n,) and set(np.unique(ys)) <= set(np.unique(y))
        Xc, yc = est.sample(4, y=y[0], random_state=0)
        assert _n_of(Xc) == 4 and np.all(yc == y[0])
        _check_samples_follow_their_class(est)
    assert _n_of(Xs) == n, f"sample({n}) returned {_n_of(Xs)} samples"
    get_representation(representation).check_samples(Xs, X, n)
    # samples are data the model can score
    assert np.all(np.isfinite(est.score_samples(Xs))) or (
        est.likelihood_kind == "estimate"
    )
    for bad in (0, -1):
        try:
            est.sample(bad)
        except ValueError as exc:
            assert f"n_samples must be >= 1; got {bad}" in str(exc), str(exc)
        else:
            raise AssertionError(f"sample({bad}) must raise ValueError")


def check_sample_requests(estimator, X, y, conditional, representation):
    """Impossible ``sample`` requests fail at once with a clear error.

    A request whose output cannot fit in memory names its size before any
    work, and a bad ``random_state`` names the parameter; neither changes
    the model.
    """
    est = _fit(clone(estimator), X, y, conditional)
    before = joblib.hash(est)
    for n in (10**15, 10**30):
        try:
            est.sample(n)
        except ValueError as exc:
            assert "would need about" in str(exc), str(exc)
        else:
            raise AssertionError(f"sample({n}) must raise ValueError")
    for bad, error in ((-1, ValueError), ("abc", TypeError)):
        try:
            est.sample(2, random_state=bad)
        except error as exc:
            assert "random_state must be" in str(exc), str(exc)
        else:
            raise AssertionError(f"sample(random_state={bad!r}) must raise")
    assert joblib.hash(est) == before, "a rejected request changed the model"


def check_sample_seeding(estimator, X, y, conditional, representation):
    """Int seeds repeat draws, None gives fresh ones, sampling changes nothing."""
    est = _fit(clone(estimator), X, y, conditional)
    before = joblib.hash(est)
    a, _ = _split_sample(est.sample(20, random_state=3), conditional)
    b, _ = _split_sample(est.sample(20, random_state=3), conditional)
    try:
        _assert_same_samples(a, b)
    except AssertionError as exc:
        raise AssertionError(
            "sample(random_state=3) twice must give the same draws: draw from "
            "the generator the base hands the sampling hook (its rng "
            "argument), never from np.random or torch's global generator"
        ) from exc
    c, _ = _split_sample(est.sample(20), conditional)
    d, _ = _split_sample(est.sample(20), conditional)
    try:
        _assert_same_samples(c, d)
    except AssertionError:
        pass
    else:
        raise AssertionError("random_state=None must give fresh draws")
    assert joblib.hash(est) == before, "sample must not change the model"


def _round_trips(est):
    """``est`` after a pickle and a ``skops.io`` round trip.

    skops must need no trusted type beyond :func:`skgen.utils.trusted_types`
    and the estimator's own classes.
    """
    import skops.io as sio

    from skgen.utils import trusted_types

    dumped = sio.dumps(est)
    untrusted = set(sio.get_untrusted_types(data=dumped))
    own = {
        f"{type(e).__module__}.{type(e).__qualname__}"
        for e in [est, *est.get_params(deep=True).values()]
        if hasattr(e, "get_params")
    }
    missing = untrusted - set(trusted_types()) - own
    assert not missing, f"skops needs undocumented trusted types: {missing}"
    return [
        pickle.loads(pickle.dumps(est)),
        sio.loads(dumped, trusted=sorted(untrusted)),
    ]


def check_persistence(estimator, X, y, conditional, representation):
    """pickle and skops round-trips keep samples and scores.

    skops must need no trusted type beyond :func:`skgen.utils.trusted_types`
    and the estimator's own classes.
    """
    est = _fit(clone(estimator), X, y, conditional)
    ref_scores = est.score_samples(X)
    ref_samples, _ = _split_sample(est.sample(5, random_state=1), conditional)
    for loaded in _round_trips(est):
        np.testing.assert_array_equal(loaded.score_samples(X), ref_scores)
        samples, _ = _split_sample(loaded.sample(5, random_state=1), conditional)
        _assert_same_samples(samples, ref_samples)


def _changed_value(estimator, name, value):
    """Another valid value of parameter ``name``, or None when there is none.

    Booleans flip, ints grow by one, floats halve (or become 0.5), strings
    take another of their ``StrOptions``, tuples of ints grow elementwise.
    """
    from skgen.utils._compat import StrOptions

    constraints = getattr(estimator, "_parameter_constraints", {}).get(name, [])
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        for c in constraints:
            if isinstance(c, StrOptions):
                others = sorted(c.options - {value})
                if others:
                    return others[0]
        return None
    if isinstance(value, Integral):
        return value + 1
    if isinstance(value, Real):
        return value / 2 if value else 0.5
    if (
        isinstance(value, tuple)
        and value
        and all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
    ):
        return tuple(v + 1 for v in value)
    return None


def _changed_params(estimator):
    """Changed values for every scalar parameter, nested ones included."""
    changed = {}
    params = estimator.get_params(deep=True)
    for name, value in params.items():
        owner, _, leaf = name.rpartition("__")
        new = _changed_value(params[owner] if owner else estimator, leaf, value)
        if new is not None:
            changed[name] = new
    return changed


def _outputs(est, X, conditional):
    scores = est.score_samples(X)
    samples, _ = _split_sample(est.sample(5, random_state=0), conditional)
    proba = est.predict_proba(X) if conditional else None
    return scores, samples, proba


def check_set_params_after_fit(estimator, X, y, conditional, representation):
    """``set_params`` on a fitted model changes nothing until the next fit.

    A fitted model's methods read fitted state only (DESIGN.md §1): after
    changing every parameter, scores, samples and class probabilities are
    exactly as before, and so are they after a pickle round trip.
    """
    est = _fit(clone(estimator), X, y, conditional)
    scores, samples, proba = _outputs(est, X, conditional)
    est.set_params(**_changed_params(est))
    for model in (est, pickle.loads(pickle.dumps(est))):
        new_scores, new_samples, new_proba = _outputs(model, X, conditional)
        np.testing.assert_array_equal(
            new_scores, scores, err_msg="set_params changed score_samples"
        )
        _assert_same_samples(new_samples, samples)
        if conditional:
            np.testing.assert_array_equal(new_proba, proba)


def check_model_selection(estimator, X, y, conditional, representation):
    """cross_val_score and GridSearchCV work with the default scoring."""
    est = clone(estimator)
    cv = KFold(3, shuffle=True, random_state=0)
    fit_y = y if conditional else None
    scores = cross_val_score(est, X, fit_y, cv=cv, error_score="raise")
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
    name, value = next(iter(sorted(est.get_params(deep=False).items())))
    search = GridSearchCV(est, {name: [value, value]}, cv=cv, error_score="raise")
    search.fit(X, fit_y)
    assert np.isfinite(search.best_score_)
    expected = cross_val_score(est, X, fit_y, cv=cv).mean()
    np.testing.assert_allclose(search.best_score_, expected, rtol=1e-7)


def check_bad_input(estimator, X, y, conditional, representation):
    """Bad input gets a ValueError or TypeError and loses nothing.

    An input that is good data of another representation the estimator
    takes (a 3-D array, for a model of token and continuous sequences) must
    still be refused by a fitted model's ``score_samples``.
    """
    score_only = _score_only(representation) | {
        what
        for other in _representations(estimator)
        if other != representation
        for what in get_representation(other).accepts
    }
    for what, bad in _bad_inputs(representation, X):
        if what in score_only:
            continue
        est = clone(estimator)
        try:
            est.fit(bad)
        except (ValueError, TypeError):
            pass
        else:
            raise AssertionError(f"fit accepted bad input: {what}")
    est = _fit(clone(estimator), X, y, conditional)
    before = joblib.hash(est)
    for what, bad in _bad_inputs(representation, X):
        try:
            est.score_samples(bad)
        except (ValueError, TypeError):
            pass
        else:
            raise AssertionError(f"score_samples accepted bad input: {what}")
        if what in score_only:
            continue
        try:  # a failed refit must leave the fitted model as it was
            est.fit(bad)
        except (ValueError, TypeError):
            pass
    assert joblib.hash(est) == before, "a rejected input changed the model"
    est.score_samples(X)


def _domains(X, domain):
    """The samples of the first domain (sorted) and of the second."""
    first = domain == np.unique(domain)[0]
    return X[first], X[~first]


def _translations(est, X, domain):
    Xa, Xb = _domains(X, domain)
    return est.transform(Xa), est.inverse_transform(Xb)


def check_translator_not_fitted(estimator, X, y, conditional, representation):
    """``transform`` and ``inverse_transform`` raise NotFittedError."""
    est = clone(estimator)
    for method in ("transform", "inverse_transform"):
        try:
            getattr(est, method)(X)
        except NotFittedError:
            continue
        raise AssertionError(f"{method} before fit did not raise NotFittedError")


def check_translator_fit_returns_self_and_clones(
    estimator, X, y, conditional, representation
):
    """``fit(X, domain)`` returns self; a clone keeps the parameters only."""
    est = clone(estimator)
    assert est.fit(X, y) is est, "fit must return self"
    twin = clone(est)
    assert _same_params(twin, est), "clone changed the parameters"
    try:
        twin.transform(X)
    except NotFittedError:
        return
    raise AssertionError("a clone of a fitted translator must be unfitted")


def check_translator_round_trip(estimator, X, y, conditional, representation):
    """Translations have the other domain's shape and dtype, both ways.

    ``transform`` maps samples of the first domain (``np.unique(domain)[0]``)
    to the second and ``inverse_transform`` back; the round trip has the
    shape and dtype of the input. Translating is deterministic and leaves
    the model unchanged.
    """
    est = clone(estimator).fit(X, y)
    before = joblib.hash(est)
    Xa, Xb = _domains(X, y)
    for name, out, source, target in (
        ("transform", est.transform(Xa), Xa, Xb),
        ("inverse_transform", est.inverse_transform(Xb), Xb, Xa),
    ):
        expected = (_n_of(source), np.shape(target)[1])
        assert np.shape(out) == expected, (
            f"{name} must return shape {expected}; got {np.shape(out)}"
        )
        assert np.asarray(out).dtype.kind == "f", f"{name} must return floats"
        assert np.all(np.isfinite(np.asarray(out, dtype=float))), (
            f"{name} returned non-finite values"
        )
    back = est.inverse_transform(est.transform(Xa))
    assert np.shape(back) == np.shape(Xa), (
        f"the round trip must return shape {np.shape(Xa)}; got {np.shape(back)}"
    )
    assert np.asarray(back).dtype == np.asarray(Xa).dtype, (
        f"the round trip must keep dtype {np.asarray(Xa).dtype}; got "
        f"{np.asarray(back).dtype}"
    )
    first, second = _translations(est, X, y), _translations(est, X, y)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="translation is not deterministic")
    assert joblib.hash(est) == before, "translating must not change the model"


def check_translator_seeding(estimator, X, y, conditional, representation):
    """The same ``random_state`` gives the same fitted translator."""
    est = clone(estimator)
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    first = _translations(clone(est).fit(X, y), X, y)
    second = _translations(clone(est).fit(X, y), X, y)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(
            a, b, err_msg="two fits with the same random_state translate differently"
        )


def check_translator_persistence(estimator, X, y, conditional, representation):
    """pickle and skops round-trips translate as the original does."""
    est = clone(estimator).fit(X, y)
    reference = _translations(est, X, y)
    for loaded in _round_trips(est):
        for a, b in zip(_translations(loaded, X, y), reference, strict=True):
            np.testing.assert_array_equal(a, b)


def check_translator_bad_input(estimator, X, y, conditional, representation):
    """Bad samples or domains get a ValueError or TypeError and lose nothing.

    Bad samples (NaN, empty, wrong type, wrong width) for ``fit``,
    ``transform`` and ``inverse_transform``; for ``fit``, a missing domain,
    one domain only, three domains, or a domain per sample missing.
    """
    score_only = _score_only(representation)
    n = _n_of(X)
    bad_domains = [
        ("no domain", None),
        ("one domain", np.zeros(n, dtype=int)),
        ("three domains", np.arange(n) % 3),
        ("a domain missing", y[:-1]),
    ]
    bad_fits = [
        (what, bad, np.arange(_n_of(bad)) % 2)
        for what, bad in _bad_inputs(representation, X)
        if what not in score_only
    ] + [(what, X, domain) for what, domain in bad_domains]
    for what, bad, domain in bad_fits:
        try:
            clone(estimator).fit(bad, domain)
        except (ValueError, TypeError):
            pass
        else:
            raise AssertionError(f"fit accepted bad input: {what}")
    est = clone(estimator).fit(X, y)
    before = joblib.hash(est)
    for what, bad in _bad_inputs(representation, X):
        for method in ("transform", "inverse_transform"):
            try:
                getattr(est, method)(bad)
            except (ValueError, TypeError):
                pass
            else:
                raise AssertionError(f"{method} accepted bad input: {what}")
    for _, bad, domain in bad_fits:
        try:  # a failed refit must leave the fitted translator as it was
            est.fit(bad, domain)
        except (ValueError, TypeError):
            pass
    assert joblib.hash(est) == before, "a rejected input changed the model"


_CHECKS = (
    check_not_fitted,
    check_fit_returns_self_and_clones,
    check_score_samples,
    check_sample_representation,
    check_sample_requests,
    check_sample_seeding,
    check_persistence,
    check_set_params_after_fit,
    check_model_selection,
    check_bad_input,
)

#: The checks of each kind: a density gets them all; a sampler the
#: sampling checks and the estimate-likelihood check instead of the
#: likelihood and default-scoring ones; a translator its own.
_CHECKS_BY_KIND = {
    "density": _CHECKS,
    "sampler": (
        check_not_fitted,
        check_fit_returns_self_and_clones,
        check_estimated_likelihood,
        check_sample_representation,
        check_sample_requests,
        check_sample_seeding,
        check_persistence,
        check_set_params_after_fit,
        check_bad_input,
    ),
    "translator": (
        check_translator_not_fitted,
        check_translator_fit_returns_self_and_clones,
        check_translator_round_trip,
        check_translator_seeding,
        check_translator_persistence,
        check_translator_bad_input,
    ),
}


def _representations(estimator):
    """The representations to check: the estimator's own, DataFrames too for
    a tabular model whose sklearn tags say it takes categorical input, and
    those a class declares in ``_extra_representations`` (a language model
    takes token and continuous sequences)."""
    representation = get_generative_tags(estimator).representation
    extra = list(getattr(estimator, "_extra_representations", ()))
    variant = get_representation(representation).categorical_variant
    if variant is not None and estimator.__sklearn_tags__().input_tags.categorical:
        return [representation, variant, *extra]
    return [representation, *extra]


def _yield_checks(estimator):
    """Yield ``(check, conditional, representation)`` for an estimator."""
    tags = get_generative_tags(estimator)
    checks = _CHECKS_BY_KIND[tags.kind]
    # a translator's labels are its domains, in every check
    conditional_too = tags.conditional and tags.kind != "translator"
    modes = (False, True) if conditional_too else (False,)
    for representation in _representations(estimator):
        X, y = make_check_data(representation)
        for conditional in modes:
            for check in checks:
                if conditional and check is check_bad_input:
                    continue  # labels do not change input validation
                yield (
                    partial(
                        check,
                        X=X,
                        y=y,
                        conditional=conditional,
                        representation=representation,
                    ),
                    conditional,
                    representation,
                )


def check_generative_estimator(estimator):
    """Run every skgen generative check on an estimator.

    The checks: clone; ``NotFittedError`` before fit; ``fit`` returns self;
    ``score_samples`` shape and ``score == mean(score_samples)``; ``sample``
    shape, dtype and representation (ragged sequences, strings, DataFrames),
    ``n_samples < 1`` rejected, requests too large for memory and bad
    ``random_state`` rejected at once; int ``random_state`` repeats draws, ``None``
    gives fresh ones and sampling leaves the model unchanged; pickle and
    ``skops.io`` round-trips (only :func:`skgen.utils.trusted_types` needed);
    ``set_params`` on a fitted model changes none of its outputs;
    ``cross_val_score`` and ``GridSearchCV`` with default scoring; clear
    errors for bad input (NaN, empty, wrong type, wrong width) that leave a
    fitted model unchanged. Models that accept class labels run the checks
    both without and with ``y``; tabular models whose sklearn tags accept
    categorical input run them on arrays and on mixed-type DataFrames.

    The kind in the tags chooses the checks. A *density* gets all of the
    above. A *sampler* (``likelihood_kind="estimate"``) gets the sampling,
    persistence, ``set_params`` and bad-input checks, and instead of the
    likelihood and default-scoring checks, :func:`check_estimated_likelihood`
    (a deterministic estimate per sample; ``score`` warns once per fit,
    naming ``make_generative_scorer``). A *translator* is fitted with
    ``fit(X, domain)`` on two domains and gets its own checks: NotFittedError,
    clone, ``transform`` (first domain to second) and ``inverse_transform``
    shapes and dtypes and their round trip, deterministic translation, the
    same fit for the same ``random_state``, pickle and skops round trips, and
    bad samples and bad domains refused without changing the model.

    Parameters
    ----------
    estimator : estimator instance
        An unfitted skgen generative estimator.

    Raises
    ------
    AssertionError
        From the first check that fails, naming it.
    """
    for check, conditional, representation in _yield_checks(estimator):
        try:
            check(estimator)
        except AssertionError as exc:
            mode = "with y" if conditional else "without y"
            raise AssertionError(
                f"{check.func.__name__} ({mode}, {representation}): {exc}"
            ) from exc


def parametrize_with_checks(estimators):
    """Pytest parametrization over estimators and skgen's checks.

    Parameters
    ----------
    estimators : list of estimator instances

    Returns
    -------
    decorator : ``pytest.mark.parametrize("estimator, check", ...)``

    Examples
    --------
    >>> from skgen.markov import MarkovChain
    >>> from skgen.utils.estimator_checks import parametrize_with_checks
    >>> @parametrize_with_checks([MarkovChain(order=1)])
    ... def test_generative(estimator, check):
    ...     check(estimator)
    """
    import pytest

    params, ids = [], []
    for est in estimators:
        own = get_generative_tags(est).representation
        for check, conditional, representation in _yield_checks(est):
            params.append((est, check))
            mode = "-y" if conditional else ""
            rep = "" if representation == own else f"-{representation}"
            ids.append(f"{est!r}-{check.func.__name__}{mode}{rep}")
    return pytest.mark.parametrize("estimator, check", params, ids=ids)
