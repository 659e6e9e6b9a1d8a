"""The 2-D Ising phase transition found by a CNN: Tc and nu by finite-size scaling
===============================================================================

Monte Carlo configurations of the Ising model on periodic L x L lattices, one
small CNN per L (circular padding: a kernel at the edge sees its true
neighbours), the temperature T*(L) where its output P(ordered) crosses 1/2,
and the fit T*(L) = Tc + a L^(-1/nu). Onsager's exact answer: Tc = 2.26919,
nu = 1. Run with --protocol minimal to train on T = 0 and T = infinity only.
"""

# %%
import json

from _common import parse

from cnnlab.studies import ising_figures as figures
from cnnlab.studies.ising import Settings, run

arguments = parse(__doc__)
settings = Settings()  # L = 8 to 128; 400 test samples per (L, T); 3 networks of 30 epochs per L
if arguments.quick:
    settings.sizes, settings.samples, settings.train_samples, settings.epochs = (
        (8, 12, 16),
        40,
        400,
        4,
    )

# %%
# Simulate, train one network per L, analyse
results = run(settings, cache=arguments.output / "cache", progress=not arguments.quick)
print(
    f"Tc = {results['tc']:.4f} ± {results['tc_error']:.4f} ({results['tc_deviation_percent']:+.2f} % "
    f"from Onsager's), nu = {results['nu']:.2f} ± {results['nu_error']:.2f}"
)
print("crossings T*(L):", json.dumps(results["crossings"]))
print("seconds:", results["timings"])

# %%
# What the network sees, what it says, and what follows
figures.plot_configurations(results["test"], max(settings.sizes), [1.6, 2.25, 3.2],
                            path=arguments.output / "ising_configurations.png")  # fmt: skip
figures.plot_outputs(
    results["curves"], results["crossings"], path=arguments.output / "ising_outputs.png"
)
figures.plot_scaling(results, path=arguments.output / "ising_scaling.png")
figures.plot_collapse(results, path=arguments.output / "ising_collapse.png")
figures.plot_observables(results["test"], path=arguments.output / "ising_observables.png")
print(f"figures written to {arguments.output}")
