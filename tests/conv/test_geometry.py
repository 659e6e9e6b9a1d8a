import numpy as np
import pytest

from cnnlab.conv.geometry import Geometry, output_size, resolve_padding, same_padding


@pytest.mark.parametrize(
    "size, kernel, stride, expected",
    [
        (28, 3, 1, (1, 1)),
        (28, 2, 1, (0, 1)),
        (7, 4, 2, (1, 2)),
        (7, 4, 3, (1, 2)),
        (6, 1, 2, (0, 0)),
        (5, 7, 1, (3, 3)),
    ],
)
def test_same_padding_follows_tensorflow(size, kernel, stride, expected):
    assert same_padding(size, kernel, stride) == expected
    before, after = expected
    assert output_size(size + before + after, kernel, stride) == -(-size // stride)


def test_resolve_padding():
    assert resolve_padding("valid", 9, 3, 1) == (0, 0)
    assert resolve_padding(2, 9, 3, 1) == (2, 2)
    assert resolve_padding("same", 9, 4, 1) == (1, 2)


def test_geometry_sizes_in_one_and_two_dimensions():
    line = Geometry.resolve((10,), (3,), (2,), "same")
    assert line.padding == ((0, 1),) and line.padded_shape == (11,) and line.output_shape == (5,)
    image = Geometry.resolve((7, 6), (3, 2), (1, 2), 1)
    assert image.padded_shape == (9, 8) and image.output_shape == (7, 4)
    assert [offset for offset, _ in image.offsets()] == [
        (0, 0),
        (0, 1),
        (1, 0),
        (1, 1),
        (2, 0),
        (2, 1),
    ]


@pytest.mark.parametrize("shape, pad", [((6,), 2), ((5, 4), "same"), ((5, 7), 1), ((4, 4), (1))])
def test_circular_padding_wraps_and_unpad_is_its_adjoint(shape, pad):
    rng = np.random.default_rng(0)
    geometry = Geometry.resolve(shape, (3,) * len(shape), (1,) * len(shape), pad, "circular")
    X = rng.standard_normal((2, 3, *shape))
    padded = geometry.pad(X)
    np.testing.assert_array_equal(padded, np.pad(X, ((0, 0), (0, 0), *geometry.padding), "wrap"))
    G = rng.standard_normal(padded.shape)
    # <pad(X), G> == <X, unpad(G)> for every X and G: unpad is the adjoint
    assert np.sum(padded * G) == pytest.approx(np.sum(X * geometry.unpad(G)), rel=1e-12)
    zeros = Geometry.resolve(shape, (3,) * len(shape), (1,) * len(shape), pad, "zeros")
    assert np.sum(zeros.pad(X) * G) == pytest.approx(np.sum(X * zeros.unpad(G)), rel=1e-12)


def test_geometry_errors_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"kernel 5x5 is larger than the padded input 3x3"):
        Geometry.resolve((3, 3), (5, 5), (1, 1), "valid")
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        Geometry.resolve((3, 3), (3, 3), (1, 1), 1, "reflect")
    with pytest.raises(ValueError, match="circular.*exceeds the input 2x2"):
        Geometry.resolve((2, 2), (3, 3), (1, 1), 3, "circular")


def test_circular_unpad_keeps_the_memory_order():
    geometry = Geometry.resolve((5, 4), (3, 3), (1, 1), 1, "circular")
    channels_last = np.zeros((2, 7, 6, 3)).transpose(0, 3, 1, 2)  # (N, C, H, W) view
    folded = geometry.unpad(channels_last)
    assert folded.shape == (2, 3, 5, 4)
    assert np.argsort(folded.strides).tolist() == np.argsort(channels_last.strides).tolist()


@pytest.mark.parametrize(
    "dilations, error, message",
    [((0,), ValueError, "dilation must be >= 1, got 0"), ((1.5,), TypeError, "dilation must be an integer"),
     ((1, 2), ValueError, "dilations must have one entry per spatial axis")],
)  # fmt: skip
def test_dilations_are_checked(dilations, error, message):
    with pytest.raises(error, match=message):
        Geometry.resolve((9,), (3,), (1,), "same", dilations=dilations)
