"""The registry page and the commands: figures per level, promote and roll back (audited), per-level
figures from ``massline train`` and ``massline evaluate`` on path labels."""

from __future__ import annotations

import csv

import pytest
from django.contrib.auth.models import User

from massline.cli import main
from massline.console.models import ConfigEvent
from massline.core.classify.calibration import NEVER, coverage_precision_curve, threshold_for_precision
from massline.learning.models import ModelVersion

TOPICS = {
    "城建/路灯": "{p}路灯坏了{n}天，晚上很黑，路灯不亮",
    "城建/井盖": "{p}井盖丢了{n}天，行人容易掉下去，井盖缺失",
    "环保/油烟": "{p}餐馆油烟扰民{n}次，油烟直排",
    "环保/噪音": "{p}工地夜间施工噪音{n}晚，噪音扰民",
    "教育/收费": "{p}学校乱收费{n}次，补课收费",
    "教育/招生": "{p}学校招生不公平{n}次，入学招生",
}
PLACES = ["东塘", "观岭", "魁星", "雨花", "岳麓", "开福", "天心", "望城", "星沙", "高新"]


@pytest.fixture
def paths_csv(tmp_path):
    path = tmp_path / "paths.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["内容", "分类"])
        for label, template in TOPICS.items():
            for i, place in enumerate(PLACES):
                writer.writerow([template.format(p=place, n=i + 2), label])
    return path


def test_evaluate_and_train_report_figures_per_level(paths_csv, tmp_path, capsys):
    args = ["--text-column", "内容", "--label-column", "分类", "--min-examples", "3", "-q"]
    assert main(["evaluate", str(paths_csv), *args, "--folds", "3", "--plot", str(tmp_path / "c.png")]) == 0
    out = capsys.readouterr().out
    lines = {row[0]: row for row in (line.split() for line in out.splitlines()) if row and row[0] in "123"}
    assert float(lines["1"][2]) > 0.8 and float(lines["2"][2]) > 0.6  # macro-F1 of levels 1 and 2
    assert "(no labels this deep)" in out  # level 3
    model = tmp_path / "router.joblib"
    assert main(["train", str(paths_csv), *args, "-o", str(model), "--precision", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "held out" in out and "level  held-out  macro-F1  threshold" in out
    result = tmp_path / "out.csv"
    assert (
        main(["predict", str(model), str(paths_csv), "--text-column", "内容", "-o", str(result), "-q"]) == 0
    )
    rows = list(csv.DictReader(open(result, encoding="utf-8")))
    assert sum(r["predicted"].split("/")[0] == r["分类"].split("/")[0] for r in rows) >= 0.8 * len(rows)


def test_a_threshold_reaches_the_precision_target_or_nothing_routes():
    confidence = [0.99, 0.98, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5]
    correct = [True, True, True, True, True, False, True, False]
    assert threshold_for_precision(confidence, correct, 0.97) == 0.8  # 5 of 5 right at ≥ 0.8
    assert threshold_for_precision(confidence, correct, 0.8) == 0.6  # 6 of 7
    assert threshold_for_precision([0.9, 0.8], [False, False], 0.5) == NEVER
    curve = coverage_precision_curve(confidence, correct)
    assert curve[0].coverage == 1 / 8 and curve[-1].coverage == 1.0


def _version(number: int, *, active: bool, tmp_path) -> ModelVersion:
    from django.utils import timezone

    path = tmp_path / f"v{number}.joblib"
    path.write_bytes(b"model")
    figures = {
        "levels": {"1": {"n": 40, "macro_f1": 0.9 + number / 100, "accuracy": 0.9, "threshold": 0.85,
                         "coverage": 0.7, "precision": 0.975}},
        "curves": {"1": [[0.99, 0.2, 1.0], [0.85, 0.7, 0.975], [0.5, 1.0, 0.9]]},
        "target": 0.97,
    }  # fmt: skip
    return ModelVersion.objects.create(
        version=number, created_at=timezone.now(), figures=figures, path=str(path), sha256="0" * 64,
        active=active, decision="test", n_examples=40,
    )  # fmt: skip


@pytest.mark.django_db
def test_registry_page_promotes_and_rolls_back_with_an_audit_trail(client, city, tmp_path):
    old, new = _version(1, active=False, tmp_path=tmp_path), _version(2, active=True, tmp_path=tmp_path)
    client.force_login(User.objects.get(username="dispatcher"))
    assert client.get("/staff/console/routing-models/").status_code == 403
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/staff/console/routing-models/").content.decode()
    assert "<svg" in page and "v2" in page and "macro-F1 0.920" in page
    assert "回退到此版本" in page  # v1 can be rolled back to (zh-Hant by default)

    client.post(f"/staff/console/routing-models/{old.version}/promote/")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.active and not new.active and old.promoted_by == "admin"
    event = ConfigEvent.objects.get(action="routing_model.rollback")
    assert (event.before, event.after["version"], event.actor_label) == (
        {"version": 2, "sha256": "0" * 64},
        1,
        "admin",
    )

    assert main(["routing", "promote", "2"]) == 0
    assert ModelVersion.objects.get(active=True).version == 2
    assert ConfigEvent.objects.filter(action="routing_model.promote").exists()
    assert main(["routing", "promote", "9"]) == 1


@pytest.mark.django_db
def test_old_model_files_are_pruned_and_cannot_be_promoted_again(city, tmp_path):
    from massline.learning import actions
    from massline.learning.retrain import prune

    v1, v2, v3 = (_version(n, active=n == 3, tmp_path=tmp_path) for n in (1, 2, 3))
    assert prune(keep=1) == 1  # v1's file; v2 is the newest kept, v3 routes
    assert not tmp_path.joinpath("v1.joblib").exists() and tmp_path.joinpath("v2.joblib").exists()
    with pytest.raises(actions.RegistryError):
        actions.rollback(v1, by="admin")
    assert ModelVersion.objects.get(active=True) == v3 and not ConfigEvent.objects.exists()
