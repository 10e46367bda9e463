"""`massline train`, `predict` and `evaluate` end to end on small files, including XLSX and bad input."""

import csv

import pytest

from massline.cli import main

ROWS = [
    ("路灯坏了很久没人修理", "城建"), ("小区道路破损积水严重", "城建"), ("马路井盖丢失很危险", "城建"),
    ("小区楼道灯不亮", "城建"), ("道路施工围挡占道", "城建"), ("桥面开裂请检修", "城建"),
    ("学校乱收补课费", "教育"), ("老师体罚学生", "教育"), ("学区划分不公平", "教育"),
    ("幼儿园收费太高", "教育"), ("学校食堂卫生差", "教育"), ("教师职称评定不公", "教育"),
]  # fmt: skip


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "history.csv"
    with open(path, "w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["编号", "内容", "分类"])
        for i, (text, label) in enumerate(ROWS * 2):
            writer.writerow([i, text, label])
    return path


def test_train_then_predict_writes_input_columns_plus_prediction(history, tmp_path, capsys):
    model = tmp_path / "model.joblib"
    assert (
        main(
            ["train", str(history), "--text-column", "内容", "--label-column", "分类", "-o", str(model), "-q"]
        )
        == 0
    )
    assert "2 categories" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    assert main(["predict", str(model), str(history), "--text-column", "内容", "-o", str(out), "-q"]) == 0
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["编号", "内容", "分类", "predicted", "confidence"]
    assert sum(r["predicted"] == r["分类"] for r in rows) >= 0.8 * len(rows)
    assert all(0 <= float(r["confidence"]) <= 1 for r in rows)


def test_predict_reads_xlsx(history, tmp_path):
    from openpyxl import Workbook

    model = tmp_path / "model.joblib"
    main(["train", str(history), "--text-column", "内容", "--label-column", "分类", "-o", str(model), "-q"])
    book = Workbook()
    book.active.append(["内容"])
    book.active.append(["学校乱收费"])
    book.save(tmp_path / "new.xlsx")
    out = tmp_path / "out.csv"
    assert (
        main(
            ["predict", str(model), str(tmp_path / "new.xlsx"), "--text-column", "内容", "-o", str(out), "-q"]
        )
        == 0
    )
    assert "教育" in out.read_text(encoding="utf-8")


def test_evaluate_prints_macro_f1_and_saves_the_confusion_matrix(history, tmp_path, capsys):
    plot = tmp_path / "cm.png"
    code = main(
        [
            "evaluate",
            str(history),
            "--text-column",
            "内容",
            "--label-column",
            "分类",
            "--plot",
            str(plot),
            "-q",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "城建" in out and str(plot) in out
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_bad_input_gives_clear_errors(history, tmp_path, capsys):
    args = [
        "train",
        str(history),
        "--text-column",
        "message",
        "--label-column",
        "分类",
        "-o",
        str(tmp_path / "m"),
    ]
    assert main(args) == 1
    assert "'编号', '内容', '分类'" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["evaluate", str(empty), "--text-column", "a", "--label-column", "b"]) == 1
    assert "empty" in capsys.readouterr().err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(128, 256)) * 20)
    assert main(["evaluate", str(binary), "--text-column", "a", "--label-column", "b"]) == 1
    assert "encoding" in capsys.readouterr().err
