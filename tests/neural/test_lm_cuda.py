"""The language models on a CUDA device (skipped without one).

Training and cached generation run on the device in float32; a loaded
model is on the CPU and scores in float64. ``benchmarks/gpu_check.py``
measures speed and determinism when a GPU machine is lent.
"""

import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from skgen.neural import RNNLanguageModel, TransformerLanguageModel  # noqa: E402

pytestmark = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA device"
)

TINY = {
    RNNLanguageModel: dict(embedding_dim=8, hidden_size=16, num_layers=2),
    TransformerLanguageModel: dict(
        d_model=16, nhead=2, num_layers=2, dim_feedforward=32, context_length=6
    ),
}


@pytest.fixture(scope="module")
def sequences():
    rng = np.random.RandomState(0)
    return [rng.randint(0, 5, size=rng.randint(1, 30)) for _ in range(80)]


@pytest.mark.parametrize("cls", list(TINY), ids=lambda c: c.__name__)
def test_training_and_cached_generation_on_cuda(cls, sequences):
    lm = cls(device="cuda", max_epochs=3, random_state=0, **TINY[cls]).fit(sequences)
    assert next(lm.module_.parameters()).device.type == "cuda"
    module = lm._eval_module()
    weight = next(module.parameters())
    assert weight.device.type == "cuda" and weight.dtype == torch.float32
    # cached and uncached generation draw the same tokens on the device
    draws = [
        lm._generate_tokens(
            module,
            16,
            None,
            80,
            1.0,
            None,
            None,
            torch.Generator().manual_seed(0),
            cache=cache,
        )
        for cache in (True, False)
    ]
    assert all(
        np.array_equal(a, b) for a, b in zip(draws[0][0], draws[1][0], strict=True)
    )
    np.testing.assert_allclose(draws[0][1], draws[1][1], rtol=1e-4, atol=1e-3)
    samples = lm.sample(8, random_state=0)
    assert [s.tolist() for s in samples] == [
        s.tolist() for s in lm.sample(8, random_state=0)
    ]
    loaded = pickle.loads(pickle.dumps(lm))
    assert next(loaded._eval_module().parameters()).dtype == torch.float64
    np.testing.assert_allclose(
        loaded.score_samples(sequences[:20]),
        lm.score_samples(sequences[:20]),
        rtol=1e-4,
        atol=1e-3,
    )
