"""Export to PyTorch and ONNX, and import from PyTorch.

* :func:`to_torch` gives a ``torch.nn.Sequential`` with the same weights and
  outputs (in eval mode); :func:`from_torch` builds a cnnlab CNN from one.
* :func:`to_onnx` writes an ONNX graph, built with the ``onnx`` package's
  helper API, that onnxruntime runs with the same outputs.

torch and onnx are optional (``pip install 'cnnlab[torch]'``, ``'cnnlab[onnx]'``)
and imported only when these are called.
"""

from cnnlab.export.from_torch import from_torch
from cnnlab.export.onnx import to_onnx
from cnnlab.export.to_torch import to_torch

__all__ = ["to_torch", "from_torch", "to_onnx"]
