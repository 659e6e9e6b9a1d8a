"""The one table of layer classes by name: model files and estimators look layers up here.

Nothing read from a file is ever imported or evaluated: a name that is not in
this table is an error.
"""

from __future__ import annotations

from cnnlab.layers.base import Layer
from cnnlab.layers.convolution import Convolution2DLayer
from cnnlab.layers.dense import FullyConnectedLayer, OutputLayer
from cnnlab.layers.dropout import Dropout
from cnnlab.layers.pooling import Pooling2DLayer
from cnnlab.layers.reshape import FlattenLayer

LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls
    for cls in (
        Convolution2DLayer,
        Pooling2DLayer,
        FlattenLayer,
        Dropout,
        FullyConnectedLayer,
        OutputLayer,
    )
}
#: layers that take images (channels, *spatial) and keep them images
SPATIAL = (Convolution2DLayer, Pooling2DLayer)
#: the short names of ``cnnlab.sklearn``'s ``architecture`` lists
SHORT_NAMES = {
    "conv": "Convolution2DLayer",
    "pool": "Pooling2DLayer",
    "flatten": "FlattenLayer",
    "dense": "FullyConnectedLayer",
    "dropout": "Dropout",
}
