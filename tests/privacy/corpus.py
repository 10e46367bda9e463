"""The seeded corpus: personal data in every class the privacy issue (#9) lists, each planted in a
sentence as people write it. The detector was tuned on it; ``corpus_holdout.py`` is the check that it
was not tuned on. ``ORDINARY`` holds sentences that must come out of the pipeline unchanged."""

from __future__ import annotations

from .seeds import Seed, card, cn_id, tw_id

ID = cn_id("43010219850617123")
ID_X = "11010519491231002X"
ID_15 = "430102850617123"
CARD = card("622202123456789012")
CARD_16 = card("455952123456789")
TW_ID = tw_id("A12345678")

SEEDS: list[Seed] = [
    # mainland mobiles and landlines, as the old detector knew them
    Seed("mobile", "13812345678", "我的电话13812345678，请回电"),
    Seed("mobile", "+86 138 1234 5678", "手机+86 138 1234 5678"),
    Seed("mobile", "138-1234-5678", "手机138-1234-5678"),
    Seed("landline", "0731-84567890", "座机0731-84567890"),
    Seed("landline", "（0731）84567890", "电话（0731）84567890转"),
    # split by dots or spaces, run into letters
    Seed("mobile", "138 1234 5678", "联系138 1234 5678"),
    Seed("mobile", "138.1234.5678", "联系138.1234.5678"),
    Seed("mobile", "13812345678", "tel13812345678"),
    Seed("mobile", "13912345678", "TEL:13912345678"),
    # Taiwan
    Seed("tw_mobile", "0912-345-678", "手機0912-345-678"),
    Seed("tw_mobile", "0912345678", "手機0912345678請回電"),
    Seed("tw_mobile", "+886 912 345 678", "電話+886 912 345 678"),
    Seed("tw_landline", "(02)2345-6789", "市話(02)2345-6789"),
    Seed("tw_landline", "02-2345-6789", "市話02-2345-6789"),
    # Chinese numerals and full width
    Seed("mobile", "一三八一二三四五六七八", "电话一三八一二三四五六七八"),
    Seed("mobile", "幺三八幺二三四五六七八", "电话幺三八幺二三四五六七八"),
    Seed("mobile", "１３８１２３４５６７８", "手机：１３８１２３４５６７８"),
    # ID numbers, plain and spaced
    Seed("id_cn", ID, f"身份证{ID}"),
    Seed("id_cn", ID_X, f"身份证号{ID_X}"),
    Seed("id_cn", ID_15, f"老身份证{ID_15}"),
    Seed("id_cn", ID, f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]}"),
    Seed("id_cn", ID_X, f"身份证 {ID_X[:6]} {ID_X[6:10]} {ID_X[10:14]} {ID_X[14:]}"),
    Seed("id_tw", TW_ID, f"身分證{TW_ID}"),
    # e-mail, plain and disguised
    Seed("email", "zhang.san@qq.com", "邮箱zhang.san@qq.com"),
    Seed("email", "name(at)example.com", "邮箱name(at)example.com"),
    Seed("email", "name at example dot com", "write to name at example dot com"),
    Seed("email", "name＠example.com", "邮箱name＠example.com"),
    Seed("email", "name[at]example[dot]com", "邮箱name[at]example[dot]com"),
    # names
    Seed("name", "张三", "我叫张三，男"),
    Seed("name", "李四", "我是李四，家住星沙"),
    Seed("name", "王小明", "本人王小明，反映一个问题"),
    Seed("name", "陈", "敝姓陈，是业主"),
    Seed("name", "刘", "我姓刘，住在附近"),
    Seed("name", "秦安如", "尊敬的县长：我名秦安如，男，出生于1954年9月。"),
    Seed("name", "周建华", "姓名：周建华"),
    # messaging handles and platform user ids
    Seed("handle", "wxid_abc12345", "加我wxid_abc12345"),
    Seed("handle", "zhangsan_88", "微信号：zhangsan_88"),
    Seed("handle", "lisi2020", "微信 lisi2020"),
    Seed("handle", "tw_chen", "LINE ID: tw_chen"),
    Seed("handle", "12345678", "QQ号12345678"),
    Seed("handle", "@zhang_helper", "Telegram @zhang_helper"),
    Seed("handle", "A000110735", "网友“A000110735”您好，您的留言已收悉"),
    # plates and cards
    Seed("plate", "湘A12345", "车牌湘A12345"),
    Seed("plate", "粤B·D12345", "车牌粤B·D12345"),
    Seed("plate", "ABC-1234", "車牌ABC-1234"),
    Seed("bank_card", CARD, f"银行卡{CARD}"),
    Seed("bank_card", CARD_16, f"卡 {CARD_16[:4]} {CARD_16[4:8]} {CARD_16[8:12]} {CARD_16[12:]}"),
    # the flat of an address
    Seed("address", "2单元501室", "我家在人民路88号3栋2单元501室，楼下噪音"),
    Seed("address", "4樓", "住在中山路5弄12號4樓"),
    Seed("address", "1201号房", "幸福小区5栋1201号房"),
]

# Sentences the public needs as written: dates, amounts, case numbers, the hotline, street numbers.
ORDINARY: list[str] = [
    "2026年3月2日下午，A市人民路88号门前积水",
    "2019-08-18至2019-09-04期间，A5区魅力之城小区油烟噪音扰民",
    "物业费每月1500元，去年涨到1800.50元，合计21606元",
    "案件编号20260302001已转办，答复时间2019/5/9 9:51:30",
    "请拨打12345市民热线，或者110报警",
    "留言编号188801，请于3个工作日内答复",
    "我是业主，我是一名退休教师，本人反映一个问题",
    "我是常客了，本人万分感谢，我是高中生，我是江西人",
    "K1区北路永粮国际（原面粉厂）三栋有人将公共通道用铁板围住",
    "G4高速长沙段，地铁1号线和2号线换乘",
    "面积120平方米，共3栋楼，5个单元",
    "符合ISO-9001和GB-2760标准，型号ABCD-12345",
    "订单号2019083012345678901234，快递单号SF1234567890123",
    "养老保险43000余元没有缴纳，每年拨款30000元，合计1234567.89元",
    "中山路二段100巷，民生东路三段",
    "教材第3单元的内容有误",
    "2020年1月1日起实施，共15条",
    "at 8 pm the bus did not come, please check line 5",
]
