"""The text classifier on real messages: accuracy well above chance, Traditional input, persistence."""

import numpy as np
import pytest

from massline.core.classify import TextClassifier, load_model, train_from_csv
from massline.core.classify.training import labelled_examples
from massline.core.routing import Suggester, Suggestion, confident
from massline.core.text.tables import TableError, read_table
from massline.shared_data import shared_data


@pytest.fixture(scope="module")
def govmsg():
    table = read_table(shared_data("govmsg", "messages_labeled.csv"))
    texts, labels = labelled_examples(table, "message", "category")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    texts, labels = [texts[i] for i in order], [labels[i] for i in order]
    return texts[:600], labels[:600], texts[600:900], labels[600:900]


@pytest.fixture(scope="module")
def model(govmsg):
    train_x, train_y, _, _ = govmsg
    return TextClassifier().fit(train_x, train_y)


def test_macro_f1_is_far_above_chance(model, govmsg):
    from sklearn.metrics import f1_score

    _, _, test_x, test_y = govmsg
    score = f1_score(test_y, model.predict(test_x), average="macro")
    assert score > 0.6, score  # chance over 7 categories is about 0.14


def test_traditional_input_gets_the_same_label_as_simplified(model, govmsg):
    import opencc

    _, _, test_x, _ = govmsg
    s2twp = opencc.OpenCC("s2twp")
    sample = test_x[:100]
    same = model.predict(sample) == model.predict([s2twp.convert(t) for t in sample])
    assert same.mean() >= 0.9


def test_probabilities_are_calibrated_rows_and_suggestions_follow_them(model, govmsg):
    _, _, test_x, test_y = govmsg
    proba = model.predict_proba(test_x)
    assert proba.shape == (len(test_x), len(model.classes_))
    assert np.allclose(proba.sum(axis=1), 1)
    # Confident answers are right more often than unsure ones: the dispatcher threshold means something.
    best = proba.max(axis=1)
    right = model.classes_[proba.argmax(axis=1)] == np.asarray(test_y)
    assert right[best >= np.median(best)].mean() > right[best < np.median(best)].mean()
    assert isinstance(model, Suggester)
    suggestions = model.suggest(test_x[0], top=3)
    assert len(suggestions) == 3 and all(isinstance(s, Suggestion) for s in suggestions)
    assert suggestions[0].confidence >= suggestions[1].confidence >= suggestions[2].confidence
    assert confident(suggestions, 1.01) is None


def test_save_and_load_give_the_same_predictions(model, govmsg, tmp_path):
    _, _, test_x, _ = govmsg
    path = model.save(tmp_path / "model.joblib")
    assert path.stat().st_size < 50_000_000
    again = load_model(path)
    assert list(again.predict(test_x[:50])) == list(model.predict(test_x[:50]))


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    import joblib

    joblib.dump({"something": "else"}, tmp_path / "x.joblib")
    with pytest.raises(ValueError, match="not a massline text classifier"):
        load_model(tmp_path / "x.joblib")


def test_rare_categories_are_left_out_not_fatal():
    texts = ["路灯坏了请修理"] * 4 + ["学校收费不合理"] * 4 + ["医院排队太久"]
    labels = ["城建"] * 4 + ["教育"] * 4 + ["卫生"]
    model = TextClassifier(cv=2).fit(texts, labels)
    assert model.dropped_classes_ == ["卫生"]
    assert set(model.classes_) == {"城建", "教育"}


def test_english_311_requests_route_to_agencies():
    table = read_table(shared_data("311", "nyc311_combined_sample.csv"))
    texts = [
        f"{a} {b}" for a, b in zip(table.column("complaint_type"), table.column("descriptor"), strict=True)
    ]
    labels = table.column("agency")
    model = TextClassifier().fit(texts[:1500], labels[:1500])
    accuracy = (model.predict(texts[1500:2000]) == np.asarray(labels[1500:2000])).mean()
    assert accuracy > 0.8


def test_train_from_csv_reads_gbk_and_reports_missing_columns(tmp_path):
    rows = ["路灯坏了请修理,城建", "道路积水严重,城建", "马路破损,城建", "学校乱收费,教育", "老师体罚学生,教育",
            "学区划分不公,教育"]  # fmt: skip
    path = tmp_path / "history.csv"
    path.write_bytes(("text,label\n" + "\n".join(rows) + "\n").encode("gbk"))
    model = train_from_csv(path, "text", "label", cv=2)
    assert set(model.classes_) == {"城建", "教育"}
    with pytest.raises(TableError, match="'text', 'label'"):
        train_from_csv(path, "message", "label")
