"""The misconduct-report (舉報) detector tells an accusation against an office-holder from an ordinary
complaint, in Simplified and Traditional Chinese."""

import pytest

from massline.core.text.misconduct import looks_like_misconduct, score_misconduct

REPORTS = [
    "村支书张某收受红包，违规给亲戚办低保，请纪委彻查。",
    "举报某镇镇长滥用职权、收受贿赂，强行低价征收村民土地。",
    "社区工作人员办理低保时吃拿卡要，不送东西就不给盖章。",
    "县财政局干部蒋某挪用公款十多万元用于赌博，至今无人追究。",
    "派出所民警王某不作为，我报警三次都不出警，请上级严查。",
    "局长利用职务之便公款吃喝，还安排亲属在单位吃空饷。",
    "村主任贪污扶贫款，虚报冒领退耕还林补贴近百万元。",
    "请依法查处与房地产公司串通作假的腐败分子。",
]
REPORTS_TRADITIONAL = [
    "舉報某鎮鎮長濫用職權、收受賄賂，請紀委調查。",
    "村幹部貪污集體資金，以權謀私，請上級徹查。",
    "窗口主任索賄，辦證要先給好處費。",
]
COMPLAINTS = [
    "举报邻居噪音扰民，每天晚上装修到12点。",
    "关于在地铁站增设无障碍电梯的建议",
    "我要举报楼下餐馆油烟扰民，多次投诉无果。",
    "城管局不作为，占道经营问题一直没人管，请严查。",  # a department, not an office-holder
    "物业公司挪用维修基金，请有关部门查处。",  # a company: a complaint for the housing office
    "尊敬的胡书记：您好！我们小区门口的路灯坏了，请尽快修理。",  # the reader is no accused
    "打了市长热线几次了，小区的污水管还是没人修。",
    "開發商延期交房一年，業主要求賠償。",
    "",
]


@pytest.mark.parametrize("text", REPORTS + REPORTS_TRADITIONAL)
def test_accusations_against_office_holders_are_reports(text):
    assert looks_like_misconduct(text), score_misconduct(text)


@pytest.mark.parametrize("text", COMPLAINTS)
def test_ordinary_complaints_are_not(text):
    assert not looks_like_misconduct(text), score_misconduct(text)


def test_the_score_names_the_cues_it_counted():
    score = score_misconduct("舉報某鎮鎮長濫用職權、收受賄賂，請紀委調查。")
    assert {"滥用职权", "受贿"} <= set(score.strong)
    assert score.asks_discipline and score.score >= 4
    assert score_misconduct("举报邻居噪音").cues == ()


def test_a_title_alone_can_carry_the_accusation():
    assert looks_like_misconduct("具体情况见附件。", title="举报某村村主任贪污集体资金")
    assert not looks_like_misconduct("具体情况见附件。", title="某小区电梯经常故障")


def test_inaction_counts_only_against_a_named_office_holder():
    assert not looks_like_misconduct("相关部门不作为，请纪委问责。")
    assert looks_like_misconduct("镇长李某不作为，请纪委问责。")
