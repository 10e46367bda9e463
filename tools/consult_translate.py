"""Fill the consult app's catalogues: Traditional Chinese by hand, Simplified converted with OpenCC.

Run after ``django-admin makemessages -l zh_Hant -l zh_Hans --no-location`` in massline/consult:
    ../../.venv/bin/python ../../tools/consult_translate.py && ../../.venv/bin/django-admin compilemessages
The app's catalogues are a fallback: entries translated in massline/locale take precedence.
"""

from __future__ import annotations

import re
from pathlib import Path

import opencc

HANT = {
    "A consultation needs a title.": "徵求意見需要標題。",
    "The title is too long (at most %(n)d characters).": "標題過長(最多 %(n)d 字)。",
    "A consultation needs a question or a draft text.": "徵求意見需要提出問題或草案內容。",
    "The text is too long (at most %(n)d characters).": "內容過長(最多 %(n)d 字)。",
    "The closing time must be after the opening time.": "結束時間必須晚於開始時間。",
    "Unknown moderation mode.": "未知的審核方式。",
    "This consultation is %(state)s and cannot be %(action)s.": "此徵求意見目前為「%(state)s」,無法執行「%(action)s」。",
    "The closing time has passed: move it later before opening.": "結束時間已過:請先延後結束時間再開放。",
    "Write what was adopted and why before publishing.": "請先寫明採納了什麼及其理由,再行發布。",
    "We could not tell who you are: please allow cookies or sign in.": "無法識別您的身分:請允許 Cookie 或登入。",
    "A statement needs at least %(n)d characters.": "觀點至少需要 %(n)d 個字。",
    "A statement can have at most %(n)d characters (this one has %(len)d).": "觀點最多 %(n)d 字(目前 %(len)d 字)。",
    "This participant does not belong to this consultation.": "此參與者不屬於這項徵求意見。",
    "This consultation is not open: statements can no longer be added.": "此徵求意見未開放:無法再新增觀點。",
    "This exact statement already exists (statement #%(id)d).": "完全相同的觀點已經存在(觀點 #%(id)d)。",
    "Give a reason for rejecting the statement.": "請填寫不採用此觀點的理由。",
    "The reason is too long (at most %(n)d characters).": "理由過長(最多 %(n)d 字)。",
    "A vote is agree, disagree or pass.": "投票只能是贊成、反對或略過。",
    "This consultation is closed: votes are no longer accepted.": "此徵求意見已結束:不再接受投票。",
    "This consultation is not open for votes yet.": "此徵求意見尚未開放投票。",
    "This statement is not open for votes.": "此觀點目前不開放投票。",
    "Title": "標題",
    "Question or draft text": "問題或草案內容",
    "Opens": "開始時間",
    "Closes": "結束時間",
    "Moderation": "審核方式",
    "Languages": "語言",
    "Starting statements (one a line, optional)": "起始觀點(每行一則,可不填)",
    "Short statements people can vote on from the start; they are accepted at once.": "開放時即可投票的簡短觀點,直接採用。",
    "Your statement": "您的觀點",
    "One idea, in a short sentence others can agree or disagree with.": "一句話說一個想法,讓別人可以表示贊成或反對。",
    "Reason": "理由",
    "What was adopted, and why": "採納了什麼,為什麼",
    "draft": "草稿",
    "open": "開放中",
    "closed": "已結束",
    "pre-moderated: statements appear once accepted": "先審後發:觀點經審核採用後才顯示",
    "post-moderated: statements appear at once, moderators may reject them": "先發後審:觀點立即顯示,審核人員可事後不採用",
    "title": "標題",
    "question or draft text": "問題或草案內容",
    "opens": "開始時間",
    "closes": "結束",
    "moderation": "審核方式",
    "languages": "語言",
    "language codes, comma-separated": "語言代碼,以逗號分隔",
    "outcome: what was adopted and why": "結果:採納了什麼及其理由",
    "pending": "待審核",
    "accepted": "已採用",
    "rejected": "不採用",
    "agree": "贊成",
    "disagree": "反對",
    "pass / unsure": "略過/不確定",
    "created": "建立",
    "edited": "修改",
    "opened": "開放",
    "added a starting statement": "新增起始觀點",
    "accepted a statement": "採用觀點",
    "rejected a statement": "不採用觀點",
    "published the outcome": "發布結果",
    "Opinion map": "意見地圖",
    "The map appears once a few people have voted.": "有幾位參與者投票後,地圖就會出現。",
    "%(n)s participant voted": ["%(n)s 位參與者已投票"],
    "%(n)s vote": ["%(n)s 票"],
    "%(n)s on the map": ["%(n)s 位在地圖上"],
    "Updated": "更新於",
    "%(n)s participant": ["%(n)s 位參與者"],
    "you": "您",
    "Each dot is a participant; people who vote alike sit close together. Letters mark the opinion groups.": "每個點代表參與者,投票相近的人位置相近;字母標示意見群體。",
    "The black dot is you.": "黑點是您。",
    "Showing %(shown)s of %(total)s participants.": "顯示 %(total)s 位參與者中的 %(shown)s 位。",
    "You vote most like group %(label)s.": "您的投票與群體 %(label)s 最相近。",
    "%(n)s opinion group": ["%(n)s 個意見群體"],
    "Group": "群體",
    "%(n)s person": ["%(n)s 人"],
    "What sets this group apart:": "這個群體的特點:",
    "%(n)s of %(total)s in this group agree": "群體內 %(total)s 人中 %(n)s 人贊成",
    "%(n)s of %(total)s in this group disagree": "群體內 %(total)s 人中 %(n)s 人反對",
    "What people agree on": "大家的共識",
    "%(n)s of %(total)s agree": "%(total)s 人中 %(n)s 人贊成",
    "%(n)s of %(total)s disagree": "%(total)s 人中 %(n)s 人反對",
    "Common ground across every group": "各群體的共同點",
    "group %(label)s: %(n)s of %(total)s agree": "群體 %(label)s:%(total)s 人中 %(n)s 人贊成",
    "Consultations": "徵求意見",
    "Outcome: what was adopted and why": "結果:採納了什麼及其理由",
    "Published": "發布於",
    "%(n)s statement": ["%(n)s 則觀點"],
    "you cast %(n)s vote": ["您已投 %(n)s 票"],
    "Continue voting": "繼續投票",
    "Take part: vote and add statements": "參與:投票並提出觀點",
    "This consultation is not open for votes at the moment.": "此徵求意見目前不開放投票。",
    "Organiser page": "管理頁面",
    "Read the question, vote on what others wrote, and add your own statement. The opinion map shows the groups of people who vote alike and what they all agree on.": "閱讀問題,對他人的觀點表態,也提出您自己的觀點。意見地圖顯示投票相近的群體,以及大家都同意的事。",
    "Organise consultations": "管理徵求意見",
    "Open now": "正在進行",
    "Take part": "參與",
    "No consultation is open at the moment.": "目前沒有進行中的徵求意見。",
    "Closed": "已結束",
    "outcome published": "已發布結果",
    "Drafts (organisers only)": "草稿(僅管理者可見)",
    "New consultation": "新增徵求意見",
    "Open the consultation": "開放徵求意見",
    "Close the consultation": "結束徵求意見",
    "Recompute the opinion map now": "立即重新計算意見地圖",
    "Moderation queue (%(n)s waiting)": ["審核佇列(%(n)s 則待審)"],
    "Public page": "公開頁面",
    "Opinion map computed %(at)s from %(votes)s votes in %(secs)s s.": "意見地圖於 %(at)s 依 %(votes)s 票計算,用時 %(secs)s 秒。",
    "No opinion map yet.": "尚無意見地圖。",
    "Embed the voting page with": "嵌入投票頁面:",
    "Save": "儲存",
    "Create": "建立",
    "Outcome": "結果",
    "Update the published outcome": "更新已發布的結果",
    "Publish the outcome": "發布結果",
    "History": "紀錄",
    "Status": "狀態",
    "Participants": "參與者",
    "Awaiting moderation": "待審核",
    "public page": "公開頁面",
    "No consultations yet.": "尚無徵求意見。",
    "Moderation queue": "審核佇列",
    "Pre-moderated: voters see a statement only after you accept it.": "先審後發:觀點經您採用後,投票者才會看到。",
    "Post-moderated: voters already see these statements; rejecting one removes it from voting and from the map.": "先發後審:投票者已能看到這些觀點;不採用後即從投票和地圖中移除。",
    "Accept": "採用",
    "Reason for rejecting": "不採用的理由",
    "Reason for rejecting (shown to the author)": "不採用的理由(作者可見)",
    "Reject": "不採用",
    "Nothing is waiting for moderation.": "沒有待審核的觀點。",
    "Decided": "已審核",
    "Statement": "觀點",
    "Decision": "決定",
    "Votes": "票數",
    "Change": "更改",
    "reason": "理由",
    "Vote": "投票",
    "The question": "問題",
    "Statement %(n)s of %(total)s": "第 %(n)s 則,共 %(total)s 則",
    "You have voted on every statement. Thank you! Add your own below, or come back later for new ones.": "您已對所有觀點投票,謝謝!可在下方提出自己的觀點,或稍後再來看新觀點。",
    "There are no statements to vote on yet. Be the first to add one.": "目前還沒有可投票的觀點,歡迎第一個提出。",
    "You have voted on %(voted)s of %(total)s statements.": "您已對 %(total)s 則觀點中的 %(voted)s 則投票。",
    "See the opinion map": "查看意見地圖",
    "Add a statement": "提出觀點",
    "Similar statements already exist. Perhaps vote on one of them instead?": "已有相似的觀點。要不要改為對它們投票?",
    "If yours says something different, submit it again below.": "如果您的觀點有所不同,請在下方再次送出。",
    "Submit anyway": "仍要送出",
    "Submit statement": "送出觀點",
    "Your statements": "您的觀點",
    "Reason:": "理由:",
    "Agree": "贊成",
    "Disagree": "反對",
    "Pass / unsure": "略過/不確定",
    "That vote was not understood; please use the buttons.": "無法辨識這次投票,請使用按鈕。",
    "Thank you. Your statement will be shown to others once a moderator accepts it.": "謝謝!您的觀點經審核採用後就會顯示給其他人。",
    "Thank you. Your statement is now shown to others.": "謝謝!您的觀點已顯示給其他人。",
    "Consultation created as a draft. Open it when it is ready.": "已建立草稿。準備好後即可開放。",
    "Saved.": "已儲存。",
    "The consultation is open.": "徵求意見已開放。",
    "The consultation is closed.": "徵求意見已結束。",
    "The opinion map is being recomputed.": "正在重新計算意見地圖。",
    "The outcome is published.": "結果已發布。",
    "Statement #%(id)d accepted.": "觀點 #%(id)d 已採用。",
    "Statement #%(id)d rejected.": "觀點 #%(id)d 不採用。",
    "Statements and votes": "觀點與投票",
    "Group %(label)s agrees": "群體 %(label)s 贊成",
    "No statements yet.": "尚無觀點。",
    "Download (Pol.is CSV)": "下載(Pol.is CSV)",
    "There are not enough votes to export yet.": "投票還不夠,暫時無法匯出。",
}

ENTRY = re.compile(
    r'(?P<head>(?:#.*\n)*)msgid (?P<id>(?:".*"\n)+)(?:msgid_plural (?P<pl>(?:".*"\n)+))?(?P<strs>(?:msgstr.*\n(?:".*"\n)*)+)'
)


def _text(block: str) -> str:
    return "".join(re.findall(r'"(.*)"', block)).encode().decode("unicode_escape").encode("latin-1").decode()


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fill(path: Path, convert, lang: str) -> int:
    src = path.read_text(encoding="utf-8")
    missing = 0

    def repl(m: re.Match) -> str:
        nonlocal missing
        msgid = _text(m["id"])
        if not msgid:
            return m.group(0)
        tr = HANT.get(msgid)
        if tr is None:
            missing += 1
            return m.group(0)
        head = m["head"].replace("#, fuzzy\n", "")
        out = head + "msgid " + m["id"]
        if m["pl"]:
            one = tr[0] if isinstance(tr, list) else tr
            return out + "msgid_plural " + m["pl"] + f"msgstr[0] {_quote(convert(one))}\n"
        return out + f"msgstr {_quote(convert(tr if isinstance(tr, str) else tr[0]))}\n"

    out = ENTRY.sub(repl, src)
    out = out.replace(
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"'
    )
    out = out.replace('#, fuzzy\nmsgid ""\nmsgstr ""\n', 'msgid ""\nmsgstr ""\n', 1)
    out = out.replace('"Language: \\n"', f'"Language: {lang}\\n"')
    out = out.replace('"Project-Id-Version: PACKAGE VERSION\\n"', '"Project-Id-Version: massline consult\\n"')
    path.write_text(out, encoding="utf-8")
    return missing


if __name__ == "__main__":
    here = Path(__file__).resolve().parents[1] / "massline" / "consult" / "locale"
    t2s = opencc.OpenCC("t2s")
    for lang, conv in (("zh_Hant", lambda s: s), ("zh_Hans", t2s.convert)):
        n = fill(here / lang / "LC_MESSAGES" / "django.po", conv, lang)
        print(lang, "untranslated:", n)
