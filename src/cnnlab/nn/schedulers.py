"""Optimizers ("schedulers" in the course notes), with PyTorch's formulas.

A scheduler holds the state for one parameter array. ``update_change(g)``
returns the change to subtract from that array, as in the notes. The model
makes one fresh copy (``scheduler.fresh()``) for each parameter array, so one
instance can be passed to ``CNN`` for the whole network.

Differences from the notes' code:

* Adam's bias correction counts update steps, not epochs, and ``reset()`` no
  longer moves it on.
* Adagrad accumulates elementwise squares, not the matrix ``g @ g.T``.
* The small constant is added after the square root, as PyTorch and Keras do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import numpy as np

from cnnlab._validation import check_float
from cnnlab.nn.optimizer import FLUSH_EVERY, Scheduler, flush_denormals

__all__ = [
    "FLUSH_EVERY", "SCHEDULERS", "Adagrad", "AdagradMomentum", "Adam", "Constant", "Momentum",
    "RMS_prop", "Scheduler", "flush_denormals", "make_scheduler",
]  # fmt: skip


class Constant(Scheduler):
    """Plain gradient descent: ``change = eta * g``. As in the course notes."""

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        return self.eta * gradient


class Momentum(Scheduler):
    """Heavy-ball momentum: ``v = momentum * v + eta * g``; ``change = v``. As in the course notes.

    With a fixed ``eta`` this is PyTorch's ``SGD(momentum=...)``.
    """

    def __init__(self, eta: float, momentum: float = 0.9) -> None:
        super().__init__(eta)
        self.momentum = check_float(momentum, "momentum", minimum=0.0, maximum=1.0)
        self.reset()

    def reset(self) -> None:
        self.change: np.ndarray | None = None

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        if self.change is None:
            self.change = self.eta * gradient
        else:
            self.change *= self.momentum
            self.change += self.eta * gradient
            flush_denormals(self.change)
        return self.change

    def get_state(self) -> dict[str, np.ndarray]:
        return {} if self.change is None else {"change": self.change}

    def _state_names(self) -> tuple[str, ...]:
        return ("change",)

    def hyper_parameters(self) -> dict[str, float]:
        return {"eta": self.eta, "momentum": self.momentum}


class Adagrad(Scheduler):
    """``G += g**2``; ``change = eta * g / (sqrt(G) + delta)``, as PyTorch's Adagrad.

    The course notes' code accumulates the matrix ``g @ g.T``, which mixes unrelated
    parameters; this accumulates ``g**2`` entry by entry."""

    delta = 1e-10

    def __init__(self, eta: float) -> None:
        super().__init__(eta)
        self.reset()

    def reset(self) -> None:
        self.G_t: np.ndarray | None = None

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        if self.G_t is None:
            self.G_t = np.zeros_like(gradient)
        self.G_t += gradient * gradient
        denominator = np.sqrt(self.G_t)
        denominator += self.delta
        return self.eta * gradient / denominator

    def get_state(self) -> dict[str, np.ndarray]:
        return {} if self.G_t is None else {"G_t": self.G_t}

    def _state_names(self) -> tuple[str, ...]:
        return ("G_t", "change")


class AdagradMomentum(Adagrad):
    """Adagrad's scaled step fed through momentum: ``v = momentum * v + adagrad_step``.

    Its Adagrad part accumulates ``g**2`` entry by entry, not the course notes' ``g @ g.T``."""

    def __init__(self, eta: float, momentum: float = 0.9) -> None:
        self.momentum = check_float(momentum, "momentum", minimum=0.0, maximum=1.0)
        super().__init__(eta)

    def reset(self) -> None:
        super().reset()
        self.change: np.ndarray | None = None

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        step = super()._update(gradient)
        if self.change is None:
            self.change = step
        else:
            self.change *= self.momentum
            self.change += step
            flush_denormals(self.change)
        return self.change

    def get_state(self) -> dict[str, np.ndarray]:
        state = super().get_state()
        if self.change is not None:
            state["change"] = self.change
        return state

    def hyper_parameters(self) -> dict[str, float]:
        return {"eta": self.eta, "momentum": self.momentum}


class RMS_prop(Scheduler):  # noqa: N801 - the notes' spelling
    """``s = rho * s + (1 - rho) * g**2``; ``change = eta * g / (sqrt(s) + delta)``.

    ``delta`` is added after the square root, as PyTorch and Keras do; the course notes'
    code adds it inside.

    This is PyTorch's ``RMSprop`` with ``alpha=rho``.
    """

    delta = 1e-8

    def __init__(self, eta: float, rho: float = 0.99) -> None:
        super().__init__(eta)
        self.rho = check_float(rho, "rho", minimum=0.0, maximum=1.0, inclusive=False)
        self.reset()

    def reset(self) -> None:
        self.second: np.ndarray | None = None

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        if self.second is None:
            self.second = np.zeros_like(gradient)
        self.second *= self.rho
        self.second += (1 - self.rho) * gradient * gradient
        flush_denormals(self.second)
        denominator = np.sqrt(self.second)
        denominator += self.delta
        return self.eta * gradient / denominator

    def get_state(self) -> dict[str, np.ndarray]:
        return {} if self.second is None else {"second": self.second}

    def _state_names(self) -> tuple[str, ...]:
        return ("second",)

    def hyper_parameters(self) -> dict[str, float]:
        return {"eta": self.eta, "rho": self.rho}


class Adam(Scheduler):
    """Adam with bias correction by step count ``t``, as PyTorch and Keras.

    The course notes' code counts epochs in the bias correction and resets the count
    every epoch; ``delta`` goes after the square root here, inside it in the notes.

    ``m = rho m + (1 - rho) g``, ``s = rho2 s + (1 - rho2) g**2``,
    ``change = eta * (m / (1 - rho**t)) / (sqrt(s / (1 - rho2**t)) + delta)``.
    """

    delta = 1e-8

    def __init__(self, eta: float = 1e-3, rho: float = 0.9, rho2: float = 0.999) -> None:
        super().__init__(eta)
        self.rho = check_float(rho, "rho", minimum=0.0, maximum=1.0, inclusive=False)
        self.rho2 = check_float(rho2, "rho2", minimum=0.0, maximum=1.0, inclusive=False)
        self.reset()

    def reset(self) -> None:
        self.moment: np.ndarray | None = None
        self.second: np.ndarray | None = None
        self.t = 0
        self._work: np.ndarray | None = None

    def _update(self, gradient: np.ndarray) -> np.ndarray:
        """The change for one step; the array is reused, so use it before the next call."""
        moment, second, work = self._begin_step(gradient)
        self._change(gradient, moment, second, work)
        return work

    def step_parts(
        self, parameter: np.ndarray, gradient: np.ndarray, parts: list[slice],
        run: Callable[[Callable[[slice], None], list[slice]], None],
    ) -> None:  # fmt: skip
        """One step that subtracts the change from ``parameter`` in place, slice by slice.

        ``parts`` are slices of the flattened arrays and ``run(function, parts)``
        calls ``function(part)`` for each, maybe on several threads at once: the
        update is elementwise, so the slices are independent.
        """
        arrays = (parameter, gradient, *self._begin_step(gradient))
        run(partial(self._step_part, *(array.reshape(-1) for array in arrays)), parts)

    def _step_part(self, parameter, gradient, moment, second, work, part):
        self._change(gradient[part], moment[part], second[part], work[part])
        parameter[part] -= work[part]

    def _begin_step(self, gradient: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Count the step; the moments and the work array, made at the first step."""
        if self.moment is None:
            self.moment = np.zeros_like(gradient)
            self.second = np.zeros_like(gradient)
        if self._work is None:
            self._work = np.empty_like(gradient)
        self.t += 1
        assert self.second is not None  # made, or restored by set_state, with the moment
        return self.moment, self.second, self._work

    def _change(self, gradient, moment, second, work):
        """Write step ``self.t``'s change into ``work``, updating the moments in place."""
        # In place, with one work array: the dense layers of an MNIST model hold millions
        # of weights, and fresh temporaries for each term would dominate the step.
        moment *= self.rho  # m = rho m + (1 - rho) g
        np.multiply(gradient, 1.0 - self.rho, out=work)
        moment += work
        second *= self.rho2  # s = rho2 s + (1 - rho2) g^2
        np.multiply(gradient, gradient, out=work)
        work *= 1.0 - self.rho2
        second += work
        if self.t % FLUSH_EVERY == 0:
            flush_denormals(moment)
            flush_denormals(second)
        # eta m / (1 - rho^t) / (sqrt(s / (1 - rho2^t)) + delta), with the square root of
        # the correction moved out of the denominator: one pass fewer over the weights.
        root = math.sqrt(1.0 - self.rho2**self.t)
        np.sqrt(second, out=work)
        work += self.delta * root
        np.divide(moment, work, out=work)
        work *= self.eta * root / (1.0 - self.rho**self.t)

    def get_state(self) -> dict[str, np.ndarray]:
        if self.moment is None or self.second is None:
            return {}
        return {"moment": self.moment, "second": self.second, "t": np.asarray(self.t)}

    def _state_names(self) -> tuple[str, ...]:
        return ("moment", "second", "t")

    def hyper_parameters(self) -> dict[str, float]:
        return {"eta": self.eta, "rho": self.rho, "rho2": self.rho2}


SCHEDULERS = {
    cls.__name__: cls for cls in (Constant, Momentum, Adagrad, AdagradMomentum, RMS_prop, Adam)
}


def make_scheduler(name: str, eta: float, **options: float) -> Scheduler:
    """Create a scheduler from its name (as in ``SCHEDULERS``) and learning rate."""
    lookup = {key.lower(): cls for key, cls in SCHEDULERS.items()}
    cls = lookup.get(str(name).lower())
    if cls is None:
        raise ValueError(f"scheduler must be one of {sorted(SCHEDULERS)}, got {name!r}")
    return cls(eta, **options)
