"""Fixtures of the neural tests."""

import pytest


@pytest.fixture(scope="module")
def one_torch_thread():
    """torch on one thread for a module's tests, the caller's count restored."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
