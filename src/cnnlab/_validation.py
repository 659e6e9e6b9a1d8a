"""Checks run at the public boundary, so bad input fails early with a clear message.

Every helper raises ``TypeError`` for a value of the wrong kind and ``ValueError``
for a value of the right kind but the wrong size, shape or content. Messages name
the argument, quote what was received and say what was expected.
"""

from __future__ import annotations

import argparse
import numbers
from collections.abc import Callable

import numpy as np


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_int(value: object, name: str, *, minimum: int | None = 1) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {_describe(value)} ({type(value).__name__})"
        )
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_float(
    value: object,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite float inside the given bounds, or raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {_describe(value)} ({type(value).__name__})"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value < minimum or (not inclusive and value == minimum)):
        sign = ">=" if inclusive else ">"
        raise ValueError(f"{name} must be {sign} {minimum}, got {value}")
    if maximum is not None and (value > maximum or (not inclusive and value == maximum)):
        sign = "<=" if inclusive else "<"
        raise ValueError(f"{name} must be {sign} {maximum}, got {value}")
    return value


def check_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of the allowed strings, or raise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {choices}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_array(
    values: object,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    dtype: type | None = None,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """Convert ``values`` to a real-valued array and check its ndim and content.

    Parameters
    ----------
    values : array_like
        What the user passed.
    name : str
        The argument's name, quoted in error messages.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    dtype : numpy dtype, optional
        Cast the result to this dtype. Without it, integer and boolean input
        becomes float64 and floating input keeps its precision.
    allow_empty : bool
        Whether an array with zero elements is acceptable.
    finite : bool
        Whether to reject NaN and infinity.
    """
    if isinstance(values, str | bytes):
        raise TypeError(f"{name} must be a numeric array, got a string {_describe(values)}")
    try:
        array = np.asarray(values)
    except (ValueError, TypeError) as error:  # ragged nested lists end here
        raise ValueError(f"{name} could not be read as a numeric array: {error}") from None
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must be real-valued, got a complex array (dtype {array.dtype})")
    if kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array, got dtype {array.dtype}; convert it with "
            f"np.asarray({name}, dtype=float)"
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            expected = " or ".join(str(n) for n in allowed)
            raise ValueError(
                f"{name} must have {expected} dimensions, got {array.ndim} (shape {array.shape})"
            )
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    elif kind != "f":
        array = array.astype(np.float64)
    if finite and array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} contains {bad} NaN or infinite values; remove or impute them")
    return array


def check_same_length(
    first: np.ndarray, first_name: str, second: np.ndarray, second_name: str
) -> None:
    """Raise if two arrays do not have the same number of samples (first axis)."""
    if len(first) != len(second):
        raise ValueError(
            f"{first_name} and {second_name} must have the same number of samples, got "
            f"{len(first)} and {len(second)}"
        )


def as_float_array(values: object, name: str) -> np.ndarray:
    """``values`` as a float ndarray, cheaply when it already is one (hot paths call this).

    Integer input becomes float64; strings, objects and complex numbers raise.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return values
    array = check_array(values, name, allow_empty=True, finite=False)
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def check_float_array(values: object, name: str) -> np.ndarray:
    """Raise TypeError unless ``values`` is already a float ndarray (layers and optimizers)."""
    if not isinstance(values, np.ndarray) or values.dtype.kind != "f":
        kind = (
            type(values).__name__ if not isinstance(values, np.ndarray) else f"dtype {values.dtype}"
        )
        raise TypeError(
            f"{name} must be a float array (numpy float32 or float64), got {kind}; "
            f"convert with np.asarray({name}, dtype=np.float32)"
        )
    return values


def number_list(kind: type[int] | type[float]) -> Callable[[str], list]:
    """An ``argparse`` type: ``"1,2,3"`` as a list of ``kind`` (int or float), or a clear error."""

    def parse(text: str) -> list:
        try:
            return [kind(part) for part in text.split(",") if part.strip()]
        except ValueError:
            noun = "integers" if kind is int else "numbers"
            raise argparse.ArgumentTypeError(
                f"expected {noun} separated by commas, got {text!r}"
            ) from None

    parse.__name__ = f"{kind.__name__}_list"
    return parse
