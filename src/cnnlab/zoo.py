"""Ready-made networks, the only place networks are pre-built: the course notes'
architectures, ``cnnlab train``'s digits model and the estimators' layers.

Every builder returns an unbuilt ``CNN``; the input size is taken from the data
at the first ``fit``. ``MODELS`` maps the names used by ``cnnlab train --model``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cnnlab.layers import (
    Convolution2DLayer,
    FlattenLayer,
    FullyConnectedLayer,
    Layer,
    Pooling2DLayer,
)
from cnnlab.layers.registry import LAYERS, SHORT_NAMES
from cnnlab.model import CNN
from cnnlab.nn.activations import RELU, softmax
from cnnlab.nn.costs import CostCrossEntropy
from cnnlab.nn.schedulers import Adam, Scheduler


def _new(scheduler: Scheduler | None, seed: int | None) -> CNN:
    return CNN(CostCrossEntropy, Adam(eta=1e-3) if scheduler is None else scheduler, seed)


def pytorch_mnist(
    input_channels: int = 1,
    classes: int = 10,
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
    dropout: float = 0.5,
) -> CNN:
    """The notes' PyTorch MNIST model.

    conv 32@3x3 same, relu, max-pool 2; conv 64@3x3 same, relu, max-pool 2;
    dense 1024 relu, dropout 0.5; dense ``classes`` (softmax).
    """
    cnn = _new(scheduler, seed)
    cnn.add_Convolution2DLayer(input_channels, 32, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_Convolution2DLayer(32, 64, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(1024, RELU)
    if dropout:
        cnn.add_Dropout(dropout)
    cnn.add_OutputLayer(classes, softmax)
    return cnn


def lenet(
    input_channels: int = 1,
    classes: int = 10,
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
) -> CNN:
    """A LeNet-like model: conv 16@5x5 same, pool 2; conv 32@5x5 same, pool 2; dense 128; 10."""
    cnn = _new(scheduler, seed)
    cnn.add_Convolution2DLayer(input_channels, 16, 5, 5, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_Convolution2DLayer(16, 32, 5, 5, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(128, RELU)
    cnn.add_OutputLayer(classes, softmax)
    return cnn


def keras_digits(
    input_channels: int = 1,
    classes: int = 10,
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
) -> CNN:
    """The notes' Keras digits model: conv 10@3x3 (valid) relu, max-pool 2, dense 50 relu, 10."""
    cnn = _new(scheduler, seed)
    cnn.add_Convolution2DLayer(input_channels, 10, 3, 3, pad="valid", act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(50, RELU)
    cnn.add_OutputLayer(classes, softmax)
    return cnn


def keras_cifar10(
    input_channels: int = 3,
    classes: int = 10,
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
) -> CNN:
    """The notes' Keras CIFAR-10 model, all 3x3 valid convolutions with relu.

    conv 32, max-pool 2; conv 64, max-pool 2; conv 64; dense 64; dense ``classes``.
    """
    cnn = _new(scheduler, seed)
    cnn.add_Convolution2DLayer(input_channels, 32, 3, 3, pad="valid", act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_Convolution2DLayer(32, 64, 3, 3, pad="valid", act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_Convolution2DLayer(64, 64, 3, 3, pad="valid", act_func=RELU)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(64, RELU)
    cnn.add_OutputLayer(classes, softmax)
    return cnn


def digits_default(
    input_channels: int = 1,
    classes: int = 10,
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
) -> CNN:
    """``cnnlab train``'s model for 8x8 digits: conv 16@3x3, max-pool 2, dense 64, softmax."""
    cnn = _new(scheduler, seed)
    cnn.add_Convolution2DLayer(input_channels, 16, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2, pooling="max")
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(64, RELU)
    cnn.add_OutputLayer(classes, softmax)
    return cnn


def ising_cnn(
    input_channels: int = 1,
    classes: int = 2,
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
    channels: int = 8,
    hidden: int = 16,
) -> CNN:
    """A small CNN for spin configurations on periodic lattices (``cnnlab ising``).

    conv ``channels``@3x3 with circular padding (a kernel at the edge sees its
    true neighbours across the boundary), relu; global average pooling (so the
    same weights serve every lattice size); dense ``hidden`` relu; softmax
    ``classes`` (disordered, ordered).
    """
    cnn = _new(scheduler, seed)
    cnn.add_Convolution2DLayer(input_channels, channels, 3, 3, pad=1, act_func=RELU,
                               padding_mode="circular")  # fmt: skip
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_FullyConnectedLayer(hidden, RELU)
    cnn.add_OutputLayer(classes, softmax)
    return cnn


def estimator_layers(
    architecture: str | Sequence[tuple[str, dict]], image_input: bool, channels: int
) -> list[Layer]:
    """The layers before the output layer of a scikit-learn estimator.

    ``architecture`` is "auto" (conv 10@3x3, max-pool 2, dense 50 for images;
    dense 50 for flat data) or a list of ``(kind, options)`` with kind one of
    ``cnnlab.layers.registry.SHORT_NAMES``, e.g. ``("conv", {"feature_maps": 8})``.
    """
    if architecture == "auto":
        if image_input:
            return [
                Convolution2DLayer(channels, 10, 3, 3, act_func=RELU),
                Pooling2DLayer(2, 2),
                FlattenLayer(),
                FullyConnectedLayer(50, RELU),
            ]
        return [FlattenLayer(), FullyConnectedLayer(50, RELU)]
    layers = []
    for spec in architecture:
        if not isinstance(spec, tuple | list) or len(spec) != 2 or spec[0] not in SHORT_NAMES:
            raise ValueError(
                f"architecture entries must be (kind, options) with kind in {sorted(SHORT_NAMES)}"
                f", e.g. ('conv', {{'feature_maps': 8}}); got {spec!r}"
            )
        kind, options = spec
        layers.append(LAYERS[SHORT_NAMES[kind]](**dict(options)))
    return layers


MODELS: dict[str, Callable[..., CNN]] = {
    "digits-default": digits_default,
    "pytorch-mnist": pytorch_mnist,
    "lenet": lenet,
    "keras-digits": keras_digits,
    "keras-cifar10": keras_cifar10,
    "ising-cnn": ising_cnn,
}


def build_model(name: str, **options: Any) -> CNN:
    """Build one of ``MODELS`` by name."""
    if name not in MODELS:
        raise ValueError(f"model must be one of {sorted(MODELS)}, got {name!r}")
    return MODELS[name](**options)
