import pytest

from cnnlab.imaging import conv_output_size, conv_parameters, pool_output_size


def test_notes_example_32x32x3_with_ten_5x5_filters():
    assert conv_output_size(32, 5, stride=1, padding=0) == 28
    assert conv_parameters(5, 5, 3, 1) == 76
    assert conv_parameters(5, 5, 3, 10) == 760


def test_notes_question_32_filters_of_3x3_over_rgb():
    assert conv_parameters(3, 3, 3, 32) == 896
    assert conv_parameters(3, 3, 3, 32, bias=False) == 864


@pytest.mark.parametrize(
    "n, kernel, stride, padding, expected",
    [(28, 3, 1, 1, 28), (28, 5, 2, 2, 14), (7, 4, 2, 1, 3), (227, 11, 4, 0, 55), (5, 5, 1, 0, 1)],
)
def test_conv_output_size(n, kernel, stride, padding, expected):
    assert conv_output_size(n, kernel, stride, padding) == expected


def test_pool_output_size():
    assert pool_output_size(28, 2) == 14
    assert pool_output_size(7, 3, 2) == 3


def test_bad_arithmetic():
    with pytest.raises(
        ValueError, match=r"kernel=7 is larger than the padded input n \+ 2 padding = 5"
    ):
        conv_output_size(5, 7)
    with pytest.raises(ValueError, match="padding must be >= 0, got -1"):
        conv_output_size(5, 3, padding=-1)
    with pytest.raises(TypeError, match="filters must be an integer"):
        conv_parameters(3, 3, 3, "32")
