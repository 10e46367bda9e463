"""A demo consultation built through the real actions: three opinion camps voting on a night market.

from massline.consult.demo import build_demo_consultation
build_demo_consultation(organiser_user)          # idempotent: returns the existing one if present
"""

from __future__ import annotations

import random

from django.db import transaction

from . import actions
from .models import Consultation
from .tasks import compute_snapshot

TITLE = "濱江路夜市試辦徵求意見"
QUESTION = (
    "區政府擬於濱江路試辦每週五晚間夜市(18:00–23:00),設攤位約六十個。"
    "請就是否試辦、營業時間、交通與環境衛生等提出意見,並對他人的觀點表態。"
)
STATEMENTS = [
    "夜市能帶動周邊小店生意,應該試辦。",  # 0 market
    "晚上十點以後居民需要安靜休息。",  # 1 residents
    "小吃攤位是扶持小本經營的好方法。",  # 2 market
    "濱江路太窄,人潮和送貨車會造成擁堵。",  # 3 residents
    "無論是否試辦,街上都需要增加垃圾桶。",  # 4 everyone
    "攤販應負擔收攤後的清潔費用。",  # 5 everyone but vendors
    "可以先每月一次,看效果再決定。",  # 6 moderates
    "夜市應在晚上十點前結束。",  # 7 residents + moderates
    "應增設臨時停車位和公共廁所。",  # 8 moderates
    "夜市會讓年輕人晚上有地方去。",  # 9 market
]
# Each camp's probability of agreeing (+1) / disagreeing (-1) per statement; the rest pass.
CAMPS = {
    "market": [0.9, 0.2, 0.9, 0.1, 0.8, 0.4, 0.3, 0.1, 0.6, 0.9],
    "residents": [0.1, 0.95, 0.3, 0.9, 0.9, 0.9, 0.5, 0.9, 0.5, 0.2],
    "moderates": [0.5, 0.6, 0.6, 0.5, 0.9, 0.8, 0.9, 0.7, 0.9, 0.5],
}


@transaction.atomic
def build_demo_consultation(organiser, n_participants: int = 60, seed: int = 0) -> Consultation:
    existing = Consultation.objects.filter(title=TITLE).first()
    if existing:
        return existing
    rng = random.Random(seed)
    c = actions.create_consultation(
        organiser,
        title=TITLE,
        question=QUESTION,
        moderation="pre",
        languages=["zh-hant", "zh-hans", "en"],
        seed_statements=STATEMENTS,
    )
    actions.open_consultation(c, organiser)
    statements = list(c.statements.order_by("id"))
    camps = list(CAMPS)
    for i in range(n_participants):
        camp = CAMPS[camps[i % len(camps)]]
        p = actions.get_or_create_participant(c, xid=f"demo-{i}")
        for j in rng.sample(range(len(statements)), k=rng.randint(7, len(statements))):
            r = rng.random()
            value = 1 if r < camp[j] * 0.9 else (0 if r < camp[j] * 0.9 + 0.1 else -1)
            actions.cast_vote(p, statements[j], value)
    pending = actions.add_statement(c, p, "希望夜市禁用一次性塑膠餐具。")
    actions.moderate_statement(pending, organiser, accept=True)
    actions.add_statement(c, actions.get_or_create_participant(c, xid="demo-0"), "夜市攤位應優先給本區居民。")
    compute_snapshot(c)
    return c
