"""Three months of requests from real citizen messages, pushed through the real actions.

Sources (../shared/data/govmsg): attachment2 and attachment3 give the messages; attachment4 gives
real messages with their official replies. A request from attachment2/3 that reaches the reply stage
gets the attachment4 reply whose message is most similar to it (TF-IDF over character n-grams).
Messages that accuse an office-holder of misconduct (``massline.core.text.misconduct``) are filed as
misconduct reports (舉報), and only those; the discipline officer works them through their own actions.
Everything is deterministic for a given seed and end date. Without ../shared/data, a small bundled set
is used instead, and the summary says so.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone

from massline.accounts.models import StaffProfile
from massline.core.routing import Suggestion
from massline.core.text.misconduct import looks_like_misconduct
from massline.core.workflow import Role, State, WorkflowError
from massline.followup.actions import record_follow_up
from massline.intake.actions import submit_request
from massline.shared_data import shared_data_dir
from massline.workflow import actions as wf
from massline.workflow.models import Category, Request, Unit

BUNDLED = Path(__file__).with_name("bundled_messages.csv")
BACKLOG = timedelta(hours=48)
_WS = re.compile(r"\s+")


@dataclass
class Message:
    source: str
    key: str
    user: str
    title: str
    text: str
    likes: int = 0
    reply: str = ""


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _clean(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def load_messages() -> tuple[list[Message], list[Message], bool]:
    """(messages, replied_messages, real_data_used)."""
    base = shared_data_dir() / "govmsg"
    a2, a3, a4 = (
        base / n
        for n in (
            "attachment2_testset_2801_unlabeled.csv",
            "attachment3_hot_issues_4326.csv",
            "attachment4_replies_2816.csv",
        )
    )
    if a2.exists() and a3.exists() and a4.exists():
        msgs = [
            Message("a2", r["留言编号"], r["留言用户"], _clean(r["留言主题"]), _clean(r["留言详情"]))
            for r in _read(a2)
        ]
        msgs += [
            Message(
                "a3",
                r["留言编号"],
                r["留言用户"],
                _clean(r["留言主题"]),
                _clean(r["留言详情"]),
                likes=int(float(r.get("点赞数") or 0)),
            )
            for r in _read(a3)
        ]
        replied = [
            Message(
                "a4",
                r["留言编号"],
                r["留言用户"],
                _clean(r["留言主题"]),
                _clean(r["留言详情"]),
                reply=_clean(r["答复意见"]),
            )
            for r in _read(a4)
        ]
        msgs = [m for m in msgs if len(m.text) >= 10]
        replied = [m for m in replied if len(m.text) >= 10 and len(m.reply) >= 10]
        return msgs, replied, True
    rows = _read(BUNDLED)
    msgs = [Message("bundled", r["id"], r["user"], r["title"], r["text"]) for r in rows if not r["reply"]]
    replied = [
        Message("bundled", r["id"], r["user"], r["title"], r["text"], reply=r["reply"])
        for r in rows
        if r["reply"]
    ]
    return msgs, replied, False


class ReplyMatcher:
    """Finds, for any message, the attachment4 reply whose message is most alike."""

    def __init__(self, replied: list[Message]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.replied = replied
        self.vec = TfidfVectorizer(
            analyzer="char", ngram_range=(2, 3), min_df=2, max_features=100_000, sublinear_tf=True
        )
        self.matrix = self.vec.fit_transform([f"{m.title} {m.text}" for m in replied])

    def best(self, texts: list[str]) -> list[str]:
        sims = self.vec.transform(texts) @ self.matrix.T
        return [self.replied[int(sims[i].toarray().argmax())].reply for i in range(sims.shape[0])]


def _suggester() -> Callable[[str], list[Suggestion]] | None:
    """The routing classifier: the trained model if there is one, else None (dispatchers route)."""
    from massline.intake import routing

    model = routing.get_suggester()
    return (lambda text: model.suggest(text, top=3)) if model else None


@dataclass
class Plan:
    """What happens to one request, drawn up front so the run is reproducible."""

    at: datetime
    msg: Message
    reply_text: str
    dispatch_after_h: float
    sign_after_h: float
    reply_after_h: float
    followup_after_h: float
    solved: bool
    satisfaction: str
    detour: str  # "", "return", "transfer", "reject", "merge"


def _unit_quality(unit_code: str, seed: int) -> float:
    """A stable diligence score per unit in [0.55, 0.98]: rankings need differences to show."""
    return 0.55 + 0.43 * random.Random(f"{seed}:{unit_code}").random()


def demo_end(end: datetime | None = None) -> datetime:
    """When the demo's story stops: ``end`` (tests pass a fixed one), else today at 17:30, the close of
    the working day; never later than now, so that nothing in the demo is dated in the future. In the
    city's time zone, since the office-hours nudge reads the local hour."""
    now = timezone.localtime()
    wanted = end or now.replace(hour=17, minute=30, second=0, microsecond=0)
    return timezone.localtime(min(wanted, now))


def run(
    *,
    requests: int = 2400,
    replied_share: float = 0.3,
    seed: int = 12345,
    end: datetime | None = None,
    days: int = 92,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    msgs, replied, real = load_messages()
    rng = random.Random(seed)
    end = demo_end(end)
    start = end - timedelta(days=days)
    n_replied = min(len(replied), int(requests * replied_share))
    n_plain = min(len(msgs), requests - n_replied)
    chosen = rng.sample(msgs, n_plain) + rng.sample(replied, n_replied)
    matcher = ReplyMatcher(replied)
    plain_texts = [f"{m.title} {m.text}" for m in chosen if not m.reply]
    matched = iter(matcher.best(plain_texts)) if plain_texts else iter(())
    plans: list[Plan] = []
    for m in chosen:
        reply = m.reply or next(matched)
        at = start + timedelta(seconds=rng.uniform(0, days * 86400))
        # office hours are busier: nudge most submissions into the day, but never past the end (now)
        if at.hour < 7 and rng.random() < 0.7 and at + timedelta(hours=8) < end:
            at += timedelta(hours=8)
        detour = rng.choices(["", "return", "transfer", "reject", "merge"], [0.86, 0.04, 0.05, 0.02, 0.03])[0]
        plans.append(
            Plan(
                at,
                m,
                reply,
                rng.expovariate(1 / 3),
                rng.expovariate(1 / 10),
                rng.uniform(20, 240),
                rng.uniform(12, 96),
                rng.random() < 0.8,
                "",
                detour,
            )
        )
    plans.sort(key=lambda p: p.at)

    suggest = _suggester()
    dispatcher = wf.Actor.of(User.objects.get(username="dispatcher"))
    discipline = wf.Actor.of(User.objects.get(username="discipline"))
    staff_by_unit = {
        p.unit_id: wf.Actor.of(p.user)
        for p in StaffProfile.objects.filter(user__groups__name=Role.UNIT_STAFF.value).select_related(
            "user", "unit"
        )
    }
    fallback_cat = Category.objects.filter(level=1).order_by("code")
    level1 = list(fallback_cat)
    units = list(Unit.objects.exclude(code__in=["city", "discipline"]))
    stats: dict[str, int] = {
        "requests": 0,
        "auto_routed": 0,
        "queued": 0,
        "replied": 0,
        "followups": 0,
        "reopened": 0,
        "reports": 0,
    }
    recent: list[Request] = []
    for i, p in enumerate(plans):
        if progress:
            progress(i, len(plans))
        text = p.msg.text
        kind = rng.choices(
            ["complaint", "help", "suggestion", "inquiry", "praise"], [0.55, 0.15, 0.12, 0.14, 0.02]
        )[0]
        if looks_like_misconduct(text, p.msg.title):
            kind = "report"  # an accusation against an office-holder, whatever the drawn kind
        suggestions = suggest(f"{p.msg.title} {text}") if suggest and kind != "report" else []
        lat, lon = _point_of(p.msg, rng)
        req = submit_request(
            text=text,
            title=p.msg.title[:200],
            kind=kind,
            channel=rng.choice(["hotline", "hotline", "web", "api"]),
            requester_key=p.msg.user,
            external_id=f"{p.msg.source}-{p.msg.key}",
            at=p.at,
            suggestions=suggestions,
            address=_address_of(p.msg),
            lat=lat,
            lon=lon,
        )
        stats["requests"] += 1
        stats[
            "auto_routed" if req.state == State.DISPATCHED else "reports" if kind == "report" else "queued"
        ] += 1
        try:
            if kind == "report":
                _work_report(req, p, rng, end, discipline)
            else:
                _advance(req, p, rng, end, dispatcher, staff_by_unit, level1, units, recent, stats, seed)
        except WorkflowError as exc:  # the plan met a rule; the request simply stops where it is
            print(f"demo: {req.reference}: {exc}", file=sys.stderr)
        recent = (recent + [req])[-40:]
    wf.sweep_overdue(end)
    if progress:
        progress(len(plans), len(plans))
    return {**stats, "real_data": real}


# Rough centres of the demo districts (the demo city sits where MASSLINE_MAP_CENTER points); a request
# gets a point near its district's centre, or near the city centre when it names no district.
DISTRICT_CENTRES = {
    "A1区": (28.196, 113.012),
    "A2区": (28.245, 112.985),
    "A3区": (28.235, 112.870),
    "A4区": (28.265, 112.990),
    "A5区": (28.140, 112.985),
    "A6区": (28.300, 112.925),
    "A7县": (28.255, 113.080),
}
_DISTRICT = re.compile(r"A\d+[区县]")


def _point_of(m: Message, rng: random.Random) -> tuple[float | None, float | None]:
    """A believable map position: seven in ten people mark one; it lands near the district named."""
    if rng.random() > 0.7:
        return None, None
    found = _DISTRICT.search(m.title) or _DISTRICT.search(m.text)
    lat, lon = DISTRICT_CENTRES.get(found.group(0) if found else "", (28.2282, 112.9388))
    return round(lat + rng.gauss(0, 0.012), 6), round(lon + rng.gauss(0, 0.014), 6)


_PLACE = re.compile(r"(A\d+[区县市][^，。,\s]{0,12}?(?:小区|路|街道|村|镇|花园|苑|大道|广场))")


def _address_of(m: Message) -> str:
    found = _PLACE.search(m.title) or _PLACE.search(m.text)
    return found.group(1) if found else ""


# What the discipline office writes: the reason an investigation is opened, the answer the reporter reads
# through their tracking link (when the message has no real official reply), the finding, and why a
# report is not taken up.
INVESTIGATION_NOTES = (
    "反映问题线索具体,已立案调查,由第一纪检监察室负责核查",
    "已成立核查组,调取相关账目和审批材料",
    "转派驻纪检监察组调查核实,约谈被反映人",
)
ANSWERS = (
    "您好!您反映的问题已收悉。我委已成立核查组,调取了相关账目和审批资料,并约谈了被反映人。"
    "经核查,反映的问题部分属实,已责令退还违规所得,并对相关责任人作出处理。感谢您对我们工作的监督。",
    "您好!经调查核实,您反映的问题线索不具体,现有材料无法证实。如您掌握新的证据,"
    "可继续通过本渠道或到信访接待室反映。感谢您的监督。",
    "您好!您反映的问题已交由属地纪检监察机关调查。经查,相关干部存在履职不到位的问题,"
    "已对其进行诫勉谈话,并督促整改。整改情况将继续跟踪。",
)
FINDINGS = (
    "问题部分属实,给予相关责任人党内警告处分,违规资金已退还",
    "问题查无实据,予以了结,向反映人说明情况",
    "问题属实,移送司法机关处理",
    "对相关责任人诫勉谈话,责令整改",
)
DISMISSALS = (
    "反映内容不属于纪检监察机关受理范围,已告知反映人向相关职能部门反映",
    "反映的问题已经查结,无新的证据,不予重复立案",
)


def _work_report(req, p: Plan, rng, end, discipline) -> None:
    """The discipline officer's handling of one misconduct report over the demo timeline: accepted within
    a day (a few later), then investigated or answered at once, some concluded, some dismissed. What
    would happen after ``end`` does not: those reports stay open, and the slow ones are overdue."""
    t = p.at

    def step(hours: float) -> bool:
        nonlocal t
        t = t + timedelta(hours=hours)
        return t < end

    slow = rng.random() < 0.15
    outcome = rng.choices(["investigate", "answer", "dismiss"], [0.55, 0.3, 0.15])[0]
    if not step(rng.uniform(30, 72) if slow else rng.uniform(0.5, 20)):
        return
    wf.do_accept(req, discipline, at=t)
    if outcome == "dismiss":
        if step(rng.uniform(24, 120)):
            wf.do_dismiss(req, discipline, note=rng.choice(DISMISSALS), at=t)
        return
    if outcome == "investigate":
        if not step(rng.uniform(12, 96)):
            return
        wf.do_investigate(req, discipline, note=rng.choice(INVESTIGATION_NOTES), at=t)
    # the answer is due within 15 working days of arrival; slow cases take longer and run late
    if not step(
        rng.uniform(600, 1800)
        if slow
        else rng.uniform(240, 900)
        if outcome == "investigate"
        else rng.uniform(48, 200)
    ):
        return
    wf.do_answer(req, discipline, text=p.msg.reply or rng.choice(ANSWERS), at=t)
    if rng.random() < 0.6 and step(rng.uniform(24, 240)):
        wf.do_conclude(req, discipline, note=rng.choice(FINDINGS), at=t)


def _advance(req, p: Plan, rng, end, dispatcher, staff_by_unit, level1, units, recent, stats, seed):
    t = p.at if req.state == State.RECEIVED else req.dispatched_at

    def step(hours: float) -> bool:
        nonlocal t
        t = t + timedelta(hours=hours)
        return t < end

    if req.state == State.RECEIVED:
        if p.detour == "reject" and step(p.dispatch_after_h):
            wf.do_reject(req, dispatcher, note="內容不完整,無法受理,請補充具體地點後重新提交", at=t)
            return
        if p.detour == "merge" and recent and step(p.dispatch_after_h):
            lead = next((r for r in reversed(recent) if r.kind != "report" and not r.merged_into_id), None)
            if lead is not None:
                wf.do_merge(req, dispatcher, lead=lead, note="同一問題重複反映", at=t)
                return
        if end - p.at < BACKLOG and p.dispatch_after_h > 1:
            return  # the dispatchers' backlog: what came in lately and was not routed automatically
        if not step(p.dispatch_after_h):
            return
        category = req.suggested_category or rng.choice(level1)
        wf.do_dispatch(req, dispatcher, category=category, at=t, note="人工派單")
    quality = _unit_quality(req.unit.code, seed)
    for round_ in range(3):
        staff = staff_by_unit.get(req.unit_id)
        if staff is None:
            return
        late = rng.random() > quality
        if not step(p.sign_after_h * (4 if late else 0.2)):
            return
        if p.detour == "return" and round_ == 0 and req.state == State.DISPATCHED:
            wf.do_return(req, staff, note="不屬本單位職責範圍,請重新派單", at=t)
            if not step(2):
                return
            other = rng.choice([u for u in units if u.pk != req.unit_id])
            wf.do_dispatch(req, dispatcher, unit=other, at=t, note="退單後重新派單")
            continue
        wf.do_sign(req, staff, at=t)
        if p.detour == "transfer" and round_ == 0:
            other = rng.choice([u for u in units if u.pk != req.unit_id])
            if not step(3):
                return
            wf.do_transfer(req, staff, to_unit=other, note=f"涉及{other.name}職責,轉派處理", at=t)
            continue
        if not step(p.reply_after_h * (1.8 if late else 1)):
            return
        wf.do_reply(req, staff, text=p.reply_text, at=t)
        stats["replied"] += 1
        if not step(p.followup_after_h):
            return
        solved = rng.random() < quality + (0.1 if round_ else 0)
        satisfaction = (
            ("satisfied" if rng.random() < quality else "basically")
            if solved
            else rng.choice(["dissatisfied", "dissatisfied", "basically"])
        )
        record_follow_up(
            req,
            wf.Actor.requester(),
            solved=solved,
            satisfaction=satisfaction,
            at=t,
            comment="" if solved else "問題仍未解決",
        )
        stats["followups"] += 1
        if solved:
            return
        stats["reopened"] += 1
