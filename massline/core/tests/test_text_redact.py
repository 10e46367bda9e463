"""Personal-data detection and redaction, including hostile and look-alike strings."""

import pytest

from massline.core.text.redact import (
    find_personal_data,
    luhn_ok,
    redact,
    valid_cn_id,
    valid_tw_id,
)


def _cn_id(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def _card(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


ID = _cn_id("43010219850617123")
CARD = _card("622202123456789012")


def kinds(text):
    return [(m.kind, m.text) for m in find_personal_data(text)]


def test_each_kind_is_found_with_offsets_into_the_original():
    text = (
        f"我叫张三，男，电话13812345678，座机0731-84567890，身份证{ID}，台湾A123456789，"
        f"邮箱zhang.san@qq.com，车牌湘A12345和粤B·D12345及ABC-1234，银行卡{CARD}。"
    )
    found = find_personal_data(text)
    assert [m.kind for m in found] == [
        "name", "mobile", "landline", "id_cn", "id_tw", "email", "plate", "plate", "plate", "bank_card",
    ]  # fmt: skip
    for m in found:
        assert text[m.start : m.end] == m.text


def test_redaction_keeps_what_helps_and_hides_the_rest():
    text = f"电话13812345678，座机0731-84567890，身份证{ID}，卡{CARD}，车牌湘A12345，邮箱a.b@163.com"
    out = redact(text)
    assert "138****5678" in out and "0731-****7890" in out
    assert "[ID]" in out and "[CARD]" in out and "[EMAIL]" in out and "湘A*****" in out
    for secret in ("13812345678", "84567890", ID, CARD, "a.b@163.com", "12345"):
        assert secret not in out


def test_checksums_reject_near_misses():
    assert valid_cn_id(ID) and not valid_cn_id(ID[:-1] + str((int(ID[-1], 36) + 1) % 10))
    assert valid_cn_id("11010519491231002X") and valid_cn_id("11010519491231002x")
    assert not valid_cn_id("110105194913310021")  # month 13
    assert valid_tw_id("A123456789") and not valid_tw_id("A123456788")
    assert luhn_ok(CARD) and not luhn_ok(CARD[:-1] + str((int(CARD[-1]) + 1) % 10))


@pytest.mark.parametrize(
    "text",
    [
        "2019-08-18至2019-09-04期间，A5区魅力之城小区油烟噪音扰民",  # dates
        "养老保险43000余元没有缴纳，每年拨款30000元，合计1234567.89元",  # amounts
        "留言编号188801，留言用户A00074011，答复时间2019/5/9 9:51:30",  # message and user ids
        "订单号2019083012345678901234，快递单号SF1234567890123",  # long reference numbers
        "符合ISO-9001和GB-2760标准，型号ABCD-12345",  # standards and models
        "我是常客了，本人万分感谢，我名下有两套房",  # name triggers followed by ordinary words
        "电话138123456789和1381234567",  # one digit too many / too few
        "身份证号110105194912310021",  # wrong check digit
        "卡号6222021234567890123",  # fails Luhn
    ],
)
def test_look_alikes_are_left_alone(text):
    assert find_personal_data(text) == []
    assert redact(text) == text


def test_full_width_digits_and_separators_are_caught():
    assert kinds("手机：１３８１２３４５６７８") == [("mobile", "１３８１２３４５６７８")]
    assert redact("手机+86 138 1234 5678") == "手机+86 138 **** 5678"
    assert "5678" in redact("手机138-1234-5678") and "1234" not in redact("手机138-1234-5678")
    assert kinds("电话（0731）84567890转") == [("landline", "（0731）84567890")]


def test_hostile_input_does_not_crash_or_hang():
    for text in [
        "",
        "1" * 10_000,
        "@" * 5000 + "a@b.cn",
        "湘A" * 3000,
        "\x00\ufeff\u202e13812345678",
        "我叫",
    ]:
        out = redact(text)
        assert isinstance(out, str)
    assert "13812345678" not in redact("\u202e13812345678")


def test_kinds_can_be_limited_and_unknown_kinds_are_refused():
    text = f"电话13812345678，身份证{ID}"
    assert redact(text, kinds=["mobile"]).endswith(ID)
    with pytest.raises(ValueError, match="unknown"):
        redact(text, kinds=["phone_number"])
