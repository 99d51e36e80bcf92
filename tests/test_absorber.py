"""Constructive absorbers: the sign flip (with the output-bias correction) and the width-(n + d) block reproduce f
for odd-linear activations; rank-deficient W_up is refused; the written file holds exactly the block."""
import numpy as np
import pytest

from indexset import absorber as ab
from symbolic.errors import InputError


def planted(d=4, n=12, seed=0, c=1.0):
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    s = list(range(d))
    w_up[s], w_down[:, s] = np.eye(d), -np.eye(d) / c
    return w_up, w_down, s, rng.standard_normal(n), rng.standard_normal(d)


@pytest.mark.parametrize("name,c,c_float", [("relu", "1", 1.0), ("gelu", "1", 1.0), ("silu", "1", 1.0),
                                            ("leaky_relu", "101/100", 1.01)])
def test_sign_flip_with_biases_reproduces_f(name, c, c_float):
    w_up, w_down, s, beta, delta = planted(c=c_float)
    a = ab.sign_flip(w_up, w_down, s, c, beta, delta)
    assert a.width == w_up.shape[0] and a.identity_residual < 1e-14
    assert ab.measured_error(w_up, w_down, a, ab.activation_sigma(name), beta, delta) < 1e-12


def test_sign_flip_without_the_bias_correction_fails():
    w_up, w_down, s, beta, delta = planted()
    a = ab.sign_flip(w_up, w_down, s, 1, beta, delta)
    wrong = ab.Absorber(a.kind, a.w_up, a.w_down, a.up_bias, delta, a.identity_residual)
    assert ab.measured_error(w_up, w_down, wrong, ab.generic_sigma(1), beta, delta) > 1e-3


def test_sign_flip_of_a_wrong_subset_shows_its_residual():
    w_up, w_down, s, beta, delta = planted()
    a = ab.sign_flip(w_up, w_down, s[:-1], 1, beta, delta)
    assert a.identity_residual > 0.1
    assert ab.measured_error(w_up, w_down, a, ab.generic_sigma(1), beta, delta) > 1e-3


@pytest.mark.parametrize("d,n,name", [(3, 7, "gelu"), (5, 5, "relu"), (4, 20, "softplus")])
def test_width_n_plus_d_reproduces_any_block(d, n, name):
    rng = np.random.default_rng(d * n)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    beta, delta = rng.standard_normal(n), rng.standard_normal(d)
    a = ab.width_n_plus_d(w_up, w_down, 1, beta, delta)
    assert a.width == n + d
    assert ab.measured_error(w_up, w_down, a, ab.activation_sigma(name), beta, delta) < 1e-11


def test_width_n_plus_d_needs_rank_d():
    w_up = np.zeros((6, 3))
    w_up[:, 0] = 1.0
    with pytest.raises(InputError, match="rank"):
        ab.width_n_plus_d(w_up, np.ones((3, 6)), 1)
    with pytest.raises(InputError, match="n = 2 < d = 3"):
        ab.width_n_plus_d(np.ones((2, 3)), np.ones((3, 2)), 1)


def test_written_file_is_the_block(tmp_path):
    from safetensors.numpy import load_file
    w_up, w_down, s, beta, delta = planted()
    a = ab.sign_flip(w_up, w_down, s, 1, beta, delta)
    ab.write(tmp_path / "g.safetensors", a)
    back = load_file(str(tmp_path / "g.safetensors"))
    for key, arr in a.tensors().items():
        assert np.array_equal(back[key], arr)
    assert not list(tmp_path.glob(".*tmp"))
