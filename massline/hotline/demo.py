"""The demo's knowledge base, and calls answered from it (直接答復) over the demo's months, so that the
call screen has answers to offer and the 一次辦結率 has figures. Called by ``massline demo`` after the loader."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from massline.workflow.actions import Actor, do_answer_on_call

from .actions import CHANNEL, save_knowledge_answer
from .models import KnowledgeAnswer

# (title, how callers ask it, the answer, two ways a caller puts it)
ANSWERS = [
    (
        "居住证办理与续签",
        "居住证 暂住证 续签 到期 签注",
        "您好！居住证有效期为一年，期满前30日内可办理签注。请本人携带身份证、居住证及居住地址证明（租房合同或房产证），到居住地派出所或社区警务室办理，工作日上午9:00-12:00、下午14:00-17:30受理，不收取费用。",
        ["我的居住证下个月到期了，去哪里续签？", "请问暂住证怎么办理，需要什么材料？"],
    ),
    (
        "社保卡挂失与补办",
        "社保卡 丢失 挂失 补办 换卡",
        "您好！社保卡丢失请先拨打12333或通过“智慧人社”APP办理临时挂失，再携带身份证到任一社保卡合作银行网点补办，补卡工本费按规定收取，一般即时制卡或7个工作日内领取。",
        ["社保卡丢了怎么办？", "社保卡坏了能不能换一张新的？"],
    ),
    (
        "住房公积金提取",
        "公积金 提取 租房 购房 销户",
        "您好！租房提取公积金可通过市住房公积金管理中心网站或APP在线申请，每年可提取一次；购房提取需提供购房合同、发票及不动产权证。具体额度和材料以公积金中心公布的办事指南为准，咨询电话12329。",
        ["租房子可以提取公积金吗？", "买了房子怎么把公积金取出来？"],
    ),
    (
        "新生儿户口申报",
        "新生儿 上户口 出生证明 落户",
        "您好！新生儿应在出生后一个月内申报户口。请携带《出生医学证明》、父母双方身份证、户口簿和结婚证，到父亲或母亲户籍所在地派出所户籍窗口办理，材料齐全的当场办结。",
        ["孩子出生了怎么上户口？", "小孩落户要带哪些材料？"],
    ),
    (
        "城乡居民医保参保缴费",
        "医保 居民医保 缴费 参保 截止",
        "您好！城乡居民医保按年度缴费，集中缴费期一般为每年9月至12月。可通过“税务”APP、微信或银行网点缴纳，新生儿、大学生等可按规定随时参保。缴费标准以当年公布为准。",
        ["居民医保什么时候交钱？", "医保断缴了还能补交吗？"],
    ),
    (
        "燃气报修与安全",
        "燃气 煤气 漏气 报修 停气",
        "您好！如闻到燃气异味，请立即关闭燃气阀门、打开门窗通风，切勿开关电器或使用明火，并到室外拨打燃气公司24小时抢修电话。计划停气信息可在燃气公司公众号查询。",
        ["家里好像有煤气味怎么办？", "小区停气了什么时候恢复？"],
    ),
    (
        "停水停电查询",
        "停水 停电 计划停电 供水 恢复",
        "您好！计划停水停电一般提前24小时在小区公告栏及供水、供电公司公众号发布。突发停电可拨打95598，突发停水可拨打供水公司服务热线报修，抢修人员将尽快到场处理。",
        ["我们小区突然停电了，什么时候来电？", "今天为什么停水，要停多久？"],
    ),
    (
        "身份证补领与异地办理",
        "身份证 补办 丢失 异地 加急",
        "您好！身份证丢失可到任一派出所户籍窗口申请补领，现场拍照采集指纹，工本费20元，一般20个工作日内制证，可申请邮寄。外省户籍人员也可在本市办理异地受理。急需乘机的可申请临时身份证明。",
        ["身份证丢了怎么补办？", "外地户口能在这里办身份证吗？"],
    ),
    (
        "市民投诉举报的受理范围",
        "受理范围 12345 办理时限 回复",
        "您好！12345热线受理企业和群众的咨询、求助、投诉、建议和表扬，一般诉求在7个工作日内答复，紧急诉求优先处理。涉及110、119、120的紧急警情请直接拨打相应电话。",
        ["你们热线能管哪些事情？", "反映问题多久能有回复？"],
    ),
    (
        "不动产登记办理",
        "不动产 房产证 过户 登记 网签",
        "您好！不动产登记可在市政务服务中心不动产登记窗口或“不动产登记”网上平台预约办理。二手房过户需买卖双方携带身份证、不动产权证书、网签合同及完税凭证，一般5个工作日内办结。",
        ["房产证怎么办理过户？", "买的新房什么时候能办房产证？"],
    ),
]


def seed_knowledge_base() -> int:
    """The demo's knowledge answers (kept by the dispatcher); returns how many were created."""
    author = User.objects.filter(username="dispatcher").first()
    created = 0
    for title, keywords, answer, _asked in ANSWERS:
        if not KnowledgeAnswer.objects.filter(title=title).exists():
            save_knowledge_answer(
                author, None, title=title, keywords=keywords, text=answer, category=None, active=True
            )
            created += 1
    return created


def seed_answered_calls(
    *, calls: int = 60, days: int = 92, seed: int = 12345, end: datetime | None = None
) -> int:
    """Calls answered on the spot from the knowledge base, through intake and the answer-on-call action,
    spread over the demo's months (office hours). Some callers call more than once."""
    from massline.intake.actions import submit_request

    rng = random.Random(seed)
    end = end or timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
    dispatcher = User.objects.filter(username="dispatcher").first()
    if dispatcher is None:
        return 0
    actor = Actor.of(dispatcher)
    answers = {a.title: a for a in KnowledgeAnswer.objects.all()}
    callers = [f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" for _ in range(calls // 2)]
    done = 0
    for _ in range(calls):
        title, _k, text, asked = rng.choice(ANSWERS)
        day = end - timedelta(days=rng.uniform(0.5, days))
        at = day.replace(hour=rng.randrange(8, 18), minute=rng.randrange(60))
        if at >= timezone.now():
            continue
        req = submit_request(
            text=rng.choice(asked),
            kind="inquiry",
            channel=CHANNEL,
            contact_phone=rng.choice(callers),
            at=at,
            actor=actor,
            auto_route=False,
        )
        do_answer_on_call(
            req,
            actor,
            text=text,
            knowledge_answer=answers[title].pk if title in answers else None,
            at=at + timedelta(minutes=rng.uniform(2, 8)),
        )
        done += 1
    return done


def seed() -> dict[str, int]:
    return {"knowledge_answers": seed_knowledge_base(), "answered_calls": seed_answered_calls()}
