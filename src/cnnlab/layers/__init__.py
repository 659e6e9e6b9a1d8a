"""Layers on one contract: ``build``, ``forward``, ``backward``, ``params``, ``grads``."""

from cnnlab.layers.base import Layer
from cnnlab.layers.convolution import Convolution2DLayer
from cnnlab.layers.dense import FullyConnectedLayer, OutputLayer
from cnnlab.layers.pooling import Pooling2DLayer
from cnnlab.layers.reshape import Dropout, FlattenLayer

__all__ = [
    "Layer",
    "Convolution2DLayer",
    "Pooling2DLayer",
    "FlattenLayer",
    "Dropout",
    "FullyConnectedLayer",
    "OutputLayer",
]
