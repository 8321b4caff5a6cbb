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


def _meminfo_available():
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


def _address_space_left():
    """Bytes the process may still map under its ``RLIMIT_AS`` (``ulimit -v``)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        used = 0
    return max(soft - used, 0)


def _cgroup_memory_left():
    """Bytes left under a cgroup v2 memory limit (containers), if one is set."""
    try:
        with open("/sys/fs/cgroup/memory.max") as f:
            limit = f.read().strip()
        if limit == "max":
            return None
        with open("/sys/fs/cgroup/memory.current") as f:
            current = int(f.read().strip())
        return max(int(limit) - current, 0)
    except (OSError, ValueError):
        return None


def available_memory():
    """Bytes of memory available to a new allocation (a best estimate).

    The least of the system's ``MemAvailable`` (``/proc/meminfo``; the
    physical memory where the system does not say), what the process's
    address-space limit (``ulimit -v``) leaves and what a cgroup memory
    limit (a container's) leaves.
    """
    limits = [_meminfo_available(), _address_space_left(), _cgroup_memory_left()]
    return min(x for x in limits if x is not None)


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
