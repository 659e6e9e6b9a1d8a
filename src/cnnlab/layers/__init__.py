"""Layers on one contract: ``build``, ``forward``, ``backward``, ``params``, ``grads``.

Reading order: ``base`` (the contract), ``dense``, ``convolution``, ``pooling``,
``reshape``, ``dropout``, ``normalization``, ``resize`` and ``transposed`` (decoders); ``registry`` is the one table of them by name.
"""

from cnnlab.layers.activation import ActivationLayer
from cnnlab.layers.base import Layer
from cnnlab.layers.convolution import Convolution2DLayer
from cnnlab.layers.convolution1d import Convolution1DLayer
from cnnlab.layers.dense import FullyConnectedLayer, OutputLayer
from cnnlab.layers.dropout import Dropout
from cnnlab.layers.normalization import BatchNormalization
from cnnlab.layers.pooling import GlobalAveragePoolingLayer, Pooling1DLayer, Pooling2DLayer
from cnnlab.layers.reshape import FlattenLayer
from cnnlab.layers.resize import ReshapeLayer, Upsampling2DLayer
from cnnlab.layers.transposed import TransposedConvolution2DLayer

__all__ = [
    "Layer",
    "Convolution2DLayer",
    "Convolution1DLayer",
    "TransposedConvolution2DLayer",
    "Pooling2DLayer",
    "Pooling1DLayer",
    "GlobalAveragePoolingLayer",
    "FlattenLayer",
    "ReshapeLayer",
    "Upsampling2DLayer",
    "Dropout",
    "BatchNormalization",
    "ActivationLayer",
    "FullyConnectedLayer",
    "OutputLayer",
]
