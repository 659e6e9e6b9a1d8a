"""Property-based: any layer configuration either builds and runs cleanly, or refuses to build.

For random kernels, strides, paddings, channel counts and input sizes, ``build``
either raises ValueError, or forward and backward give finite arrays of the
shapes ``build`` promised. Nothing else may happen.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnlab.conv.geometry import resolve_padding
from cnnlab.layers import (
    BatchNormalization,
    Convolution2DLayer,
    Dropout,
    FlattenLayer,
    FullyConnectedLayer,
    Pooling2DLayer,
    TransposedConvolution2DLayer,
)
from cnnlab.nn.activations import ACTIVATIONS

ELEMENTWISE = sorted(name for name, f in ACTIVATIONS.items() if f.elementwise)

convolutions = st.builds(
    Convolution2DLayer,
    input_channels=st.integers(1, 3),
    feature_maps=st.integers(1, 3),
    kernel_height=st.integers(1, 6),
    kernel_width=st.integers(1, 6),
    v_stride=st.integers(1, 4),
    h_stride=st.integers(1, 4),
    pad=st.one_of(st.sampled_from(["same", "valid"]), st.integers(0, 3)),
    act_func=st.sampled_from(ELEMENTWISE),
    optimized=st.booleans(),
    padding_mode=st.sampled_from(["zeros", "circular"]),
)
transposed = st.builds(
    TransposedConvolution2DLayer,
    input_channels=st.integers(1, 3),
    feature_maps=st.integers(1, 3),
    kernel_height=st.integers(1, 5),
    kernel_width=st.integers(1, 5),
    v_stride=st.integers(1, 3),
    h_stride=st.integers(1, 3),
    pad=st.integers(0, 3),
    act_func=st.sampled_from(ELEMENTWISE),
    optimized=st.booleans(),
)
poolings = st.builds(
    Pooling2DLayer,
    kernel_height=st.integers(1, 5),
    kernel_width=st.integers(1, 5),
    v_stride=st.one_of(st.none(), st.integers(1, 4)),
    h_stride=st.one_of(st.none(), st.integers(1, 4)),
    pooling=st.sampled_from(["max", "average"]),
    optimized=st.booleans(),
)


def check_clean_run(layer, input_shape, seed):
    rng = np.random.default_rng(seed)
    try:
        output_shape = layer.build(input_shape, rng, np.float64)
    except ValueError:
        return False
    X = rng.standard_normal((2, *input_shape))
    output = layer.forward(X, training=True)
    assert output.shape == (2, *output_shape)
    assert np.isfinite(output).all()
    delta = rng.standard_normal(output.shape)
    gradient = layer.backward(delta)
    assert gradient.shape == X.shape
    assert np.isfinite(gradient).all()
    for key, value in layer.params.items():
        assert layer.grads[key].shape == value.shape
        assert np.isfinite(layer.grads[key]).all()
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layer=convolutions,
    channels=st.integers(1, 3),
    height=st.integers(1, 9),
    width=st.integers(1, 9),
    seed=st.integers(0, 2**16),
)
def test_convolution_builds_and_runs_or_refuses(layer, channels, height, width, seed):
    built = check_clean_run(layer, (channels, height, width), seed)
    fits = channels == layer.input_channels
    if layer.pad == "valid":
        fits &= layer.kernel_height <= height and layer.kernel_width <= width
    elif isinstance(layer.pad, int):
        fits &= (
            layer.kernel_height <= height + 2 * layer.pad
            and layer.kernel_width <= width + 2 * layer.pad
        )
    if layer.padding_mode == "circular":  # wraps at most once around, as PyTorch
        padding = [
            resolve_padding(layer.pad, size, kernel, stride)
            for size, kernel, stride in [
                (height, layer.kernel_height, layer.v_stride),
                (width, layer.kernel_width, layer.h_stride),
            ]
        ]
        fits &= max(padding[0]) <= height and max(padding[1]) <= width
    assert built == fits


@settings(max_examples=150, deadline=None)
@given(
    layer=poolings,
    channels=st.integers(1, 3),
    height=st.integers(1, 9),
    width=st.integers(1, 9),
    seed=st.integers(0, 2**16),
)
def test_pooling_builds_and_runs_or_refuses(layer, channels, height, width, seed):
    built = check_clean_run(layer, (channels, height, width), seed)
    assert built == (layer.kernel_height <= height and layer.kernel_width <= width)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple),
    nodes=st.integers(1, 6),
    rate=st.floats(0.0, 0.9),
    act=st.sampled_from(sorted(ACTIVATIONS)),
    seed=st.integers(0, 2**16),
)
def test_flatten_dropout_dense_chain(shape, nodes, rate, act, seed):
    flat_shape = (int(np.prod(shape)),)
    assert check_clean_run(FlattenLayer(), shape, seed)
    assert check_clean_run(Dropout(rate), flat_shape, seed)
    dense = FullyConnectedLayer(nodes, act)
    assert check_clean_run(dense, flat_shape, seed) == (len(flat_shape) == 1)
    assert check_clean_run(FullyConnectedLayer(nodes, act), shape, seed) == (len(shape) == 1)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layer=transposed,
    channels=st.integers(1, 3),
    height=st.integers(1, 6),
    width=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_transposed_convolution_builds_and_runs_or_refuses(layer, channels, height, width, seed):
    built = check_clean_run(layer, (channels, height, width), seed)
    output = [
        (size - 1) * stride - 2 * layer.pad + kernel
        for size, stride, kernel in [
            (height, layer.v_stride, layer.kernel_height),
            (width, layer.h_stride, layer.kernel_width),
        ]
    ]
    assert built == (channels == layer.input_channels and min(output) >= 1)
    if built:
        assert layer.output_shape == (layer.feature_maps, *output)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple),
    momentum=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**16),
)
def test_batch_normalization_runs_on_any_shape(shape, momentum, seed):
    layer = BatchNormalization(momentum)
    assert check_clean_run(layer, shape, seed)  # two samples: always enough values
    assert np.all(layer.buffers["running_var"] >= 0)
