#!/usr/bin/python3
"""Optuna's samplers on the sampler benchmark's test functions: the peer `bench sampler` compares ours with.

usage: optuna-peer.py FUNCTION SAMPLER SEEDS TRIALS
  FUNCTION  branin | hartmann6 | smp-spam (the surrogate of a real SMP search in smp-spam-surrogate.json, beside this file)
            | zdt1 (two objectives, five variables: "values" are then pairs)
  SAMPLER   random | tpe (multivariate, Optuna's other defaults) | tpe-fixed (the same, with the kernel density of
            optuna#5109 fixed as Optuna 3.5 fixed it: Optuna 3.1's truncated normal log-density leaves out −log(scale))
Prints one JSON line per seed: {"seed": s, "values": [...], "params": [{...}, ...], "seconds": wall time of the study}.
The functions are the standard ones; the benchmark evaluates every reported point again with its own definition and
refuses a run where the two disagree.
"""
import json
import math
import os
import sys
import time
import warnings

import optuna

HARTMANN6_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN6_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
               [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def branin(trial):
    x1, x2 = trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15)
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(trial):
    x = [trial.suggest_float(f"x{i + 1}", 0, 1) for i in range(6)]
    return -sum(HARTMANN6_ALPHA[i] * math.exp(-sum(HARTMANN6_A[i][j] * (x[j] - 1e-4 * HARTMANN6_P[i][j]) ** 2 for j in range(6)))
                for i in range(4))


def smp_spam():
    """Nadaraya-Watson regression of the trials' dev accuracy on the unit square (score_lr in log space), negated."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "smp-spam-surrogate.json")) as f:
        surrogate = json.load(f)
    h = surrogate["bandwidth"]

    def unit(lr, lam):
        return (math.log(lr) - math.log(1e-3)) / (math.log(1e-1) - math.log(1e-3)), (lam - 10) / 790

    points = [(unit(t["score_lr"], t["final_lambda"]), t["accuracy"]) for t in surrogate["trials"]]

    def objective(trial):
        u1, u2 = unit(trial.suggest_float("score_lr", 1e-3, 1e-1, log=True), trial.suggest_float("final_lambda", 10, 800))
        weighted = weights = 0.0
        for (v1, v2), accuracy in points:
            w = math.exp(-((u1 - v1) ** 2 + (u2 - v2) ** 2) / (2 * h * h))
            weighted, weights = weighted + w * accuracy, weights + w
        return -weighted / weights

    return objective


def zdt1(trial):
    x = [trial.suggest_float(f"x{i + 1}", 0, 1) for i in range(5)]
    g = 1 + 9 * sum(x[1:]) / 4
    return x[0], g * (1 - math.sqrt(x[0] / g))


def fix_truncnorm_logpdf():
    """Optuna 3.5's fix (optuna#5110) applied to 3.1: the truncated normal's log-density divided by its scale."""
    import numpy as np
    from optuna.samplers._tpe import _truncnorm
    unscaled = _truncnorm.logpdf

    def logpdf(x, a, b, loc=0, scale=1):
        return unscaled(x, a, b, loc, scale) - np.log(scale)

    _truncnorm.logpdf = logpdf


def main():
    function, sampler, seeds, trials = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    objective = {"branin": branin, "hartmann6": hartmann6, "zdt1": zdt1}[function] if function != "smp-spam" else smp_spam()
    directions = ["minimize", "minimize"] if function == "zdt1" else ["minimize"]
    if sampler == "tpe-fixed":
        fix_truncnorm_logpdf()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    for seed in range(seeds):
        chosen = optuna.samplers.RandomSampler(seed=seed) if sampler == "random" else optuna.samplers.TPESampler(seed=seed, multivariate=True)
        study = optuna.create_study(sampler=chosen, directions=directions)
        started = time.perf_counter()
        study.optimize(objective, n_trials=trials)
        seconds = time.perf_counter() - started
        print(json.dumps({"seed": seed, "values": [t.values if len(directions) > 1 else t.value for t in study.trials], "params": [t.params for t in study.trials], "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
