"""cnnlab: convolutional neural networks from scratch in NumPy.

The names below are the course notes' API::

    from cnnlab import CNN, Adam, CostCrossEntropy, LRELU, softmax
"""

from cnnlab.layers.gradcheck import gradcheck
from cnnlab.model import CNN
from cnnlab.model.files import load_model as load
from cnnlab.nn.activations import LRELU, RELU, identity, sigmoid, softmax, tanh
from cnnlab.nn.costs import CostCrossEntropy, CostLogReg, CostOLS
from cnnlab.nn.schedulers import Adagrad, AdagradMomentum, Adam, Constant, Momentum, RMS_prop

__version__ = "0.2.0"

__all__ = [
    "CNN",
    "load",
    "gradcheck",
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
