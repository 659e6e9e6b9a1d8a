"""cnnlab: convolutional neural networks from scratch in NumPy.

The names below are the course notes' API::

    from cnnlab import CNN, Adam, CostCrossEntropy, LRELU, softmax
"""

from cnnlab.activations import LRELU, RELU, identity, sigmoid, softmax, tanh
from cnnlab.costs import CostCrossEntropy, CostLogReg, CostOLS
from cnnlab.model import CNN
from cnnlab.schedulers import Adagrad, AdagradMomentum, Adam, Constant, Momentum, RMS_prop
from cnnlab.serialization import load_model as load

__version__ = "0.1.0"

__all__ = [
    "CNN",
    "load",
    "Constant",
    "Momentum",
    "Adagrad",
    "AdagradMomentum",
    "RMS_prop",
    "Adam",
    "CostOLS",
    "CostLogReg",
    "CostCrossEntropy",
    "identity",
    "sigmoid",
    "tanh",
    "softmax",
    "RELU",
    "LRELU",
]
