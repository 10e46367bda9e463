"""Encoding detection on real message text encoded every way a hotline export arrives."""

import codecs

import pytest

from massline.core.text.encoding import UnknownEncodingError, decode_bytes, read_text_file
from massline.core.text.normalize import to_simplified
from massline.shared_data import shared_data

SIMPLIFIED = (
    "留言编号,留言详情\n1,尊敬的领导：A1区苑小区物业未经业主同意，利用公摊面积向业主滥收停车费，"
    "且收费后对车辆在小区内受到损坏拒不承担责任，业主多次向物业和社区反映，物业置之不理。\n"
)
TRADITIONAL = (
    "留言編號,留言詳情\n1,尊敬的領導：A1區苑小區物業未經業主同意，利用公攤面積向業主濫收停車費，"
    "且收費後對車輛在小區內受到損壞拒不承擔責任，業主多次向物業和社區反映，物業置之不理。\n"
)


@pytest.mark.parametrize(
    "text,encoding,family",
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (TRADITIONAL, "utf-8", "utf-8"),
        (SIMPLIFIED, "gbk", "gbk"),
        (SIMPLIFIED, "gb18030", "gbk"),
        (TRADITIONAL, "gbk", "gbk"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "cp950", "big5"),
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),
        (TRADITIONAL, "utf-16-be", "utf-16-be"),
    ],
)
def test_detects_the_encoding_and_round_trips(text, encoding, family):
    data = text.encode(encoding)
    decoded, used = decode_bytes(data)
    assert decoded == text
    assert used.startswith(family)
    assert data.decode(used) == decoded


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (b"", "utf-16")])
def test_byte_order_marks_are_honoured_and_stripped(bom, encoding):
    decoded, used = decode_bytes(bom + SIMPLIFIED.encode(encoding))
    assert decoded == SIMPLIFIED
    assert used in {"utf-8-sig", "utf-16"}


def test_real_messages_in_gbk_and_big5_are_told_apart(tmp_path):
    source = shared_data("govmsg", "messages_labeled.csv").read_text(encoding="utf-8")[:20000]
    simplified = source.encode("gbk", errors="ignore").decode("gbk")
    path = tmp_path / "export.csv"
    path.write_bytes(simplified.encode("gbk"))
    assert read_text_file(path) == (simplified, "gbk")
    # The same messages as a Taiwan office would save them: Traditional, in Big5.
    import opencc

    traditional = opencc.OpenCC("s2t").convert(simplified).encode("big5", errors="ignore").decode("big5")
    path.write_bytes(traditional.encode("big5"))
    text, used = read_text_file(path)
    assert used == "big5" and to_simplified(text)[:200] == to_simplified(traditional)[:200]


def test_binary_data_raises_a_clear_error_naming_the_file(tmp_path):
    import random

    path = tmp_path / "photo.csv"
    rng = random.Random(1)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    with pytest.raises(UnknownEncodingError) as info:
        read_text_file(path)
    message = str(info.value)
    assert "photo.csv" in message and "gbk" in message and "big5" in message
    assert isinstance(info.value, ValueError)


def test_an_explicit_wrong_encoding_is_reported_not_garbled(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(SIMPLIFIED.encode("gbk"))
    with pytest.raises(UnknownEncodingError, match="x.csv"):
        read_text_file(path, "utf-8")
