"""Every bad input named in the core issue gets a ValueError/TypeError that quotes it."""

import numpy as np
import pytest
from networks import image_network

from cnnlab import CNN, LRELU, softmax
from cnnlab.datasets import onehot

X = np.random.default_rng(0).standard_normal((6, 1, 5, 5))
T = onehot([0, 1, 2, 0, 1, 2], 3)


def test_kernel_larger_than_padded_input():
    cnn = image_network(kernel_height=7, kernel_width=2, pad="valid")
    with pytest.raises(
        ValueError,
        match=r"layer 0 \(Convolution2DLayer\): kernel 7x2 is larger than the padded input 5x5",
    ):
        cnn.fit(X, T, epochs=1, verbose=False)
    cnn = image_network(kernel_height=8, kernel_width=8, pad=1)
    with pytest.raises(ValueError, match="kernel 8x8 is larger than the padded input 7x7"):
        cnn.fit(X, T, epochs=1, verbose=False)


def test_channels_that_do_not_match_the_data():
    cnn = image_network(input_channels=3)
    with pytest.raises(ValueError, match="input_channels=3, but its input has 1 channels"):
        cnn.fit(X, T, epochs=1, verbose=False)


def test_channels_that_do_not_match_the_previous_layer():
    cnn = CNN(seed=0)
    cnn.add_Convolution2DLayer(1, 4)
    cnn.add_Convolution2DLayer(2, 1)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(3, softmax)
    with pytest.raises(
        ValueError, match=r"layer 1 .*input_channels=2, but its input has 4 channels"
    ):
        cnn.fit(X, T, epochs=1, verbose=False)


def test_fully_connected_layer_without_flatten():
    cnn = CNN()
    cnn.add_Convolution2DLayer()
    with pytest.raises(
        ValueError,
        match="FullyConnectedLayer needs flat input, but it follows Convolution2DLayer without",
    ):
        cnn.add_FullyConnectedLayer(10)
    cnn.add_PoolingLayer()
    with pytest.raises(ValueError, match="OutputLayer needs flat input.*add_FlattenLayer"):
        cnn.add_OutputLayer(10, softmax)


def test_convolution_after_flatten():
    cnn = CNN()
    cnn.add_FlattenLayer()
    with pytest.raises(
        ValueError, match="put convolution and pooling layers before the FlattenLayer"
    ):
        cnn.add_Convolution2DLayer()


def test_layer_after_output_layer():
    cnn = CNN()
    cnn.add_OutputLayer(2, softmax)
    with pytest.raises(ValueError, match="cannot add FullyConnectedLayer after the OutputLayer"):
        cnn.add_FullyConnectedLayer(3)


def test_fit_without_output_layer():
    cnn = CNN()
    cnn.add_Convolution2DLayer()
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(3, LRELU)
    with pytest.raises(
        ValueError, match=r"must end in an OutputLayer .* or in a layer that gives images"
    ):
        cnn.fit(X, T, epochs=1, verbose=False)


def test_x_and_t_of_different_lengths():
    with pytest.raises(
        ValueError, match="X and t must have the same number of samples, got 6 and 5"
    ):
        image_network().fit(X, T[:5], epochs=1, verbose=False)


def test_validation_lengths_and_pairs():
    cnn = image_network()
    with pytest.raises(
        ValueError, match="X_val and t_val must have the same number of samples, got 6 and 4"
    ):
        cnn.fit(X, T, epochs=1, X_val=X, t_val=T[:4], verbose=False)
    with pytest.raises(ValueError, match="give both X_val and t_val, or neither"):
        cnn.fit(X, T, epochs=1, X_val=X, verbose=False)


@pytest.mark.parametrize(
    "target, message",
    [
        (np.array([0, 1, 2, 0, 1, 2]), r"t must have shape \(6, 3\) .* got \(6,\); one-hot encode"),
        (np.full((6, 3), 1 / 3), "t must be one-hot for a softmax output"),
        (
            onehot([0, 1, 2, 0, 1, 3], 4),
            r"t must have shape \(6, 3\) to match the OutputLayer's 3 nodes, got \(6, 4\)",
        ),
    ],
)
def test_t_that_is_not_one_hot(target, message):
    with pytest.raises(ValueError, match=message):
        image_network().fit(X, target, epochs=1, verbose=False)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_x(bad):
    data = X.copy()
    data[2, 0, 1, 1] = bad
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite values"):
        image_network().fit(data, T, epochs=1, verbose=False)
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite values"):
        image_network().predict(data)


def test_nan_in_t():
    target = T.copy()
    target[0, 0] = np.nan
    with pytest.raises(ValueError, match="t contains 1 NaN"):
        image_network().fit(X, target, epochs=1, verbose=False)


def test_wrong_ndim():
    with pytest.raises(
        ValueError, match=r"X must have 4 dimensions, got 3 \(shape \(6, 5, 5\)\); images go as"
    ):
        image_network().fit(X[:, 0], T, epochs=1, verbose=False)
    cnn = image_network()
    cnn.fit(X, T, epochs=1, verbose=False)
    with pytest.raises(
        ValueError,
        match=r"X has samples of shape \(1, 4, 4\), but the CNN was built for \(1, 5, 5\)",
    ):
        cnn.predict(X[:, :, :4, :4])


def test_batches_larger_than_samples():
    with pytest.raises(ValueError, match=r"batches=7 is larger than the number of samples \(6\)"):
        image_network().fit(X, T, epochs=1, batches=7, verbose=False)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda c: c.add_PoolingLayer(pooling="median"),
            ValueError,
            r"pooling must be one of \('max', 'average'\), got 'median'",
        ),
        (
            lambda c: c.add_Convolution2DLayer(act_func="swish"),
            ValueError,
            r"act_func='swish' is not a known activation",
        ),
        (
            lambda c: c.add_OutputLayer(3, output_func="softplus"),
            ValueError,
            r"output_func='softplus' is not a known",
        ),
        (
            lambda c: c.add_Convolution2DLayer(act_func=np.tanh),
            TypeError,
            "act_func must be a cnnlab activation",
        ),
        (lambda c: c.add("dense"), TypeError, "add\\(\\) takes a cnnlab layer, got 'dense'"),
    ],
)
def test_unknown_modes_and_activations(call, error, message):
    with pytest.raises(error, match=message):
        call(CNN())


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        (dict(epochs=0), ValueError, "epochs must be >= 1, got 0"),
        (dict(epochs=2.5), TypeError, "epochs must be an integer, got 2.5"),
        (dict(lam=-1e-3), ValueError, "lam must be >= 0.0, got -0.001"),
        (dict(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
    ],
)
def test_bad_fit_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        image_network().fit(X, T, verbose=False, **arguments)


@pytest.mark.parametrize(
    "data, error, message",
    [
        (np.array([["a"]]), TypeError, "X must be a numeric array, got dtype <U1"),
        (X.astype(complex), TypeError, "X must be real-valued, got a complex array"),
        (np.zeros((0, 1, 5, 5)), ValueError, r"X must not be empty, got shape \(0, 1, 5, 5\)"),
        ("images", TypeError, "X must be a numeric array, got a string"),
    ],
)
def test_bad_arrays(data, error, message):
    with pytest.raises(error, match=message):
        image_network().predict(data)


def test_bad_constructor_arguments():
    with pytest.raises(TypeError, match="scheduler must be a cnnlab scheduler"):
        CNN(scheduler="adam")
    with pytest.raises(ValueError, match="cost_func must be one of"):
        CNN(cost_func="mse")
    with pytest.raises(ValueError, match="seed must be >= 0, got -1"):
        CNN(seed=-1)
    with pytest.raises(ValueError, match="dtype must be float32 or float64, got float16"):
        CNN(dtype=np.float16)


def test_summary_before_build():
    with pytest.raises(ValueError, match=r"summary\(\) needs the input shape"):
        image_network().summary()
