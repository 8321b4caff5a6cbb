"""Warnings that point at the user's line.

``warnings.warn(..., stacklevel=n)`` with ``n`` counted by hand breaks when
a decorator or a comprehension frame is added or removed (Python 3.12
inlines comprehensions), so skgen computes the caller instead: the first
frame outside skgen and outside the decorators skgen wraps its methods in.
"""

import os
import sys
import warnings

__all__ = ["warn"]

_SKGEN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _wrapper_files():
    """Files of the sklearn decorators around skgen's methods."""
    import sklearn

    root = os.path.dirname(os.path.abspath(sklearn.__file__))
    return {
        os.path.join(root, "base.py"),  # _fit_context
        os.path.join(root, "utils", "_set_output.py"),  # wrapped transform
        os.path.join(root, "utils", "_available_if.py"),
        os.path.join(root, "utils", "_param_validation.py"),
    }


def _is_internal(filename, wrappers):
    return filename.startswith(_SKGEN_DIR) or filename in wrappers


def caller_stacklevel():
    """The ``stacklevel`` of the first frame outside skgen, for the caller.

    Counted for a ``warnings.warn`` called by the function that calls this
    one.
    """
    wrappers = _wrapper_files()
    frame = sys._getframe(2)  # the function that will call warnings.warn
    level = 1
    while frame is not None and _is_internal(
        os.path.abspath(frame.f_code.co_filename), wrappers
    ):
        frame = frame.f_back
        level += 1
    return level


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first frame outside skgen.

    Parameters
    ----------
    message : str
    category : type of Warning, default=UserWarning
    """
    warnings.warn(message, category, stacklevel=caller_stacklevel() + 1)
