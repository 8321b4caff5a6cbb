"""Column kinds of a table: detection, supports and invertible maps to the reals.

:class:`~skgen.tabular.TabularEncoder` decides a *kind* for every column
(:func:`detect_numeric_kind`, or the user's ``column_types``) and encodes each kind
so that a model of the encoded table is a model of the data in the column's
support:

- value kinds map the column through a fixed bijection ``t`` from its
  support onto the reals (:data:`SUPPORT_MAPS`: identity, log, logit) and
  then standardise ``t(x)`` (affine, or the piecewise-linear quantile map of
  :func:`fit_quantile_map`, a ``(knots, scores)`` pair); both steps have
  exact log-Jacobians;
- integer kinds keep the integers on a lattice: the model puts mass on the
  unit bin around each integer (the block kind ``"integer"``);
- discrete kinds are levels (binary, one-hot) with probability reserved for
  levels never seen in training.

numpy only.
"""

import numpy as np
from scipy.special import expit, logit
from scipy.stats import norm

#: Kinds whose values are real numbers with a density (a Jacobian).
VALUE_KINDS = ("continuous", "positive", "nonnegative", "proportion", "bounded")
#: Kinds whose values are integers (a mass on unit bins).
INTEGER_KINDS = ("count", "integer")
#: Kinds whose values are levels.
DISCRETE_KINDS = ("discrete", "binary", "categorical")
#: Every kind ``column_types`` accepts (``"bounded"`` as ``("bounded", low,
#: high)``).
KINDS = VALUE_KINDS + INTEGER_KINDS + DISCRETE_KINDS

#: Detection: a numeric column with at most this many distinct values, each
#: seen on average at least :data:`MIN_LEVEL_COUNT` times, is discrete.
MAX_DISCRETE_LEVELS = 10
MIN_LEVEL_COUNT = 3

#: Detection: a numeric column whose values are integers in at least this
#: share of rows is integer-valued; its rare fractions (sklearn's diabetes
#: ``s3`` holds one 42.5 among 442 whole numbers) get the mass of the unit
#: interval around them, and it samples integers. A column whose kind
#: changed with one row would also change kind between folds.
MIN_INTEGER_SHARE = 0.99

#: Detection: a column without negative values has a non-negative support
#: when a Gaussian of its mean and spread would have shown a value below
#: zero with at least this probability by now (see :func:`bounded_below`).
SIGN_EVIDENCE = 0.75


def bounded_below(values, edge=0.0):
    """Whether values all >= 0 are evidence of a support bounded at 0.

    A column can be positive by nature (a concentration, a price) or by
    chance (30 draws of a Gaussian of mean 2). The test: under a Gaussian of
    the column's mean and standard deviation, the chance ``p`` of a value
    below ``edge`` per row, and the chance ``(1 - p) ** n`` that ``n`` rows
    show none. When that is below ``1 - SIGN_EVIDENCE`` the sign is not
    chance, and the support is taken as bounded. Otherwise a Gaussian would
    rarely go below zero anyway (heights in cm: ``p`` is 1e-60), or there
    are too few rows to tell, and the column is left unbounded, so that a
    held-out negative value keeps a finite likelihood.
    """
    # in units of the largest magnitude: no square overflows (values of 1e300)
    unit = max(np.abs(values).max(), abs(edge)) or 1.0
    scaled = values / unit
    sd = scaled.std()
    if sd == 0:
        return False
    log_p = norm.logcdf((edge / unit - scaled.mean()) / sd)
    # log (1 - p)^n = n log1p(-p)
    return len(values) * np.log1p(-np.exp(log_p)) < np.log1p(-SIGN_EVIDENCE)


def detect_numeric_kind(values):
    """The kind of a numeric column from its observed values (no NaN).

    The rule (documented in :class:`~skgen.tabular.TabularEncoder`):

    1. At most :data:`MAX_DISCRETE_LEVELS` distinct values, each seen on
       average at least :data:`MIN_LEVEL_COUNT` times: ``"binary"`` for two
       values, else ``"discrete"`` (one level per value).
    2. At least :data:`MIN_INTEGER_SHARE` of the values integers (and
       every value below ``2**53`` in magnitude, where floats still have
       fractions): ``"count"`` when none is negative and
       :func:`bounded_below` says that is not chance (at ``-1/2``, the
       edge of the bin of 0), else ``"integer"``.
    3. Otherwise ``"positive"`` when every value is > 0, ``"nonnegative"``
       when the smallest is 0, if :func:`bounded_below` says so; else
       ``"continuous"``.
    """
    levels = np.unique(values)
    if len(levels) <= MAX_DISCRETE_LEVELS and MIN_LEVEL_COUNT * len(levels) <= len(
        values
    ):
        return "binary" if len(levels) == 2 else "discrete"
    # every float above 2**53 is an integer: only smaller ones say anything
    integral = np.mean(values == np.round(values)) >= MIN_INTEGER_SHARE
    if integral and np.abs(values).max() < 2.0**53:
        nonnegative = levels[0] >= 0 and bounded_below(values, -0.5)
        return "count" if nonnegative else "integer"
    if levels[0] < 0 or not bounded_below(values):
        return "continuous"
    return "positive" if levels[0] > 0 else "nonnegative"


def support_of(kind, bounds=None):
    """``(low, high, low_open)`` of a value or integer kind's support."""
    if kind in ("positive", "nonnegative"):
        return 0.0, np.inf, kind == "positive"
    if kind == "proportion":
        return 0.0, 1.0, True
    if kind == "bounded":
        return float(bounds[0]), float(bounds[1]), True
    if kind == "count":
        return 0.0, np.inf, False
    return -np.inf, np.inf, True


def in_support(kind, values, bounds=None, *, integral=True):
    """Which values lie in the kind's support.

    ``integral=True`` requires integers in integer kinds (what ``fit``
    checks); ``integral=False`` only the bounds (what scoring checks: a
    value between integers gets the mass of the unit interval around it,
    see :class:`~skgen.tabular.TabularEncoder`).
    """
    low, high, _ = support_of(kind, bounds)
    with np.errstate(invalid="ignore"):
        if kind in ("positive", "proportion", "bounded"):
            ok = (values > low) & (values < high)
        elif kind in ("nonnegative", "count"):
            ok = values >= low
        else:
            ok = np.isfinite(values)
        if kind in INTEGER_KINDS and integral:
            ok &= values == np.round(values)
    return ok


# ------------------------------------------------------------ support maps
#
# t maps the support onto the reals; each entry is (t, t_inverse,
# log|dt/dx| as a function of t). The nonnegative kind uses the positive map
# on its values above zero (zero is a state of its own).


def _bounded_forward(x, low, high):
    return logit((x - low) / (high - low))


def _bounded_inverse(t, low, high):
    x = low + (high - low) * expit(t)
    # expit rounds to 0 or 1 beyond |t| ~ 37: keep the value inside the
    # open interval
    x = np.where(x <= low, np.nextafter(low, high), x)
    return np.where(x >= high, np.nextafter(high, low), x)


def _bounded_log_derivative(t, low, high):
    # dt/dx = 1 / ((high - low) p (1 - p)), p = expit(t);
    # log p (1 - p) = -softplus(t) - softplus(-t) = -|t| - 2 log1p(exp(-|t|))
    return np.abs(t) + 2 * np.log1p(np.exp(-np.abs(t))) - np.log(high - low)


#: Smallest and largest ``t`` of the log map: ``exp`` stays positive and finite.
_LOG_T_RANGE = (np.log(np.finfo(np.float64).tiny), np.log(np.finfo(np.float64).max))


def _log_forward(x, low, high):
    return np.log(x)


def _log_inverse(t, low, high):
    return np.exp(np.clip(t, *_LOG_T_RANGE))


def _log_log_derivative(t, low, high):
    return -t  # dt/dx = 1/x = exp(-t)


def _identity(x, low, high):
    return x


def _zero(t, low, high):
    return np.zeros_like(t)


SUPPORT_MAPS = {
    "identity": (_identity, _identity, _zero),
    "log": (_log_forward, _log_inverse, _log_log_derivative),
    "logit": (_bounded_forward, _bounded_inverse, _bounded_log_derivative),
}


def support_map(kind):
    """The name of the map of :data:`SUPPORT_MAPS` a kind is encoded with."""
    if kind in ("positive", "nonnegative"):
        return "log"
    if kind in ("proportion", "bounded"):
        return "logit"
    return "identity"


# ------------------------------------------------------------ quantile map
#
# A piecewise-linear map of a column onto standard-normal scores. Knots
# ``q_k`` are the column's quantiles at probabilities ``p_k = (k + 1/2) / n``,
# their images the normal scores ``z_k = Phi^-1(p_k)``; between knots the
# map is linear, and beyond the first and last knot it continues linearly,
# so every real value has a finite image and the map is a bijection of the
# reals. Beyond the end knots the slope is that of
# the secant over the outer tenth of the probabilities on that side (stable
# on small data). Its log-Jacobian is the log of the slope of the segment a
# value falls in: exact, piecewise constant. Equal
# quantiles (ties in the data) are merged into one knot at the mean
# probability of the run, so no segment has zero width. The map is two
# arrays, ``(knots, scores)``.


def fit_quantile_map(values, n_quantiles):
    """``(knots, scores)`` of the quantile map of ``values`` (see above)."""
    n = max(2, min(n_quantiles, len(values)))
    probabilities = (np.arange(n) + 0.5) / n
    knots, first = np.unique(np.quantile(values, probabilities), return_index=True)
    last = np.r_[first[1:], n] - 1
    probabilities = 0.5 * (probabilities[first] + probabilities[last])
    if len(knots) < 2:  # a constant column: one unit-slope segment
        knots = np.array([knots[0] - 0.5, knots[0] + 0.5])
        probabilities = norm.cdf([-0.5, 0.5])
    scores = norm.ppf(probabilities)
    if len(knots) > 2:
        # the tails continue with the slope of the secant over the outer
        # tenth of each side, not of the last segment alone: on a few rows
        # the two most extreme values can be close, and a steep end segment
        # would send held-out values beyond them to absurd scores. Each tail
        # is an extra segment as long as the data's range.
        span = knots[-1] - knots[0]
        inner = np.searchsorted(probabilities, [0.1, 0.9])
        lo = min(max(inner[0], 1), len(knots) - 1)
        hi = max(min(inner[1], len(knots) - 2), 0)
        slope_lo = (scores[lo] - scores[0]) / (knots[lo] - knots[0])
        slope_hi = (scores[-1] - scores[hi]) / (knots[-1] - knots[hi])
        knots = np.r_[knots[0] - span, knots, knots[-1] + span]
        scores = np.r_[
            scores[0] - slope_lo * span, scores, scores[-1] + slope_hi * span
        ]
    return knots, scores


def _segment(values, edges):
    """Segment of each value: 0 below the second edge, the last above."""
    return np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)


def quantile_forward(t, knots, scores):
    """Normal scores of ``t`` under the map ``(knots, scores)``."""
    k = _segment(t, knots)
    slopes = np.diff(scores) / np.diff(knots)
    return scores[k] + (t - knots[k]) * slopes[k]


def quantile_inverse(z, knots, scores):
    """The values whose normal scores are ``z``."""
    k = _segment(z, scores)
    slopes = np.diff(scores) / np.diff(knots)
    return knots[k] + (z - scores[k]) / slopes[k]


def quantile_log_derivative(t, knots, scores):
    """log dz/dt of the map at each value of ``t``."""
    return np.log(np.diff(scores) / np.diff(knots))[_segment(t, knots)]
