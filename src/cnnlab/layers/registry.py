"""The one table of layer classes by name: model files and estimators look layers up here.

Nothing read from a file is ever imported or evaluated: a name that is not in
this table is an error.
"""

from __future__ import annotations

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

LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls
    for cls in (
        Convolution2DLayer,
        Convolution1DLayer,
        TransposedConvolution2DLayer,
        Pooling2DLayer,
        Pooling1DLayer,
        GlobalAveragePoolingLayer,
        FlattenLayer,
        ReshapeLayer,
        Upsampling2DLayer,
        Dropout,
        BatchNormalization,
        ActivationLayer,
        FullyConnectedLayer,
        OutputLayer,
    )
}
#: the short names of ``cnnlab.sklearn``'s ``architecture`` lists
SHORT_NAMES = {
    "conv": "Convolution2DLayer",
    "pool": "Pooling2DLayer",
    "conv1d": "Convolution1DLayer",
    "pool1d": "Pooling1DLayer",
    "global_average": "GlobalAveragePoolingLayer",
    "flatten": "FlattenLayer",
    "conv_transpose": "TransposedConvolution2DLayer",
    "upsampling": "Upsampling2DLayer",
    "reshape": "ReshapeLayer",
    "dense": "FullyConnectedLayer",
    "dropout": "Dropout",
    "batchnorm": "BatchNormalization",
    "activation": "ActivationLayer",
}
