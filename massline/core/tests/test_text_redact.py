"""Personal-data detection and redaction, including hostile and look-alike strings."""

import pytest

from massline.core.text.personal_score import RECOMMENDED_THRESHOLD, assess, personal_score
from massline.core.text.redact import (
    find_personal_data,
    luhn_ok,
    public_address,
    public_point,
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
        "留言编号188801，答复时间2019/5/9 9:51:30",  # message numbers and times
        "订单号2019083012345678901234，快递单号SF1234567890123",  # long reference numbers
        "符合ISO-9001和GB-2760标准，型号ABCD-12345",  # standards and models
        "我是常客了，本人万分感谢，我名下有两套房",  # name triggers followed by ordinary words
        "编号138123456789和1381234567",  # one digit too many / too few
        "身份证号110105194912310021",  # wrong check digit
        "编号6222021234567890123",  # fails Luhn
        "我是业主，我是一名退休教师，本人反映，我是高中生，我是江西人",  # 我是 + a word, not a name
        "63栋2019年建成，共33层楼，80户，02户型，教材第3单元",  # counts, not a flat
        "比例0.12345678，坐标112.938814,28.228209",  # decimals
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
        "3栋2单元" * 5000,  # 10,000 matches
        "1 " * 5000,  # one run of 5,000 digit groups
        "我是王" * 5000,
    ]:
        out = redact(text)
        assert isinstance(out, str)
    assert "13812345678" not in redact("\u202e13812345678")


def test_kinds_can_be_limited_and_unknown_kinds_are_refused():
    text = f"电话13812345678，身份证{ID}"
    assert redact(text, kinds=["mobile"]).endswith(ID)
    with pytest.raises(ValueError, match="unknown"):
        redact(text, kinds=["phone_number"])


def test_cue_words_say_what_a_malformed_number_is():
    # After 电话 or 卡号 a number is personal even when it is mistyped or fails Luhn.
    assert kinds("电话138123456789") == [("landline", "138123456789")]
    assert kinds("电话：8127190") == [("landline", "8127190")]
    assert kinds("卡号6222021234567890123") == [("bank_card", "6222021234567890123")]
    # ... but a blank an export left (0000-00000000) is nobody's number.
    assert kinds("电话：0000-00000000，QQ：0000-00000000") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("手機0912-345-678", "手機09**-***-678"),
        ("手機0912345678", "手機09*****678"),
        ("電話+886 912 345 678", "電話+886 9** *** 678"),
        ("市話(02)2345-6789", "市話(02)****-6789"),
        ("市話(07)345-6789", "市話(07)***-*789"),
        ("联系138 1234 5678", "联系138 **** 5678"),
        ("联系138.1234.5678", "联系138.****.5678"),
        ("tel13812345678", "tel138****5678"),
        ("电话一三八一二三四五六七八", "电话***********"),
        ("电话幺三八幺二三四五六七八。", "电话***********。"),
        ("号码1三8一2三4五6七8", "号码***********"),
        ("电话13812345678一直没人接", "电话138****5678一直没人接"),
    ],
)
def test_taiwan_split_and_spelt_out_phones_are_masked_whole(text, expected):
    assert redact(text) == expected


def test_spaced_ids_cards_and_two_numbers_in_one_run():
    assert redact(f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]}") == "身份证 [ID]"
    assert redact(f"卡 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}") == "卡 [CARD]"
    assert redact("电话13812345678 0731-84567890") == "电话138****5678 0731-****7890"


@pytest.mark.parametrize(
    "text",
    [
        "邮箱name(at)example.com",
        "邮箱name[at]example[dot]com",
        "write to name at example dot com",
        "邮箱name＠example.com",
        "mail: wang (@) 126 . com",
    ],
)
def test_disguised_email_is_masked(text):
    assert "[EMAIL]" in redact(text) and "name" not in redact(text).split(":")[-1].replace("write to", "")


def test_names_after_self_introductions():
    assert redact("我是李四，家住星沙") == "我是[NAME]，家住星沙"
    assert redact("敝姓陈，是业主") == "敝姓[NAME]，是业主"
    assert redact("本人姓李名华侨，男") == "本人姓[NAME]，男"
    assert redact("我姓欧阳，住在附近") == "我姓[NAME]，住在附近"
    assert redact("联系人：邹为民联系电话") == "联系人：[NAME]联系电话"


def test_messaging_handles_and_platform_ids():
    assert redact("微信号：zhangsan_88，QQ号12345678") == "微信号：[ACCOUNT]，QQ号[ACCOUNT]"
    assert redact("LINE ID: tw_chen，Telegram @zhang_helper") == "LINE ID: [ACCOUNT]，Telegram [ACCOUNT]"
    assert redact("网友“A000110735”您好") == "网友“[ACCOUNT]”您好"
    assert redact("加我wxid_abc12345") == "加我[ACCOUNT]"
    assert redact("微信公众号和QQ群都发了") == "微信公众号和QQ群都发了"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("人民路88号3栋2单元501室", "人民路88号3栋"),
        ("中山路5弄12號4樓", "中山路5弄12號"),
        ("中山路5巷8弄10號3樓之1", "中山路5巷8弄10號"),
        ("阳光小区7栋1单元302", "阳光小区7栋"),
        ("某某花园B座1503房", "某某花园B座"),
        ("富景园小区B1栋一单元402房", "富景园小区B1栋"),
        ("人民路88号", "人民路88号"),
        ("五一大道100号", "五一大道100号"),
    ],
)
def test_public_address_keeps_street_and_building(address, public):
    assert public_address(address) == public


def test_flats_inside_free_text_are_masked_and_streets_kept():
    assert redact("我家在人民路88号3栋2单元501室，楼下噪音") == "我家在人民路88号3栋[FLAT]，楼下噪音"
    assert redact("住在中山路5弄12號4樓") == "住在中山路5弄12號[FLAT]"


def test_public_point_is_rounded_to_about_100_m():
    assert public_point(28.2282093, 112.9388141) == (28.228, 112.939)
    assert public_point(None, 112.9) == (None, None)
    lat, lon = public_point(22.54321, 114.05789)
    assert abs(lat - 22.54321) * 111_000 <= 56 and abs(lon - 114.05789) * 111_000 <= 56


def test_personal_score_flags_what_redaction_left():
    assert personal_score("电话13812345678，请回电") < RECOMMENDED_THRESHOLD  # masked, nothing left
    assert personal_score("2026年3月2日人民路88号积水，物业费1500元，请拨12345") == 0
    found = assess("我的号码是 555 1234 567 8，来电")
    assert found.score >= RECOMMENDED_THRESHOLD and found.reasons[0].startswith("digits")
    assert personal_score("身份证 4301 0219 85") >= RECOMMENDED_THRESHOLD  # cue + digits
    assert personal_score("邮箱 zhangsan (at) mail") >= RECOMMENDED_THRESHOLD
    assert 0 < personal_score("本人于去年反映") < RECOMMENDED_THRESHOLD  # a name cue alone
    assert personal_score("") == 0
