"""Does a message accuse an official or public employee of misconduct (舉報), rather than raise an
ordinary complaint? A small rule-based detector, without the framework.

A misconduct report names wrongdoing in office: bribes taken or demanded (受贿, 索贿, 收受红包), public money
stolen or diverted (贪污, 挪用公款, 公款吃喝), power abused (滥用职权, 以权谋私), discipline broken (违纪), or an
official who does nothing (不作为) when it is a named office-holder, not "the department". The word
举报 alone proves nothing: people 举报 their neighbours' noise.

The text is read in Simplified (Traditional is converted first), one sentence at a time:

- a **strong cue** is a word that only describes wrongdoing in office (受贿, 以权谋私, 吃拿卡要 …). It counts
  when the message also names an office-holder or asks the discipline organs to act;
- a **weak cue** is a word that ordinary complaints use too (不作为, 包庇, 红包, 挪用, 侵占 …). It counts only
  in the same sentence as an office-holder (村支书, 局长, 工作人员 …), not a company or a department, and
  only when the message asks for an investigation or names the discipline organs.

``bench/bench_misconduct.py`` measures it on ../shared/data/govmsg (9,943 real messages): it flags about 3%;
read by eye, about two in three flagged messages clearly accuse an office-holder and most of the rest are
borderline (a department's dereliction, a village strongman), while a random unflagged sample held about one
clear report in thirty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import fold_width, to_simplified

# Wrongdoing in office: none of these describes an ordinary service complaint.
STRONG_CUES: dict[str, str] = {
    "受贿": r"受贿|收受贿赂|收取贿赂|索取贿赂",
    "索贿": r"索贿|索要(?:红包|好处|钱财|财物|礼品|礼金)",
    "收受红包": r"(?:收受|收取|收了|拿了|索要|索取)[^,，。]{0,6}?(?:红包|礼金|购物卡|好处费|回扣)",
    "吃拿卡要": r"吃拿卡要",
    "贪污": r"贪污|贪腐|贪官|腐败分子|贪赃|贪占|侵吞(?:国有|国家|集体|公共)",
    "挪用公款": r"挪用(?:公款|公共资金|专项资金|扶贫|救灾|集体资金|补助|补贴)",
    "滥用职权": r"滥用职权|玩忽职守|渎职",
    "以权谋私": r"以权谋私|利用(?:职权|职务|职位|手中的?权力)|权钱交易|利益输送|徇私枉法|徇私舞弊|中饱私囊|优亲厚友|官商勾结|买官卖官",
    "公款吃喝": r"公款(?:吃喝|旅游|消费|私用)|吃空饷|公车私用",
    "冒领": r"虚报冒领|冒领|套取(?:国家|扶贫|低保|补贴|补助|专项|医保)",
}

# Words ordinary complaints use too: they count only beside an office-holder, when an inquiry is asked for.
WEAK_CUES: dict[str, str] = {
    "违纪": r"违纪|违法乱纪|违反(?:中央)?八项规定|党纪",
    "不作为": r"不作为|懒政|庸政|推诿扯皮",
    "包庇": r"包庇|袒护|纵容|保护伞",
    "腐败": r"腐败",
    "红包": r"红包|好处费|回扣|送礼|贿赂",
    "挪用": r"挪用|侵占|克扣|私分|截留",
    "违规": r"违规(?:审批|发放|提拔|操作)|暗箱操作|弄虚作假|大吃大喝",
}

# Someone who holds a public office: a person, not a company, a shop or a whole department.
_PERSONS = (
    r"书记|支书|村支两委|村两委|村长|村主任|村干部|村官|村委(?:会)?(?:成员|干部|委员|主任)|主任|局长|科长|处长|所长|站长|"
    r"队长|镇长|乡长|区长|县长|市长|厅长|院长|校长|法官|检察官|干部|官员|公职人员|公务员|执法人员|"
    r"城管(?:队员|人员)|民警|警察|辅警|党员|出纳|会计|组长|当官|贪官|腐败分子|"
    r"(?:局|委|办|所|站|政府|街道|社区|机关|部门|窗口|法院|医院|学校)的?(?:工作人员|职工)"
)
NAMED_OFFICIAL = re.compile(_PERSONS)  # 不作为 counts only against one of these
OFFICIALS = re.compile(_PERSONS + r"|领导")
# A public body: a strong cue beside one of these accuses the office, which is enough.
PUBLIC_BODIES = re.compile(
    r"(?<!董事)局|委员会|纪委|政府|街道|社区|村委|派出所|法院|检察院|工作组|机关|部门|执法|监管|乡|镇"
)
# Crimes only an office can commit: beside a public body they accuse it. The others (冒领, 收受红包 …)
# are also done by companies and swindlers, so they need an office-holder in the same sentence.
OFFICE_CRIMES = frozenset({"受贿", "索贿", "贪污", "滥用职权", "以权谋私", "公款吃喝", "吃拿卡要"})
# The names of hotlines and mailboxes name no one: "打了市长热线" accuses no mayor.
_CHANNELS = re.compile(r"(?:市长|书记|县长|区长|局长)(?:热线|信箱|专线|邮箱|接待日)")
# A salutation ("尊敬的胡书记：", "张书记你好") names the reader, not the accused.
_SALUTATION = re.compile(
    r"尊敬的[^,，。:：!！；;]{0,16}[:：,，!！]|[^,，。:：!！；;\s]{0,10}(?:书记|领导|县长|市长|区长|局长|主任)(?:同志)?"
    r"[:：,，]?\s*(?:你|您)(?:们)?好[!！,，。]?|[^,，。:：!！；;\s]{0,10}(?:书记|县长|市长|区长|局长)(?:同志)?[:：]"
)
# The message asks for an investigation, or names the discipline organs.
ASKS_DISCIPLINE = re.compile(r"纪委|监委|纪检|监察|双规|留置|彻查|严查|查处|追责|问责|举报|立案调查|严肃处理")

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_STRONG = {cue: re.compile(pattern) for cue, pattern in STRONG_CUES.items()}
_WEAK = {cue: re.compile(pattern) for cue, pattern in WEAK_CUES.items()}


@dataclass(frozen=True)
class MisconductScore:
    """What the detector saw: the cues that counted, strong and weak, and whether that makes a report."""

    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    asks_discipline: bool = False  # an investigation is asked for, or the discipline organs named

    @property
    def cues(self) -> tuple[str, ...]:
        return self.strong + self.weak

    @property
    def flagged(self) -> bool:
        return bool(self.strong) or len(self.weak) >= 1

    @property
    def score(self) -> int:
        """2 per strong cue, 1 per weak one: a rough strength, for sorting."""
        return 2 * len(self.strong) + len(self.weak)


def _prepare(text: str) -> str:
    return _CHANNELS.sub("", _SALUTATION.sub("。", to_simplified(fold_width(text or ""))))


def _found(patterns: dict[str, re.Pattern[str]], text: str) -> list[str]:
    return [cue for cue, rx in patterns.items() if rx.search(text)]


def score_misconduct(text: str, title: str = "") -> MisconductScore:
    """Read ``title`` and ``text`` (Simplified or Traditional) and say which cues of misconduct count."""
    title, body = _prepare(title), _prepare(text)
    asks = bool(ASKS_DISCIPLINE.search(title) or ASKS_DISCIPLINE.search(body))
    strong: list[str] = []
    weak: list[str] = []
    for sentence in [title, *_SENTENCE.findall(body)]:
        person = bool(OFFICIALS.search(sentence))
        office = person or bool(PUBLIC_BODIES.search(sentence))
        strong += [
            cue
            for cue in _found(_STRONG, sentence)
            if cue not in strong and (person or (office and cue in OFFICE_CRIMES))
        ]
        if asks and person:
            named = bool(NAMED_OFFICIAL.search(sentence))
            weak += [cue for cue in _found(_WEAK, sentence) if cue not in weak and (named or cue != "不作为")]
    return MisconductScore(strong=tuple(strong), weak=tuple(weak), asks_discipline=asks)


def looks_like_misconduct(text: str, title: str = "") -> bool:
    """Whether the message accuses an official or public employee of misconduct (a 舉報, not a 投訴)."""
    return score_misconduct(text, title).flagged


__all__ = ["MisconductScore", "looks_like_misconduct", "score_misconduct"]
