"""The SECOND corpus: variants written before the detector was extended, and never used to tune it.

Its recall is measured and reported (tests/privacy/test_corpora.py prints it; docs/privacy.md records it),
not asserted at 100 %: a miss here is a finding, to be fixed by a general rule rather than by a pattern
made for the one sentence. Written 2026-11-27 before any change to massline/core/text/redact.py."""

from __future__ import annotations

from .seeds import Seed, card, cn_id, tw_id

_ID1 = cn_id("43010419900101567")
_ID2 = cn_id("44030619780215234")
_ID3 = cn_id("11010819650630402")
_CARD1 = card("621700123456789012")
_CARD2 = card("436742123456789")
_TW1 = tw_id("F13123221")
_TW2 = tw_id("B20987654")

HOLDOUT: list[Seed] = [
    # mainland mobiles, split and run into words
    Seed("mobile", "15987654321", "联系方式：159 8765 4321，请尽快回复"),
    Seed("mobile", "17712345678", "微信同号177.1234.5678，白天都在"),
    Seed("mobile", "15912340000", "my mobile15912340000 thanks"),
    Seed("mobile", "13712345678", "请拨+86-13712345678找我"),
    Seed("mobile", "18607312468", "号码186-0731-2468是我本人"),
    Seed("mobile", "13912345678", "电话139 1234 5678转总机"),
    Seed("mobile", "15012345678", "Phone:15012345678/王"),
    # numbers in Chinese numerals, capital numerals and full width
    Seed("mobile", "一五九八七六五四三二一", "有事打我电话一五九八七六五四三二一"),
    Seed("mobile", "幺三九零零零零一二三四", "手机幺三九零零零零一二三四"),
    Seed("mobile", "壹叁捌壹贰叁肆伍陆柒捌", "手机壹叁捌壹贰叁肆伍陆柒捌，晚上打"),
    Seed("mobile", "一三九 一二三四 五六七八", "电话一三九 一二三四 五六七八"),
    Seed("mobile", "１５９８７６５４３２１", "电话：１５９８７６５４３２１"),
    Seed("mobile", "1三8一2三4五6七8", "号码1三8一2三4五6七8"),
    # Taiwan phones
    Seed("tw_mobile", "0933 123 456", "手機0933 123 456，謝謝"),
    Seed("tw_mobile", "0933.123.456", "請回電0933.123.456"),
    Seed("tw_mobile", "886-933-123-456", "聯絡886-933-123-456"),
    Seed("tw_mobile", "+886-933123456", "電話+886-933123456"),
    Seed("tw_landline", "(07)345-6789", "市話(07)345-6789分機12"),
    Seed("tw_landline", "02 2345 6789", "電話02 2345 6789"),
    Seed("tw_landline", "+886 2 2345 6789", "請撥+886 2 2345 6789"),
    # mainland landlines
    Seed("landline", "020-87654321", "座机020-87654321"),
    Seed("landline", "(010)6512-3456", "电话(010)6512-3456"),
    Seed("landline", "0755 8765 4321", "办公室0755 8765 4321"),
    # ID numbers
    Seed("id_cn", _ID1, f"身份证号码：{_ID1[:4]} {_ID1[4:8]} {_ID1[8:12]} {_ID1[12:16]} {_ID1[16:]}"),
    Seed("id_cn", _ID2, f"证件号{_ID2[:6]}-{_ID2[6:14]}-{_ID2[14:]}"),
    Seed("id_cn", _ID3, f"身份证{_ID3}".translate({ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789X"})),
    Seed("id_tw", _TW1, f"身分證字號{_TW1}"),
    Seed("id_tw", _TW2, f"ID {_TW2.lower()}"),
    # e-mail, plain and disguised
    Seed("email", "zhang.san [at] gmail [dot] com", "邮箱 zhang.san [at] gmail [dot] com"),
    Seed("email", "zhangsan AT 163 DOT com", "mail: zhangsan AT 163 DOT com"),
    Seed("email", "li_si＠ｑｑ．ｃｏｍ", "邮箱li_si＠ｑｑ．ｃｏｍ"),
    Seed("email", "wang(@)126.com", "来信wang(@)126.com"),
    Seed("email", "wangwu at qq.com", "发到wangwu at qq.com"),
    # names
    Seed("name", "王建国", "我叫王建国，今年六十岁"),
    Seed("name", "李秀英", "本人李秀英，女，退休职工"),
    Seed("name", "赵丽华", "我是赵丽华，家住星沙"),
    Seed("name", "孫", "敝姓孫，住在板橋"),
    Seed("name", "欧阳", "我姓欧阳，是小区业主"),
    Seed("name", "林志明", "我名叫林志明。"),
    Seed("name", "刘德明", "联系人：刘德明"),
    Seed("name", "陳美玲", "我是陳美玲，謝謝"),
    # messaging handles and platform user ids
    Seed("handle", "zhang_san1988", "微信：zhang_san1988"),
    Seed("handle", "wangwu-2020", "加我微信号 wangwu-2020 详聊"),
    Seed("handle", "lisi8888", "VX: lisi8888"),
    Seed("handle", "987654321", "QQ：987654321"),
    Seed("handle", "tw_mei88", "LINE ID：tw_mei88"),
    Seed("handle", "amy.chen", "Line: amy.chen"),
    Seed("handle", "hk_helper", "Telegram: @hk_helper"),
    Seed("handle", "K000220846", "用户“K000220846”反映"),
    Seed("handle", "A000110735", "网友 A000110735 的留言"),
    # plates and cards
    Seed("plate", "湘A·12345", "车牌湘A·12345停在门口"),
    Seed("plate", "粤BD12345", "新能源车粤BD12345"),
    Seed("bank_card", _CARD1, f"卡号{_CARD1[:4]} {_CARD1[4:8]} {_CARD1[8:12]} {_CARD1[12:16]} {_CARD1[16:]}"),
    Seed("bank_card", _CARD2, f"信用卡{_CARD2}"),
    # flats inside addresses (the raw value is the part below the building)
    Seed("address", "3单元1204室", "家住五一大道100号2栋3单元1204室，楼上漏水"),
    Seed("address", "3樓之1", "中山路5巷8弄10號3樓之1"),
    Seed("address", "1单元302", "阳光小区7栋1单元302的住户"),
    Seed("address", "1503房", "某某花园B座1503房"),
]
