"""The notes' ``add_*`` methods of ``CNN``, one per layer kind, each a call of ``add``."""

from __future__ import annotations

from collections.abc import Sequence

from cnnlab.layers import (
    ActivationLayer,
    BatchNormalization,
    Convolution1DLayer,
    Convolution2DLayer,
    Dropout,
    FlattenLayer,
    FullyConnectedLayer,
    GlobalAveragePoolingLayer,
    Layer,
    OutputLayer,
    Pooling1DLayer,
    Pooling2DLayer,
    ReshapeLayer,
    TransposedConvolution2DLayer,
    Upsampling2DLayer,
)
from cnnlab.nn.activations import LRELU, Activation, sigmoid
from cnnlab.nn.schedulers import Scheduler


class LayerAdding:
    """Mixin of ``CNN``: the notes' spelling of ``cnn.add(Layer(...))``."""

    def add(self, layer: Layer) -> LayerAdding:  # pragma: no cover - CNN defines it
        """Append a layer (``CNN.add``)."""
        raise NotImplementedError

    def add_Convolution2DLayer(  # noqa: N802 - the notes' spelling
        self,
        input_channels: int = 1,
        feature_maps: int = 1,
        kernel_height: int = 3,
        kernel_width: int = 3,
        v_stride: int = 1,
        h_stride: int = 1,
        pad: str | int = "same",
        act_func: Activation = LRELU,
        optimized: bool = True,
        *,
        padding_mode: str = "zeros",
        algorithm: str = "auto",
    ) -> None:
        """Add a Convolution2DLayer; see :class:`cnnlab.layers.Convolution2DLayer`."""
        self.add(
            Convolution2DLayer(
                input_channels, feature_maps, kernel_height, kernel_width,
                v_stride, h_stride, pad, act_func, optimized,
                padding_mode=padding_mode, algorithm=algorithm,
            )
        )  # fmt: skip

    def add_PoolingLayer(  # noqa: N802
        self,
        kernel_height: int = 2,
        kernel_width: int = 2,
        v_stride: int | None = None,
        h_stride: int | None = None,
        pooling: str = "max",
    ) -> None:
        """Add a Pooling2DLayer. Stride None means stride = kernel (the notes used 1)."""
        self.add(Pooling2DLayer(kernel_height, kernel_width, v_stride, h_stride, pooling))

    def add_FlattenLayer(self) -> None:  # noqa: N802
        """Add a FlattenLayer: images (C, H, W) become vectors ``(C*H*W,)``."""
        self.add(FlattenLayer())

    def add_FullyConnectedLayer(  # noqa: N802
        self, nodes: int, act_func: Activation | str = LRELU, scheduler: Scheduler | None = None
    ) -> None:
        """Add a dense hidden layer; ``scheduler`` overrides the model's for this layer."""
        self.add(FullyConnectedLayer(nodes, act_func, scheduler))

    def add_OutputLayer(  # noqa: N802
        self,
        nodes: int,
        output_func: Activation | str = sigmoid,
        scheduler: Scheduler | None = None,
    ) -> None:
        """Add the output layer; softmax, sigmoid or identity sets the prediction format."""
        self.add(OutputLayer(nodes, output_func, scheduler))

    def add_Dropout(self, rate: float = 0.5) -> None:  # noqa: N802
        """Add inverted dropout, active only during ``fit``."""
        self.add(Dropout(rate))

    def add_BatchNormalization(self, momentum: float = 0.1, epsilon: float = 1e-5) -> None:  # noqa: N802
        """Add batch normalization per channel (images, signals) or per feature (flat)."""
        self.add(BatchNormalization(momentum, epsilon))

    def add_ActivationLayer(self, act_func: Activation | str) -> None:  # noqa: N802
        """Add an activation on its own (e.g. after add_BatchNormalization)."""
        self.add(ActivationLayer(act_func))

    def add_Convolution1DLayer(  # noqa: N802
        self,
        input_channels: int,
        feature_maps: int,
        kernel_size: int,
        stride: int = 1,
        pad: str | int = "same",
        act_func: Activation = LRELU,
        *,
        padding_mode: str = "zeros",
        dilation: int = 1,
    ) -> None:
        """Add a Convolution1DLayer for signals (N, C, T); see its class."""
        self.add(
            Convolution1DLayer(
                input_channels, feature_maps, kernel_size, stride, pad, act_func,
                padding_mode=padding_mode, dilation=dilation,
            )
        )  # fmt: skip

    def add_Pooling1DLayer(  # noqa: N802
        self, kernel_size: int = 2, stride: int | None = None, pooling: str = "max"
    ) -> None:
        """Add a Pooling1DLayer for signals (N, C, T). Stride None means stride = kernel."""
        self.add(Pooling1DLayer(kernel_size, stride, pooling))

    def add_GlobalAveragePoolingLayer(self) -> None:  # noqa: N802
        """Add the mean over all positions of every channel: (N, C, ...) to (N, C)."""
        self.add(GlobalAveragePoolingLayer())

    def add_Upsampling2DLayer(self, size: int | tuple[int, int] = 2) -> None:  # noqa: N802
        """Add nearest-neighbour upsampling by ``size`` (int or (height, width) factors)."""
        self.add(Upsampling2DLayer(size))

    def add_ReshapeLayer(self, shape: Sequence[int]) -> None:  # noqa: N802
        """Add a reshape of every sample to ``shape``, e.g. (8, 7, 7) in a dense-to-image decoder."""
        self.add(ReshapeLayer(shape))

    def add_TransposedConvolution2DLayer(  # noqa: N802
        self,
        input_channels: int = 1,
        feature_maps: int = 1,
        kernel_height: int = 3,
        kernel_width: int = 3,
        v_stride: int = 1,
        h_stride: int = 1,
        pad: int = 0,
        act_func: Activation = LRELU,
        optimized: bool = True,
        *,
        algorithm: str = "auto",
    ) -> None:
        """Add a transposed convolution (PyTorch's ConvTranspose2d); see its class."""
        self.add(
            TransposedConvolution2DLayer(
                input_channels, feature_maps, kernel_height, kernel_width, v_stride, h_stride,
                pad, act_func, optimized, algorithm=algorithm,
            )
        )  # fmt: skip
