import numpy as np
import pytest
from networks import threads_network as network
from threadpoolctl import threadpool_limits

from cnnlab import CostOLS
from cnnlab.nn.activations import identity, softmax
from cnnlab.nn.schedulers import Adam, Constant, Momentum, RMS_prop
from cnnlab.training.step import Step
from cnnlab.training.threads import (
    MIN_PARALLEL_SIZE,
    MIN_SHARD,
    ThreadedStep,
    make_step,
    resolve_jobs,
)


def data(samples=80, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((samples, 1, 10, 10))
    t = np.eye(3)[rng.integers(0, 3, samples)]
    return X, t


def weight_tolerance(optimizer):
    """How far thread and serial weights may drift apart after a few steps.

    The threads add the shard gradients in another order than one BLAS call, so
    a gradient entry may differ by a rounding error delta (about 1e-16 of the
    terms summed into it). Plain SGD and momentum pass delta on as eta * delta.
    Optimizers that divide by ``sqrt(v) + delta_opt`` (Adam, RMSprop) turn it
    into up to ``eta * delta / delta_opt`` for an entry whose gradient is near
    zero: 1e-2 * 1e-16 / 1e-8 = 1e-10 for Adam(1e-2). A real mistake (a shard
    weighted wrongly, a gradient lost) moves weights by about eta, 1e-3 or more.
    """
    normaliser = getattr(optimizer, "delta", None)
    if normaliser is None:
        return 1e-12
    return 10 * optimizer.eta * 1e-16 / normaliser


def assert_same_training(one, many, optimizer):
    tolerance = weight_tolerance(optimizer)
    for serial_layer, parallel_layer in zip(one.layers, many.layers, strict=True):
        for key in serial_layer.params:
            np.testing.assert_allclose(
                parallel_layer.params[key], serial_layer.params[key], rtol=0, atol=tolerance
            )


def trained(n_jobs, scheduler, lam=0.0, steps=3, batch=70, **options):
    X, t = data()
    cnn = network(scheduler, **options)
    cnn.build(X.shape[1:], dtype=np.float64)
    target = t if options.get("output", softmax) is softmax else t[:, :1]
    with make_step(cnn, n_jobs) as step:
        results = [step(X[:batch], target[:batch], lam) for _ in range(steps)]
    # each step gives (cost, score statistics): every number of them, flat
    return cnn, [[loss, *np.hstack(list(stats.values()))] for loss, stats in results]


@pytest.mark.parametrize("lam", [0.0, 1e-2])
def test_threads_sum_to_the_gradient_of_the_whole_batch(lam):
    # One step of plain SGD with eta = 1 from the same weights is W - g: any difference
    # in the summed shard gradients (L2 term included) shows in the weights as it is.
    start = network(Constant(1.0))
    start.build((1, 10, 10), dtype=np.float64)
    serial, serial_scores = trained(1, Constant(1.0), lam, steps=1)
    parallel, parallel_scores = trained(3, Constant(1.0), lam, steps=1)
    for before, one, many in zip(start.layers, serial.layers, parallel.layers, strict=True):
        for key in one.params:
            whole = before.params[key] - one.params[key]
            summed = before.params[key] - many.params[key]
            assert np.abs(whole).max() > 1e-3  # every parameter array gets a gradient
            np.testing.assert_allclose(summed, whole, rtol=0, atol=1e-13)
    np.testing.assert_allclose(parallel_scores, serial_scores, rtol=1e-12)


@pytest.mark.parametrize("scheduler", [Adam(1e-2), Momentum(1e-2), RMS_prop(1e-3)], ids=repr)
@pytest.mark.parametrize("lam", [0.0, 1e-2])
def test_threads_train_like_one_thread(scheduler, lam):
    serial, serial_scores = trained(1, scheduler, lam)
    parallel, parallel_scores = trained(3, scheduler, lam)
    assert parallel.layers[4].params["W"].size >= MIN_PARALLEL_SIZE
    assert_same_training(serial, parallel, scheduler)
    # the weights moved by far more than the tolerance: the comparison can fail
    start = network(scheduler)
    start.build((1, 10, 10), dtype=np.float64)
    assert np.abs(serial.layers[4].params["W"] - start.layers[4].params["W"]).max() > 1e-4
    np.testing.assert_allclose(parallel_scores, serial_scores, rtol=1e-12)


def test_uneven_shards_and_a_cost_without_fused_gradient():
    options = dict(cost=CostOLS, output=identity)
    serial, _ = trained(1, Adam(1e-2), batch=67, **options)
    parallel, _ = trained(2, Adam(1e-2), batch=67, **options)  # shards of 33 and 34
    assert_same_training(serial, parallel, Adam(1e-2))


def test_small_batches_stay_in_one_thread():
    X, t = data()
    cnn = network(Adam(1e-2))
    cnn.build(X.shape[1:], dtype=np.float64)
    with ThreadedStep(cnn, 2) as step:
        step(X[: 2 * MIN_SHARD - 1], t[: 2 * MIN_SHARD - 1], 0.0)
        assert step.replicas[1][0]._cache is None  # the replica never ran
        step(X[: 2 * MIN_SHARD], t[: 2 * MIN_SHARD], 0.0)
        assert step.replicas[1][0]._cache is not None


def test_replicas_share_parameters_but_not_gradients():
    cnn, _ = trained(2, Adam(1e-2), steps=1)
    with ThreadedStep(cnn, 2) as step:
        first, second = step.replicas
        for mine, theirs in zip(first, second, strict=True):
            for key in mine.params:
                assert theirs.params[key] is mine.params[key]
        X, t = data()
        step(X[:64], t[:64], 0.0)
        assert second[4].grads["W"] is not first[4].grads["W"]


def test_dropout_gives_the_same_result_on_any_number_of_threads():
    serial, serial_scores = trained(1, Adam(1e-2), dropout=0.5)
    parallel, parallel_scores = trained(3, Adam(1e-2), dropout=0.5)
    assert_same_training(serial, parallel, Adam(1e-2))
    np.testing.assert_allclose(parallel_scores, serial_scores, rtol=1e-12)
    assert 0.3 < serial.layers[5].mask.astype(bool).mean() < 0.7


def test_fit_with_threads_is_reproducible_and_learns():
    X, t = data(160)
    scores = [
        network(Adam(1e-2), dropout=0.2).fit(X, t, epochs=4, batch_size=64, verbose=False, n_jobs=2)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(scores[0]["train_error"], scores[1]["train_error"])
    assert scores[0]["train_error"][-1] < scores[0]["train_error"][0]


def test_default_jobs_follow_the_blas_limit():
    assert resolve_jobs(1) == 1
    assert resolve_jobs(-1) >= 1
    with threadpool_limits(limits=1):
        assert resolve_jobs(None) == 1  # a grid point on one core stays on one thread


@pytest.mark.parametrize(
    "n_jobs, error, message",
    [
        (0, ValueError, "n_jobs must be a positive number of threads, or -1"),
        (-2, ValueError, "n_jobs must be >= -1, got -2"),
        (1.5, TypeError, "n_jobs must be an integer, got 1.5"),
    ],
)
def test_bad_n_jobs(n_jobs, error, message):
    X, t = data()
    with pytest.raises(error, match=message):
        network(Adam(1e-2)).fit(X, t, epochs=1, verbose=False, n_jobs=n_jobs)


def test_adam_in_slices_equals_adam_in_one_piece():
    rng = np.random.default_rng(5)
    whole, sliced = Adam(1e-2), Adam(1e-2)
    parameter = rng.standard_normal((300, 7))
    copy = parameter.copy()
    parts = [slice(0, 1000), slice(1000, 1234), slice(1234, 2100)]
    for _ in range(20):
        gradient = rng.standard_normal(parameter.shape)
        parameter -= whole.update_change(gradient)
        sliced.step_parts(copy, gradient, parts, lambda f, ps: [f(p) for p in ps])
    np.testing.assert_allclose(copy, parameter, rtol=0, atol=1e-14)
    assert sliced.t == whole.t == 20


def test_glibc_keeps_freed_memory_for_the_next_batch():
    import platform
    import sys

    from cnnlab.training.threads import keep_freed_memory

    expected = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is expected
    assert keep_freed_memory() is expected  # once per process, and idempotent


def test_one_thread_is_the_plain_step():
    cnn = network(Adam(1e-2))
    cnn.build((1, 10, 10), dtype=np.float64)
    assert type(make_step(cnn, 1)) is Step
    assert type(make_step(cnn, 2)) is ThreadedStep
