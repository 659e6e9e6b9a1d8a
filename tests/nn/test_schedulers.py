import numpy as np
import pytest

from cnnlab import Adagrad, AdagradMomentum, Adam, Constant, Momentum, RMS_prop
from cnnlab.nn.schedulers import make_scheduler

GRADIENTS = [1.0, 2.0, -1.0]

# Worked out by hand (a pocket calculator) for the gradient sequence 1, 2, -1.
HAND_COMPUTED = [
    (Constant(0.1), [0.1, 0.2, -0.1]),
    (Momentum(0.1, 0.9), [0.1, 0.29, 0.161]),
    (Adagrad(0.1), [0.1, 0.2 / np.sqrt(5), -0.1 / np.sqrt(6)]),
    (AdagradMomentum(0.1, 0.9), [0.1, 0.09 + 0.2 / np.sqrt(5), 0.16149845 - 0.1 / np.sqrt(6)]),
    (RMS_prop(0.1, 0.9), [0.1 / np.sqrt(0.1), 0.2 / 0.7, -0.1 / np.sqrt(0.541)]),
    # Adam, step 2: m = 0.29, v = 0.004999; m/(1-0.81) = 1.5263158, v/(1-0.998001) = 2.5007504
    (Adam(0.1, 0.9, 0.999), [0.1, 0.1 * 1.5263158 / np.sqrt(2.5007504), 0.0420089]),
]


@pytest.mark.parametrize("scheduler, expected", HAND_COMPUTED, ids=lambda s: repr(s)[:20])
def test_three_steps_match_hand_computed_values(scheduler, expected):
    scheduler = scheduler.fresh()
    changes = [float(scheduler.update_change(np.array([g]))[0]) for g in GRADIENTS]
    np.testing.assert_allclose(changes, expected, rtol=2e-6)


def test_fresh_copies_do_not_share_state():
    prototype = Adam(1e-3)
    first, second = prototype.fresh(), prototype.fresh()
    first.update_change(np.ones(3))
    assert first.t == 1 and second.t == 0 and prototype.t == 0
    assert second.moment is None


def test_adam_bias_correction_counts_steps_not_resets():
    adam = Adam(0.1)
    adam.update_change(np.array([1.0]))
    # The notes' Adam moved its correction counter on in reset(); ours clears the state.
    adam.reset()
    assert adam.t == 0
    np.testing.assert_allclose(adam.update_change(np.array([1.0])), [0.1], rtol=1e-6)


def test_float32_state_stays_float32():
    for name in ("Adam", "RMS_prop", "Adagrad", "Momentum"):
        scheduler = make_scheduler(name, 1e-3)
        change = scheduler.update_change(np.ones(4, dtype=np.float32))
        assert change.dtype == np.float32, name


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: Adam(eta=-1.0), ValueError, "eta must be > 0.0, got -1.0"),
        (lambda: Adam(eta="fast"), TypeError, "eta must be a real number, got 'fast'"),
        (lambda: Momentum(0.1, momentum=1.5), ValueError, "momentum must be <= 1.0, got 1.5"),
        (lambda: RMS_prop(0.1, rho=1.0), ValueError, "rho must be < 1.0, got 1.0"),
        (lambda: make_scheduler("sgd", 0.1), ValueError, "scheduler must be one of"),
    ],
)
def test_badhyper_parameters(call, error, message):
    with pytest.raises(error, match=message):
        call()


def _torch_trajectory(torch, make_optimizer, gradients):
    parameter = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([parameter])
    for gradient in gradients:
        parameter.grad = torch.tensor(gradient)
        optimizer.step()
    return parameter.detach().numpy()


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: Constant(0.05), lambda t, p: t.optim.SGD(p, lr=0.05)),
        (lambda: Momentum(0.05, 0.9), lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.9)),
        (lambda: Adagrad(0.05), lambda t, p: t.optim.Adagrad(p, lr=0.05, eps=1e-10)),
        (lambda: RMS_prop(0.05, 0.9), lambda t, p: t.optim.RMSprop(p, lr=0.05, alpha=0.9)),
        (lambda: Adam(0.05, 0.8, 0.99), lambda t, p: t.optim.Adam(p, lr=0.05, betas=(0.8, 0.99))),
    ],
)
def test_twenty_steps_match_torch(torch, ours, theirs):
    gradients = np.random.default_rng(4).standard_normal((20, 3))
    scheduler = ours()
    parameter = np.zeros(3)
    for gradient in gradients:
        parameter -= scheduler.update_change(gradient)
    expected = _torch_trajectory(torch, lambda p: theirs(torch, p), gradients)
    np.testing.assert_allclose(parameter, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_flush_denormals_removes_subnormals_and_barely_changes_the_rest(dtype):
    from cnnlab.nn.schedulers import flush_denormals

    info = np.finfo(dtype)
    rng = np.random.default_rng(0)
    state = (rng.standard_normal(50000) * np.logspace(np.log10(info.tiny) - 8, 0, 50000)).astype(
        dtype
    )
    assert np.any((state != 0) & (np.abs(state) < info.tiny))
    flushed = state.copy()
    flush_denormals(flushed)
    assert not np.any((flushed != 0) & (np.abs(flushed) < info.tiny))
    large = np.abs(state) >= 2 * info.tiny / info.eps
    assert np.all(np.abs(flushed - state)[~large] <= info.tiny)
    assert np.all(np.abs(flushed - state)[large] <= info.eps * np.abs(state[large]))
