"""Bounds on what a request may allocate, checked before any work.

A request whose result cannot fit in memory (``sample(10**9)``, a huge
number of importance samples, a sampling strategy asking for 10**10 rows)
fails at once with an error naming its size, instead of allocating
gigabytes first. Work that can be chunked is chunked by the callers, so the
only memory that grows with a request is its output.
"""

import os

__all__ = ["available_memory", "check_allocation", "format_bytes"]

#: Used when the machine does not say how much memory it has.
_FALLBACK_BYTES = 8 * 2**30


def available_memory():
    """Bytes of memory available to a new allocation (a best estimate).

    ``MemAvailable`` of ``/proc/meminfo`` where the system has it, the
    physical memory otherwise.
    """
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return _FALLBACK_BYTES


def format_bytes(n_bytes):
    """``n_bytes`` in the largest binary unit that keeps it >= 1."""
    value = float(n_bytes)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    raise AssertionError  # unreachable


def check_allocation(n_bytes, what):
    """Raise before a request allocates more memory than the machine has.

    Parameters
    ----------
    n_bytes : int or float
        An estimate of the bytes the request needs (a Python number, so a
        huge request cannot overflow while it is being sized).
    what : str
        The request, as the message names it: ``"sample(n_samples=10**9)"``.

    Raises
    ------
    ValueError
        If ``n_bytes`` exceeds :func:`available_memory`.
    """
    limit = available_memory()
    if n_bytes > limit:
        raise ValueError(
            f"{what} would need about {format_bytes(n_bytes)} of memory, more "
            f"than the {format_bytes(limit)} available; ask for less (or in "
            "batches)."
        )
