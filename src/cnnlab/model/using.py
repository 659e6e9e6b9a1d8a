"""Using a trained network: predictions, scores and the output of any layer (``CNN``'s mixin)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from cnnlab._validation import check_float, check_int
from cnnlab.layers import Layer
from cnnlab.nn.costs import Cost
from cnnlab.nn.metrics import scores
from cnnlab.training import step

# Prediction and evaluation go in chunks so a large test set never needs one huge im2col.
PREDICT_CHUNK = 256


class Predicting:
    """Mixin of ``CNN``: everything that runs a built network in evaluation mode."""

    layers: list[Layer]
    cost_func: Cost

    @property
    def pred_format(self) -> str:  # pragma: no cover - CNN defines it
        """What the network puts out (``CNN.pred_format``)."""
        raise NotImplementedError

    def prepare(
        self, X: ArrayLike, t: ArrayLike | None = None, names: tuple[str, str] = ("X", "t")
    ) -> tuple[np.ndarray, np.ndarray | None]:  # pragma: no cover - CNN defines it
        """Validate data against the network (``CNN.prepare``)."""
        raise NotImplementedError

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """The last layer's activations in evaluation mode: (N, nodes), or (N, C, ...) images."""
        X, _ = self.prepare(X)
        return self._output(X, self.layers)

    def predict(self, X: np.ndarray, *, threshold: float = 0.5) -> np.ndarray:
        """One-hot rows (softmax), 0/1 (sigmoid), values (regression) or images.

        Shape (N, nodes), or (N, C, ...) for a network with image outputs.
        """
        threshold = check_float(threshold, "threshold")
        output = self.predict_proba(X)
        if self.pred_format == "Multi-class":
            onehot = np.zeros_like(output)
            onehot[np.arange(len(output)), np.argmax(output, axis=1)] = 1
            return onehot
        if self.pred_format == "Binary":
            return np.where(output > threshold, 1, 0)
        return output

    def evaluate(self, X: np.ndarray, t: np.ndarray) -> dict[str, float]:
        """The cost and the scores of ``pred_format`` on a labelled set.

        ``{"error", "acc"}`` for classification, ``{"error", "r2", "mae"}`` for
        regression and ``{"error", "psnr", "mse"}`` for images
        (``cnnlab.nn.metrics``).
        """
        X, target = self.prepare(X, t)
        assert target is not None  # prepare returns the targets it was given, checked
        output = self._output(X, self.layers)
        return {
            "error": self.cost_func.value(output, target),
            **scores(output, target, self.pred_format),
        }

    def output_of(self, X: np.ndarray, layer: int | Layer) -> np.ndarray:
        """The output of one layer, in evaluation mode: an encoder's code, feature maps.

        Parameters
        ----------
        X : ndarray, shape ``(N, *input_shape)``
        layer : int or Layer
            The layer's index in ``layers`` (negative counts from the end), or the layer.

        Returns
        -------
        ndarray, shape ``(N, *layer.output_shape)``
        """
        if isinstance(layer, Layer):
            if not any(layer is candidate for candidate in self.layers):
                raise ValueError(f"layer {layer!r} is not one of this CNN's layers")
            index = next(i for i, candidate in enumerate(self.layers) if candidate is layer)
        else:
            index = check_int(layer, "layer", minimum=None)
            if not -len(self.layers) <= index < len(self.layers):
                raise ValueError(
                    f"layer must be an index from {-len(self.layers)} to {len(self.layers) - 1} "
                    f"for this CNN of {len(self.layers)} layers, got {layer}"
                )
            index %= len(self.layers)
        X, _ = self.prepare(X)
        return self._output(X, self.layers[: index + 1])

    def _output(self, X: np.ndarray, layers: list) -> np.ndarray:
        parts = [
            step.forward(layers, X[i : i + PREDICT_CHUNK]) for i in range(0, len(X), PREDICT_CHUNK)
        ]
        return np.concatenate(parts)
