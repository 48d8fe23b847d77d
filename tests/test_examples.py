"""The examples: importable functions, quick end-to-end CLI runs, and the hand-derived
backprop against autograd. No accuracy thresholds on tiny runs."""

from __future__ import annotations

import importlib.util
import itertools
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import nn
from tests.cases.examples import load

compare = load("compare_optimizers")


def test_cli_runs_end_to_end_and_writes_results(tmp_path, capsys):
    results = compare.main(
        ["--epochs", "8", "--sgd-epochs", "1", "--out", str(tmp_path), "--no-progress"]
    )
    table = capsys.readouterr().out
    assert [r.name for r in results] == list(compare.ORDER)
    for label in ("Batch GD", "SGD", "Mini-batch GD", "Momentum", "Adam"):
        assert label in table
    rows = json.loads((tmp_path / "results.json").read_text())
    assert [row["name"] for row in rows] == list(compare.ORDER)
    assert all(len(row["costs"]) == row["epochs"] for row in rows)
    assert (tmp_path / "results.csv").read_text().startswith("name,label,batch_size,lr")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    for picture in ("cost.png", "boundaries.png"):  # (PNGs with pixels, not empty files)
        content = (tmp_path / picture).read_bytes()
        assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 10_000, picture


def test_same_seed_same_table(tmp_path):
    def table(out):
        results = compare.main(
            [
                "--epochs",
                "5",
                "--sgd-epochs",
                "1",
                "--optimizers",
                "sgd,adam",
                "--out",
                str(out),
                "--no-progress",
            ]
        )
        return [(r.updates, r.final_cost, r.train_accuracy, r.test_accuracy) for r in results]

    assert table(tmp_path / "a") == table(tmp_path / "b")


def test_updates_per_epoch_batch_gd_one_sgd_m():
    args = compare.build_parser().parse_args(
        ["--epochs", "3", "--sgd-epochs", "2", "--optimizers", "batch-gd,sgd,mini-batch-gd"]
    )
    data = compare.make_data("moons", seed=0)
    m = len(data[0])
    updates = {
        spec.name: compare.train(spec, data, seed=0)[0].updates for spec in compare.build_runs(args)
    }
    assert updates == {"batch-gd": 3, "sgd": 2 * m, "mini-batch-gd": 3 * -(-m // 64)}


def test_decay_changes_the_learning_rate_and_flags_are_checked():
    args = compare.build_parser().parse_args(["--decay", "--optimizers", "momentum,adam"])
    assert [spec.lr for spec in compare.build_runs(args)] == [0.1, 0.01]
    with pytest.raises(SystemExit, match="unknown optimizer"):
        compare.build_runs(compare.build_parser().parse_args(["--optimizers", "lbfgs"]))
    for dataset in compare.DATASETS:
        X, y, X_test, _ = compare.make_data(dataset, seed=1)
        assert X.shape == X_test.shape == (300, 2) and set(np.unique(y)) <= {0.0, 1.0}


def test_logits_variant_trains(tmp_path):
    results = compare.main(
        [
            "--epochs",
            "3",
            "--optimizers",
            "adam",
            "--logits",
            "--dtype",
            "float32",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert np.isfinite(results[0].final_cost)


def test_hand_derived_backprop_equals_autograd():
    differences = load("manual_backprop").compare()
    assert max(differences.values()) < 1e-12


def test_every_family_of_torch_optim_draws_a_finite_path():
    trajectories = load("trajectories")
    quadratic = next(p for p in trajectories.PROBLEMS if p.function is trajectories.IllConditioned)
    for family, lineup in trajectories.FAMILIES.items():
        for name in lineup:
            path = trajectories.trajectory(quadratic, name, family)
            assert np.isfinite(path).all(), (family, name)
            start, end = (quadratic.function(tuple(p)).value(*p) for p in (path[0], path[-1]))
            assert end < start, (family, name)  # downhill on the convex quadratic


def test_trajectories_are_made_by_the_optimizers():
    trajectories = load("trajectories")
    for problem in trajectories.PROBLEMS:
        for name in trajectories.OPTIMIZERS:
            path = trajectories.trajectory(problem, name)
            assert path.shape == (problem.steps + 1, 2)
            assert np.all(np.isfinite(path)) and not np.allclose(path[-1], path[0])
    quadratic = next(p for p in trajectories.PROBLEMS if p.function is trajectories.IllConditioned)
    for name in trajectories.OPTIMIZERS:
        assert np.linalg.norm(trajectories.trajectory(quadratic, name)[-1]) < 0.5


def test_quickstart_runs(capsys):
    load("quickstart")
    assert "train accuracy" in capsys.readouterr().out


def test_seeds_summarise_several_initialisations_and_one_seed_changes_nothing(tmp_path):
    args = ["--quick", "--no-progress", "--epochs", "20", "--sgd-epochs", "1"]
    single = compare.main([*args, "--out", str(tmp_path / "one")])
    assert not (tmp_path / "one" / "results_by_seed.csv").exists()
    first = compare.main([*args, "--seeds", "3", "--out", str(tmp_path / "three")])
    assert [r.test_accuracy for r in first] == [r.test_accuracy for r in single]
    records = json.loads((tmp_path / "three" / "results_by_seed.json").read_text())
    assert len(records) == 3 * len(single) and {r["seed"] for r in records} == {3, 4, 5}
    seed_3 = [r["test_accuracy"] for r in records if r["seed"] == 3]
    assert seed_3 == [r.test_accuracy for r in single]
    with pytest.raises(SystemExit):
        compare.main([*args, "--seeds", "0"])


def test_bias_correction_example(tmp_path, capsys):
    example = load("bias_correction")
    record = example.main(["--steps", "5", "--out", str(tmp_path)])
    assert (tmp_path / "bias_correction.json").exists()
    # a constant series: the corrected average is the constant from the first day on
    raw, corrected = example.weighted_average(np.full(10, 7.0), 0.9)
    np.testing.assert_allclose(corrected, 7.0)
    assert raw[0] == pytest.approx(0.7)
    beta1, beta2 = 0.9, 0.999
    t = np.arange(1, 6)
    np.testing.assert_allclose(record["v_corrected"], np.array(record["v"]) / (1 - beta1**t))
    np.testing.assert_allclose(record["s_corrected"], np.array(record["s"]) / (1 - beta2**t))
    # Adam's first step with epsilon ~ 0 moves the weight by lr (sign of the gradient)
    assert abs(record["step"][0]) == pytest.approx(0.0007, rel=1e-3)


def test_path_smoothness_numbers(tmp_path):
    smoothness = load("path_smoothness")
    assert smoothness.of_points(np.array([[0.0, 0], [1, 0], [3, 0]])) == (1.0, 1.0)
    cosine, ratio = smoothness.of_points(np.array([[0.0, 0], [1, 1], [2, -1], [3, 1]]))
    assert cosine < 0 and ratio > 1.5  # a zig-zag
    results = compare.main(["--quick", "--no-progress", "--epochs", "30", "--sgd-epochs", "2",
                            "--out", str(tmp_path)])  # fmt: skip
    by_name = {r.name: r for r in results}
    assert by_name["batch-gd"].mean_cosine > 0.99  # full-batch steps barely turn
    assert by_name["sgd"].mean_cosine < by_name["mini-batch-gd"].mean_cosine
    assert by_name["sgd"].path_ratio > by_name["batch-gd"].path_ratio


def test_batch_size_study_stops_a_dead_network_at_once(monkeypatch):
    study = load("batch_size_study")
    real = study.course_net

    def dead(seed):
        model = real(seed)
        nn.init.constant_(model[2].bias, -100.0)  # the 2-unit ReLU layer outputs 0 everywhere
        return model

    monkeypatch.setattr(study, "course_net", dead)
    X, y = study.moons(200)
    record = study.train(X, y, 64, 0.3, 0, 0.35, 30.0)
    assert record.died and not record.reached and len(record.curve) == 1
    assert record.final_cost == pytest.approx(np.log(2), abs=0.01)  # the output is one constant


def test_batch_size_study_picks_rates_by_updates_whatever_the_clock(monkeypatch):
    """A loaded machine (every clock read 5 s later than the last) picks the same rates."""
    study = load("batch_size_study")
    monkeypatch.setattr(study, "PICKING_UPDATES", 400)
    X, y = study.moons(200)
    picked = [study.pick_lr(X, y, batch, 0.35) for batch in (1, 64, 200)]
    slow = itertools.count(step=5.0)
    monkeypatch.setattr(study.time, "perf_counter", lambda: next(slow))
    assert [study.pick_lr(X, y, batch, 0.35) for batch in (1, 64, 200)] == picked


def test_batch_size_study_reports_dead_runs_apart():
    study = load("batch_size_study")
    alive = study.Record(300, 64, 0.3, 0, 1.0, 10.0, 50, 0.349, True, False, [])
    dead = study.Record(300, 64, 0.3, 1, None, None, None, 0.6931, False, True, [])
    text = study.table([alive, dead])
    row = text.splitlines()[1].split()
    assert row[3] == "1/2" and row[4] == "1" and row[-1] == "0.349"  # (alive runs' cost)
    assert "m = 300, batch 64, seed 1: cost 0.6931" in text


def test_batch_size_study_records_are_consistent(tmp_path):
    study = load("batch_size_study")
    records = study.main(
        ["--sizes", "200,600", "--batch-sizes", "1,64,m", "--seeds", "2", "--budget", "1",
         "--no-progress", "--out", str(tmp_path)]
    )  # fmt: skip
    assert len(records) == 2 * 3 * 2
    saved = json.loads((tmp_path / "results.json").read_text())
    fields = {"m", "batch_size", "lr", "seed", "seconds_to_target", "epochs_to_target",
              "updates_to_target", "final_cost", "reached", "died"}  # fmt: skip
    assert fields <= set(saved[0])
    for record in records:
        if record.reached:
            assert record.final_cost <= 0.35
            per_epoch = -(-record.m // record.batch_size)
            assert record.epochs_to_target == pytest.approx(record.updates_to_target / per_epoch)
        else:
            assert record.seconds_to_target is None and record.final_cost > 0.35
        if record.died:  # stopped at once: a dead network never learns again
            assert not record.reached and record.curve[-1][0] < 1.0
    lrs = {(r.batch_size if r.batch_size < r.m else "m"): r.lr for r in records}
    assert all(lr in study.LR_GRID for lr in lrs.values())  # one rate per batch size
    assert (tmp_path / "results.csv").exists()


def test_the_benchmarks_course_loop_computes_what_the_main_job_computes():
    """benchmarks/course_loop.py, the floor the main job's loop is timed against, is the
    same computation: the same weights, shuffles, batches and costs (to rounding)."""
    spec = importlib.util.spec_from_file_location(
        "course_loop", Path(__file__).resolve().parent.parent / "benchmarks" / "course_loop.py"
    )
    assert spec is not None and spec.loader is not None
    course_loop = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_loop)
    args = compare.build_parser().parse_args(
        ["--epochs", "15", "--optimizers", "mini-batch-gd,momentum,adam"]
    )
    data = compare.make_data("moons", seed=3)
    X, y = data[0], data[1]
    for run, name in zip(compare.build_runs(args), ("gd", "momentum", "adam"), strict=True):
        ours = compare.train(run, data, seed=3)[0].costs
        theirs = course_loop.train(X.T, y.T, name, 15)
        np.testing.assert_allclose(ours, theirs, rtol=1e-9)
        assert ours[-1] != ours[0]  # (they trained)


@pytest.mark.parametrize("logits", [False, True])
def test_the_main_job_compiled_gives_its_eager_numbers_bit_for_bit(logits):
    args = compare.build_parser().parse_args(["--epochs", "4", "--sgd-epochs", "1"])
    data = compare.make_data("moons", seed=3)
    for run in compare.build_runs(args):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # (every step recorded or replayed, none eager)
            ours, model = compare.train(run, data, 3, logits, compiled=True)
        theirs, reference = compare.train(run, data, 3, logits, compiled=False)
        assert ours.costs == theirs.costs and ours.mean_cosine == theirs.mean_cosine
        for a, b in zip(model.parameters(), reference.parameters(), strict=True):
            assert np.array_equal(a.detach().numpy(), b.detach().numpy())
