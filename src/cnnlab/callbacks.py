"""Callbacks for ``CNN.fit(..., callbacks=[...])``, with Keras's names and meanings.

See ``cnnlab.training.callbacks`` for how they work and how to write one.
"""

from cnnlab.training.callbacks import (
    Callback,
    EarlyStopping,
    ModelCheckpoint,
    ReduceLROnPlateau,
)

__all__ = ["Callback", "EarlyStopping", "ModelCheckpoint", "ReduceLROnPlateau"]
