import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

from cnnlab.nn.metrics import batch_statistics, merge, scores, scores_from


@pytest.mark.parametrize("columns", [1, 3])
def test_regression_scores_match_scikit_learn_over_batches(columns):
    rng = np.random.default_rng(0)
    target = 5 + 2 * rng.standard_normal((50, columns))
    output = target + 0.7 * rng.standard_normal(target.shape)
    whole = scores(output, target, "Regression")
    assert whole["r2"] == pytest.approx(r2_score(target, output), rel=1e-12)
    assert whole["mae"] == pytest.approx(mean_absolute_error(target, output), rel=1e-12)
    # batches of 7, 20 and 23 merged give the scores of the whole
    statistics = None
    for part in np.split(np.arange(50), [7, 27]):
        statistics = merge(statistics, batch_statistics(output[part], target[part], "Regression"))
    merged = scores_from(statistics, "Regression")
    assert merged["r2"] == pytest.approx(whole["r2"], rel=1e-10)
    assert merged["mae"] == pytest.approx(whole["mae"], rel=1e-12)


def test_a_constant_target_column_scores_like_scikit_learn():
    target = np.column_stack([np.ones(6), np.arange(6.0)])
    assert scores(target, target, "Regression")["r2"] == 1.0
    output = target + 0.1
    assert scores(output, target, "Regression")["r2"] == pytest.approx(r2_score(target, output))


def test_image_scores_are_mse_and_psnr_over_the_target_range():
    rng = np.random.default_rng(1)
    target = rng.choice([-1.0, 1.0], (8, 1, 4, 4))  # spins: a range of 2
    output = target + 0.1 * rng.standard_normal(target.shape)
    result = scores(output, target, "Image")
    mse = mean_squared_error(target.ravel(), output.ravel())
    assert result["mse"] == pytest.approx(mse, rel=1e-12)
    assert result["psnr"] == pytest.approx(10 * np.log10(4 / mse), rel=1e-12)
    halves = merge(
        batch_statistics(output[:3], target[:3], "Image"),
        batch_statistics(output[3:], target[3:], "Image"),
    )
    assert scores_from(halves, "Image") == pytest.approx(result, rel=1e-12)
    assert scores(target, target, "Image")["psnr"] == float("inf")


def test_accuracy_counts_whole_samples():
    target = np.eye(3)[[0, 1, 2, 0]]
    output = np.eye(3)[[0, 2, 2, 1]]
    assert scores(output, target, "Multi-class") == {"acc": 0.5}
