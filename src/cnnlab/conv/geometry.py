"""The geometry of a convolution or pooling window, in any number of spatial dimensions.

Everything about sizes lives here, once: the output size, "same" / "valid" /
int padding, the padding modes ``"zeros"`` and ``"circular"``, and the slice of
the input that one kernel offset sees. The algorithms (``loops``, ``im2col``,
``fft``) take a :class:`Geometry` and never work sizes out themselves.

Shapes are ``(N, C, *spatial)``: ``(N, C, L)`` in 1-D, ``(N, C, H, W)`` in 2-D.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np

from cnnlab._validation import check_choice, check_int

#: PyTorch's names: "zeros" pads with zeros, "circular" wraps the input periodically
PADDING_MODES = ("zeros", "circular")


def output_size(padded_size: int, kernel: int, stride: int) -> int:
    """Number of window positions along one axis of an already padded input."""
    return (padded_size - kernel) // stride + 1


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "same" padding along one axis: output ``ceil(size / stride)``.

    Returns ``(before, after)``; the odd pixel, if any, goes after.
    """
    output = math.ceil(size / stride)
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def check_pad(pad: object) -> str | int:
    """Accept "same", "valid" or a non-negative int, and say so otherwise."""
    if isinstance(pad, str):
        if pad not in ("same", "valid"):
            raise ValueError(f"pad must be 'same', 'valid' or a non-negative int, got {pad!r}")
        return pad
    return check_int(pad, "pad", minimum=0)


def resolve_padding(pad: str | int, size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Padding ``(before, after)`` along one axis for ``pad`` = "same", "valid" or an int."""
    if pad == "same":
        return same_padding(size, kernel, stride)
    if pad == "valid":
        return 0, 0
    return int(pad), int(pad)


def kernel_spans(kernel_shape: Sequence[int], dilations: Sequence[int]) -> tuple[int, ...]:
    """Input positions a dilated kernel covers per axis: ``dilation * (kernel - 1) + 1``."""
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel_shape, dilations, strict=True))


def offset_slice(offset: int, count: int, stride: int) -> slice:
    """The input positions that kernel offset ``offset`` sees in ``count`` windows along one axis."""
    return slice(offset, offset + stride * (count - 1) + 1, stride)


@dataclass(frozen=True)
class Geometry:
    """Sizes of one convolution (or pooling) along its spatial axes.

    Parameters
    ----------
    input_shape : tuple of int
        Spatial size of the input, e.g. ``(H, W)``.
    kernel_shape : tuple of int
        Kernel size, e.g. ``(kernel_height, kernel_width)``.
    strides : tuple of int
    padding : tuple of (int, int)
        ``(before, after)`` per axis.
    padding_mode : {"zeros", "circular"}
        What the padding holds: zeros, or the input wrapped around periodically
        (a lattice with periodic boundaries).
    dilations : tuple of int, optional
        Spacing of the kernel's taps (1: adjacent); a kernel of size k then
        spans ``dilation * (k - 1) + 1`` input positions.
    """

    input_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    strides: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    padding_mode: str = "zeros"
    dilations: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.dilations is None:
            object.__setattr__(self, "dilations", (1,) * len(self.kernel_shape))

    @classmethod
    def resolve(
        cls,
        input_shape: Sequence[int],
        kernel_shape: Sequence[int],
        strides: Sequence[int],
        pad: str | int = "valid",
        padding_mode: str = "zeros",
        dilations: Sequence[int] | None = None,
    ) -> Geometry:
        """The geometry for ``pad`` = "same", "valid" or an int; raises if the kernel cannot fit."""
        check_choice(padding_mode, "padding_mode", PADDING_MODES)
        dilations = tuple(check_int(d, "dilation") for d in (dilations or (1,) * len(kernel_shape)))
        if len(dilations) != len(kernel_shape):
            raise ValueError(
                f"dilations must have one entry per spatial axis ({len(kernel_shape)}), got "
                f"{dilations}"
            )
        spans = kernel_spans(kernel_shape, dilations)
        padding = tuple(
            resolve_padding(pad, size, span, stride)
            for size, span, stride in zip(input_shape, spans, strides, strict=True)
        )
        geometry = cls(
            tuple(input_shape), tuple(kernel_shape), tuple(strides), padding, padding_mode,
            dilations,
        )  # fmt: skip
        padded = geometry.padded_shape
        if any(k > p for k, p in zip(spans, padded, strict=True)):
            dilated = "" if spans == tuple(kernel_shape) else f" (dilated to {_by(spans)})"
            raise ValueError(
                f"kernel {_by(kernel_shape)}{dilated} is larger than the padded input "
                f"{_by(padded)} (input {_by(input_shape)}, pad={pad!r}); use a smaller kernel "
                f"or pad='same'"
            )
        if padding_mode == "circular" and any(
            max(pair) > size for pair, size in zip(padding, input_shape, strict=True)
        ):
            raise ValueError(
                f"padding_mode='circular' can wrap at most the input's own size, but the padding "
                f"{padding} exceeds the input {_by(input_shape)}; use less padding"
            )
        return geometry

    @property
    def dims(self) -> int:
        return len(self.input_shape)

    @functools.cached_property  # asked for on every batch: worked out once
    def padded_shape(self) -> tuple[int, ...]:
        return tuple(n + sum(pair) for n, pair in zip(self.input_shape, self.padding, strict=True))

    @functools.cached_property  # asked for on every batch: worked out once
    def spans(self) -> tuple[int, ...]:
        """Input positions one window covers per axis: ``dilation * (kernel - 1) + 1``."""
        return kernel_spans(self.kernel_shape, self._dilations)

    @functools.cached_property  # asked for on every batch: worked out once
    def output_shape(self) -> tuple[int, ...]:
        return tuple(
            output_size(p, k, s)
            for p, k, s in zip(self.padded_shape, self.spans, self.strides, strict=True)
        )

    @property
    def unit_strides(self) -> bool:
        return all(stride == 1 for stride in self.strides)

    @property
    def _dilations(self) -> tuple[int, ...]:
        """``dilations``, which ``__post_init__`` sets whenever it is None."""
        return cast("tuple[int, ...]", self.dilations)

    @property
    def dilated(self) -> bool:
        return any(d != 1 for d in self._dilations)

    @property
    def padded(self) -> bool:
        return any(any(pair) for pair in self.padding)

    def unpadded(self) -> Geometry:
        """The same windows over an input that was padded already (what an algorithm sees)."""
        return Geometry(
            self.padded_shape, self.kernel_shape, self.strides, ((0, 0),) * self.dims, "zeros",
            self.dilations,
        )  # fmt: skip

    @functools.cached_property
    def _offsets(self) -> tuple[tuple[tuple[int, ...], tuple[slice, ...]], ...]:
        return tuple(self._offset_slices())

    def offsets(self) -> tuple[tuple[tuple[int, ...], tuple[slice, ...]], ...]:
        """For every kernel offset, the offset and the slices of the padded input it sees.

        The slices cover the spatial axes only; row-major order of the offsets.
        Worked out once per geometry.
        """
        return self._offsets

    def _offset_slices(self) -> list[tuple[tuple[int, ...], tuple[slice, ...]]]:
        ranges = [range(k) for k in self.kernel_shape]
        result = []
        output_shape = self.output_shape
        for offset in itertools.product(*ranges):
            slices = tuple(
                offset_slice(o * d, count, stride)
                for o, d, count, stride in zip(
                    offset, self._dilations, output_shape, self.strides, strict=True
                )
            )
            result.append((offset, slices))
        return result

    def pad(self, X: np.ndarray) -> np.ndarray:
        """Pad the spatial axes of ``X`` ``(N, C, *input_shape)``; no copy without padding."""
        if not self.padded:
            return X
        mode: Literal["wrap", "constant"] = (
            "wrap" if self.padding_mode == "circular" else "constant"
        )
        return np.pad(X, ((0, 0), (0, 0), *self.padding), mode=mode)

    def unpad(self, dX_padded: np.ndarray) -> np.ndarray:
        """The gradient for the input, from the gradient for the padded input (the adjoint of pad).

        Zeros: the padding is cut off. Circular: what fell on the padding came
        from the input's other side, so it is added back there.
        """
        if not self.padded:
            return dX_padded
        if self.padding_mode == "zeros":
            return dX_padded[(slice(None), slice(None), *self.interior())]
        result = dX_padded
        for axis, ((before, after), size) in enumerate(
            zip(self.padding, self.input_shape, strict=True), start=2
        ):
            result = _fold_axis(result, axis, before, after, size)
        return result

    def interior(self) -> tuple[slice, ...]:
        """Slices of the padded input that hold the input itself."""
        return tuple(
            slice(before, before + size)
            for (before, _), size in zip(self.padding, self.input_shape, strict=True)
        )


def _fold_axis(array: np.ndarray, axis: int, before: int, after: int, size: int) -> np.ndarray:
    """Add the wrapped borders of ``axis`` back onto the input's own positions."""
    moved = np.moveaxis(array, axis, 0)
    result = moved[before : before + size].copy(order="K")  # keep the memory order
    if before:
        result[size - before :] += moved[:before]
    if after:
        result[:after] += moved[before + size :]
    return np.moveaxis(result, 0, axis)


def _by(shape: Sequence[int]) -> str:
    return "x".join(str(n) for n in shape)
