import json

import numpy as np
import pytest

from cnnlab.cli import main
from cnnlab.physics import phase
from cnnlab.physics.exact import CRITICAL_TEMPERATURE
from cnnlab.studies.ising import Settings, analyse, training_data

TINY = ["--sizes", "4,6,8", "--samples", "20", "--train-samples", "200", "--epochs", "4",
        "--protocol", "minimal", "--temperatures", "1.5,2.0,2.2,2.3,2.4,2.5,2.6,2.8,3.0,3.5",
        "--quiet"]  # fmt: skip


def synthetic_curves(sizes, tc=CRITICAL_TEMPERATURE, nu=1.0, a=0.5, width=0.6):
    """Mean outputs of a perfect detector: a logistic step at Tc + a L^(-1/nu), narrowing as L^(-1/nu)."""
    temperatures = np.linspace(1.8, 2.9, 23)
    curves = {}
    for L in sizes:
        centre = tc + a * L ** (-1 / nu)
        means = 1 / (1 + np.exp((temperatures - centre) * L ** (1 / nu) / width))
        curves[L] = phase.MeanOutput(
            temperatures, means, np.full_like(means, 1e-3), np.full(23, 100)
        )
    return curves


def test_analysis_recovers_a_known_transition():
    sizes = (8, 16, 32, 64)
    results = analyse(Settings(sizes=sizes), synthetic_curves(sizes, nu=1.0))
    assert results["tc"] == pytest.approx(CRITICAL_TEMPERATURE, abs=2e-3)
    assert results["nu"] == pytest.approx(1.0, abs=0.05)
    wrong = analyse(Settings(sizes=sizes), synthetic_curves(sizes, nu=0.8))
    assert wrong["nu"] == pytest.approx(0.8, abs=0.05)  # it measures, it does not assume


def test_minimal_protocol_trains_on_ground_states_and_random_spins():
    X, t = training_data(
        Settings(protocol="minimal", train_samples=40), 6, cache=None, progress=False
    )
    assert X.shape == (40, 1, 6, 6) and X.dtype == np.float32 and t.shape == (40, 2)
    ordered = t[:, 1] == 1
    assert ordered.sum() == 20
    magnetizations = np.abs(X.mean(axis=(1, 2, 3)))
    assert np.all(magnetizations[ordered] == 1) and np.all(magnetizations[~ordered] < 1)


def test_range_protocol_labels_by_phase(tmp_path):
    # 26 temperatures from 1.0 to 3.5, 13 of them below Tc; two configurations each
    X, t = training_data(Settings(train_samples=52, seed=3), 4, cache=tmp_path, progress=False)
    assert X.shape == (52, 1, 4, 4) and t[:, 1].sum() == 26


def test_cli_writes_results_and_figures_and_keeps_a_finished_study(tmp_path, capsys):
    output = tmp_path / "study"
    arguments = ["ising", *TINY, "--output", str(output), "--cache", str(tmp_path / "cache")]
    assert main(arguments) == 0
    results = json.loads((output / "results.json").read_text())
    assert {"tc", "tc_error", "nu", "nu_error", "crossings", "settings", "timings"} <= set(results)
    assert set(results["crossings"]) == {"4", "6", "8"}
    assert all(1.5 < c["temperature"] < 3.5 for c in results["crossings"].values())
    assert results["settings"]["sizes"] == [4, 6, 8]
    assert {"simulation", "training", "analysis", "total"} <= set(results["timings"])
    for name in ("configurations", "outputs", "scaling", "collapse", "observables"):
        assert (output / f"ising_{name}.png").stat().st_size > 5000
    assert "Tc = " in capsys.readouterr().out
    assert main(arguments) == 2  # a finished study is not replaced unasked
    assert "pass --overwrite" in capsys.readouterr().err
    assert main([*arguments, "--overwrite"]) == 0
