"""The base of every optimizer: one parameter array's state, and ``update_change``.

``Scheduler`` (the course notes' name for an optimizer) holds the state of one
parameter array; ``cnnlab.nn.schedulers`` has the six the notes define.
``flush_denormals`` keeps long-decayed moments out of the slow subnormal range.
"""

from __future__ import annotations

import copy

import numpy as np

from cnnlab._validation import check_float, check_float_array

#: steps between flushes of subnormal optimizer state: they appear only after
#: hundreds of steps of geometric decay, so flushing rarely costs almost nothing
FLUSH_EVERY = 16


def flush_denormals(state: np.ndarray) -> None:
    """Round entries smaller than the smallest normal float to zero, in place.

    Moments of parameters whose gradient stays zero shrink geometrically until
    they become subnormal numbers, and arithmetic on those is 10 to 100 times
    slower on x86: a late MNIST epoch ran 30 % slower. Adding and subtracting
    ``c = 2 tiny / eps`` rounds every entry below ``c`` to a multiple of
    ``tiny`` (the smallest normal number), an absolute change of at most
    ``tiny`` (subnormal entries become zero or ``tiny``); larger entries change
    by at most two roundings, ``eps`` relative.
    """
    info = np.finfo(state.dtype)
    offset = state.dtype.type(2 * info.tiny / info.eps)
    state += offset
    state -= offset


class Scheduler:
    """Base class: one learning rate ``eta`` and a per-array state."""

    def __init__(self, eta: float) -> None:
        self.eta = check_float(eta, "eta", minimum=0.0, inclusive=False)

    def update_change(self, gradient: np.ndarray) -> np.ndarray:
        """Return the change to subtract from the parameter, same shape as ``gradient``."""
        return self._update(check_float_array(gradient, "gradient"))

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the accumulated state (moments, squares, step count)."""

    def fresh(self) -> Scheduler:
        """A copy with the same hyper-parameters and an empty state."""
        clone = copy.copy(self)
        clone.reset()
        return clone

    def get_state(self) -> dict[str, np.ndarray]:
        """The state arrays (for saving), by name."""
        return {}

    def set_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore what :meth:`get_state` returned (for loading)."""
        self.reset()
        for name, value in state.items():
            if name not in self._state_names():
                raise ValueError(f"{type(self).__name__} has no state {name!r}")
            array = np.asarray(value)
            if name == "t":  # the step counter divides the bias corrections
                if array.shape != () or array.dtype.kind not in "iu" or int(array) < 0:
                    raise ValueError(
                        f"{type(self).__name__}'s step count t must be >= 0, got {array}"
                    )
                setattr(self, name, int(array))
                continue
            if not np.isfinite(array).all():
                raise ValueError(f"{type(self).__name__}'s state {name!r} holds NaN or infinity")
            setattr(self, name, np.array(array))

    def _state_names(self) -> tuple[str, ...]:
        return ()

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.hyper_parameters().items())
        return f"{type(self).__name__}({arguments})"

    def hyper_parameters(self) -> dict[str, float]:
        """The constructor arguments that rebuild this optimizer (saved in model files)."""
        return {"eta": self.eta}
