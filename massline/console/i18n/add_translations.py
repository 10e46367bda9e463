"""Append the console's strings to the three .po files (only those missing), then run compilemessages.

Run from the project root: .venv/bin/python massline/console/i18n/add_translations.py
It reads, appends and writes each file at once, so that other engineers' entries are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"

# msgid: (Traditional, Simplified)
T = {
    "requests": ("訴求", "诉求"),
    "sub-units": ("下級單位", "下级单位"),
    "categories": ("分類", "分类"),
    "staff accounts": ("員工帳號", "员工账号"),
    "routing rules": ("派單規則", "派单规则"),
    "reply templates": ("答復範本", "答复模板"),
    "replies": ("答復", "答复"),
    "follow-ups": ("回訪", "回访"),
    "visits": ("走訪", "走访"),
    "supervisions": ("督辦", "督办"),
    "%(what)s is still in use (%(uses)s): it cannot be deleted.": (
        "%(what)s仍在使用中(%(uses)s),不能刪除。",
        "%(what)s仍在使用中(%(uses)s),不能删除。",
    ),
    "A unit with the code %(code)s already exists.": (
        "代碼為 %(code)s 的單位已存在。",
        "代码为 %(code)s 的单位已存在。",
    ),
    "There is no unit with the code %(code)s.": (
        "沒有代碼為 %(code)s 的單位。",
        "没有代码为 %(code)s 的单位。",
    ),
    "A unit cannot be placed inside itself or one of its sub-units.": (
        "單位不能放在自己或自己的下級單位之下。",
        "单位不能放在自己或自己的下级单位之下。",
    ),
    "The unit %(name)s": ("單位「%(name)s」", "单位“%(name)s”"),
    "A category with the code %(code)s already exists.": (
        "代碼為 %(code)s 的分類已存在。",
        "代码为 %(code)s 的分类已存在。",
    ),
    "There is no category with the code %(code)s.": (
        "沒有代碼為 %(code)s 的分類。",
        "没有代码为 %(code)s 的分类。",
    ),
    "The catalogue has three levels: a third-level category cannot have children.": (
        "派單目錄只有三級:三級分類之下不能再建分類。",
        "派单目录只有三级:三级分类之下不能再建分类。",
    ),
    "A category keeps its parent: create a new category instead.": (
        "分類建立後不能更換上級分類,請另建新分類。",
        "分类建立后不能更换上级分类,请另建新分类。",
    ),
    "The category %(name)s": ("分類「%(name)s」", "分类“%(name)s”"),
    "The same rule (category, keyword, area and unit) already exists.": (
        "相同的規則(分類、關鍵詞、地區和單位)已存在。",
        "相同的规则(分类、关键词、地区和单位)已存在。",
    ),
    "There already is a rule for this urgency and kind: edit it instead.": (
        "這個緊急程度和類型已有規則,請修改該規則。",
        "这个紧急程度和类型已有规则,请修改该规则。",
    ),
    "A time limit must be at least 1.": ("時限至少為 1。", "时限至少为 1。"),
    "Every urgency needs its rule for all kinds: change its limits instead of deleting it.": (
        "每個緊急程度都需要一條適用所有類型的規則:請修改它的時限,不要刪除。",
        "每个紧急程度都需要一条适用所有类型的规则:请修改它的时限,不要删除。",
    ),
    "%(date)s is already in the calendar: edit it instead.": (
        "%(date)s 已在日曆中,請修改該日。",
        "%(date)s 已在日历中,请修改该日。",
    ),
    "A make-up workday must fall on a Saturday or a Sunday.": (
        "調休上班日必須在週六或週日。",
        "调休上班日必须在周六或周日。",
    ),
    "A reply template with this name already exists for this unit.": (
        "這個單位已有同名的答復範本。",
        "这个单位已有同名的答复模板。",
    ),
    "Unknown role %(role)s; the roles are: %(roles)s.": (
        "未知角色 %(role)s;可用角色:%(roles)s。",
        "未知角色 %(role)s;可用角色:%(roles)s。",
    ),
    "Unit staff need a unit.": ("承辦人員必須屬於一個單位。", "承办人员必须属于一个单位。"),
    "The username %(username)s is taken.": (
        "使用者名稱 %(username)s 已被使用。",
        "用户名 %(username)s 已被使用。",
    ),
    "There is no staff account %(username)s.": ("沒有員工帳號 %(username)s。", "没有员工账号 %(username)s。"),
    "A username has 1 to 150 characters.": ("使用者名稱需 1 至 150 個字元。", "用户名需 1 至 150 个字符。"),
    "You cannot remove your own administrator role or deactivate your own account.": (
        "您不能移除自己的管理員角色,也不能停用自己的帳號。",
        "您不能移除自己的管理员角色,也不能停用自己的账号。",
    ),
    "This change would leave the city without an active administrator.": (
        "這項變更會使全市沒有任何在職的管理員。",
        "这项变更会使全市没有任何在职的管理员。",
    ),
    "Only administrators may change the city's configuration.": (
        "只有管理員可以修改城市設定。",
        "只有管理员可以修改城市设置。",
    ),
    "Code": ("代碼", "代码"),
    "Letters, digits and hyphens; it cannot be changed later.": (
        "字母、數字和連字號;建立後不能修改。",
        "字母、数字和连字符;建立后不能修改。",
    ),
    "Parent unit": ("上級單位", "上级单位"),
    "Area": ("地區", "地区"),
    "Parent category": ("上級分類", "上级分类"),
    "Empty for a first-level category. A category keeps its parent once created.": (
        "一級分類留空。分類建立後不能更換上級分類。",
        "一级分类留空。分类建立后不能更换上级分类。",
    ),
    "Default unit": ("預設承辦單位", "默认承办单位"),
    "Urgency": ("緊急程度", "紧急程度"),
    "Leave empty: it is derived from the names. It cannot be changed later.": (
        "留空即可:由分類名稱產生。建立後不能修改。",
        "留空即可:由分类名称生成。建立后不能修改。",
    ),
    "Keyword": ("關鍵詞", "关键词"),
    "Priority": ("優先順序", "优先级"),
    "Among equally specific rules, the lower number wins.": (
        "同樣具體的規則中,數字較小者優先。",
        "同样具体的规则中,数字较小者优先。",
    ),
    "All kinds": ("所有類型", "所有类型"),
    "Sign for within": ("簽收時限", "签收时限"),
    "Unit of time": ("時間單位", "时间单位"),
    "Reply within": ("答復時限", "答复时限"),
    "Date": ("日期", "日期"),
    "Type": ("類型", "类型"),
    "Holiday": ("假日", "假日"),
    "Make-up workday (調休)": ("調休上班日", "调休上班日"),
    "Unit (empty: every unit)": ("單位(留空:所有單位)", "单位(留空:所有单位)"),
    "Text": ("內容", "内容"),
    "At least 10 characters, not a common password, not only digits.": (
        "至少 10 個字元,不可是常見密碼,也不可全是數字。",
        "至少 10 个字符,不可是常见密码,也不可全是数字。",
    ),
    "Password": ("密碼", "密码"),
    "Password again": ("再次輸入密碼", "再次输入密码"),
    "The two passwords differ.": ("兩次輸入的密碼不一致。", "两次输入的密码不一致。"),
    "Username": ("使用者名稱", "用户名"),
    "Name": ("名稱", "名称"),
    "Name shown to colleagues": ("顯示給同事的姓名", "显示给同事的姓名"),
    "Unit": ("單位", "单位"),
    "Roles": ("角色", "角色"),
    "Active (may sign in)": ("在職(可以登入)", "在职(可以登录)"),
    "When": ("時間", "时间"),
    "Who": ("操作人", "操作人"),
    "What": ("操作", "操作"),
    "Row": ("對象", "对象"),
    "Changes": ("變更內容", "变更内容"),
    "No configuration changes yet.": ("尚無設定變更。", "尚无设置变更。"),
    "Operator console": ("營運主控台", "运营控制台"),
    "Overview": ("總覽", "总览"),
    "Change log": ("變更記錄", "变更记录"),
    "Every change to the city's configuration, newest first. Entries cannot be changed or deleted.": (
        "城市設定的每一項變更,最新的在前。記錄不能修改或刪除。",
        "城市设置的每一项变更,最新的在前。记录不能修改或删除。",
    ),
    "Filter": ("篩選", "筛选"),
    "all": ("全部", "全部"),
    "Role changes": ("角色變更", "角色变更"),
    "Every role granted or revoked, newest first, for the discipline inspectors' oversight.": (
        "每一次授予或撤銷角色的記錄,最新的在前,供紀檢人員監督。",
        "每一次授予或撤销角色的记录,最新的在前,供纪检人员监督。",
    ),
    "Edit %(noun)s": ("修改%(noun)s", "修改%(noun)s"),
    "New %(noun)s": ("新增%(noun)s", "新增%(noun)s"),
    "Save": ("儲存", "保存"),
    "Cancel": ("取消", "取消"),
    "Set a new password": ("設定新密碼", "设置新密码"),
    "Deactivate this account": ("停用這個帳號", "停用这个账号"),
    "A deactivated account can no longer sign in; its history keeps its name.": (
        "停用的帳號不能再登入;歷史記錄仍保留其名稱。",
        "停用的账号不能再登录;历史记录仍保留其名称。",
    ),
    "Reactivate this account": ("重新啟用這個帳號", "重新启用这个账号"),
    "Delete": ("刪除", "删除"),
    "Rows still in use (by requests, staff, sub-units …) cannot be deleted; the console says what uses them.": (
        "仍在使用中(被訴求、員工、下級單位等引用)的項目不能刪除;主控台會說明被什麼使用。",
        "仍在使用中(被诉求、员工、下级单位等引用)的项目不能删除;控制台会说明被什么使用。",
    ),
    "The city's configuration: every change here is recorded in the change log. The same data can be dumped and loaded as CSV files with massline city dump / load.": (
        "城市設定:這裡的每一項變更都會寫入變更記錄。同樣的資料也可用 massline city dump / load 以 CSV 檔匯出和載入。",
        "城市设置:这里的每一项变更都会写入变更记录。同样的数据也可用 massline city dump / load 以 CSV 文件导出和载入。",
    ),
    "Recent changes": ("最近的變更", "最近的变更"),
    "The whole change log": ("完整的變更記錄", "完整的变更记录"),
    "Year": ("年份", "年份"),
    "Nothing here yet.": ("這裡還沒有資料。", "这里还没有数据。"),
    "New password for %(name)s": ("為 %(name)s 設定新密碼", "为 %(name)s 设置新密码"),
    "Set the password": ("設定密碼", "设置密码"),
    "Units": ("承辦單位", "承办单位"),
    "unit": ("單位", "单位"),
    "The unit tree (承辦單位): departments, districts and street offices.": (
        "承辦單位的樹狀結構:部門、區縣和街道辦事處。",
        "承办单位的树状结构:部门、区县和街道办事处。",
    ),
    "Category catalogue": ("派單目錄", "派单目录"),
    "category": ("分類", "分类"),
    "Category": ("分類", "分类"),
    "Level": ("級別", "级别"),
    "Three levels (派單目錄). A category without a default unit inherits its parent's.": (
        "派單目錄分三級。沒有預設承辦單位的分類沿用上級分類的單位。",
        "派单目录分三级。没有默认承办单位的分类沿用上级分类的单位。",
    ),
    "Routing rules": ("派單規則", "派单规则"),
    "routing rule": ("派單規則", "派单规则"),
    "any": ("任何", "任何"),
    "A rule sends requests of a category (and/or with a keyword, in an area) to a unit instead of the category's default unit. The most specific rule wins.": (
        "規則把某分類(和/或含某關鍵詞、在某地區)的訴求派給指定單位,而不是分類的預設單位。最具體的規則優先。",
        "规则把某分类(和/或含某关键词、在某地区)的诉求派给指定单位,而不是分类的默认单位。最具体的规则优先。",
    ),
    "Deadline rules": ("辦理時限", "办理时限"),
    "deadline rule": ("時限規則", "时限规则"),
    "Hours run on the clock; working days skip weekends and holidays and count make-up workdays.": (
        "以小時計的時限按自然時間計算;以工作日計的時限跳過週末和假日,並計入調休上班日。",
        "以小时计的时限按自然时间计算;以工作日计的时限跳过周末和假日,并计入调休上班日。",
    ),
    "Calendar": ("工作日曆", "工作日历"),
    "calendar day": ("日曆日期", "日历日期"),
    "Holidays and make-up workdays (調休), by year, as the State Council announces them.": (
        "按年份設定的假日和調休上班日,依國務院公布的安排。",
        "按年份设置的假日和调休上班日,依国务院公布的安排。",
    ),
    "Reply templates": ("答復範本", "答复模板"),
    "reply template": ("答復範本", "答复模板"),
    "every unit": ("所有單位", "所有单位"),
    "Staff accounts": ("員工帳號", "员工账号"),
    "staff account": ("員工帳號", "员工账号"),
    "Status": ("狀態", "状态"),
    "active": ("在職", "在职"),
    "deactivated": ("已停用", "已停用"),
    "Roles decide what a person may do; unit staff see their unit's requests. Passwords are never shown.": (
        "角色決定一個人可以做什麼;承辦人員只看到本單位的訴求。密碼永不顯示。",
        "角色决定一个人可以做什么;承办人员只看到本单位的诉求。密码永不显示。",
    ),
    "Saved.": ("已儲存。", "已保存。"),
    "Reactivated.": ("已重新啟用。", "已重新启用。"),
    "Deactivated.": ("已停用。", "已停用。"),
    "Deleted.": ("已刪除。", "已删除。"),
    "Password set.": ("密碼已設定。", "密码已设置。"),
    "created": ("新增", "新增"),
    "changed": ("修改", "修改"),
    "deleted": ("刪除", "删除"),
    "role granted": ("授予角色", "授予角色"),
    "role revoked": ("撤銷角色", "撤销角色"),
    "password set": ("設定密碼", "设置密码"),
    "Search": ("搜尋", "搜索"),
    "parent": ("上級", "上级"),
    "default unit": ("預設承辦單位", "默认承办单位"),
    "holiday / make-up workday": ("假日/調休上班日", "假日/调休上班日"),
    "make-up workday": ("調休上班日", "调休上班日"),
    "role": ("角色", "角色"),
    "yes": ("是", "是"),
    "Unit name": ("單位名稱", "单位名称"),
    "Category name": ("分類名稱", "分类名称"),
    "Name of the day": ("名稱", "名称"),
    "Template name": ("範本名稱", "模板名称"),
    "no": ("否", "否"),
    "Dispatcher": ("派單員", "派单员"),
    "Unit staff": ("承辦人員", "承办人员"),
    "Supervisor": ("督辦員", "督办员"),
    "Discipline inspector": ("紀檢人員", "纪检人员"),
    "Administrator": ("管理員", "管理员"),
}


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _msgids(text: str) -> set[str]:
    ids = set()
    for block in text.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if m:
            ids.add("".join(re.findall(r'"(.*)"', m.group(1))).replace('\\"', '"'))
    return ids


_PLACEHOLDER = re.compile(r"(%\([a-z_]+\)s)")
_FULL_WIDTH = str.maketrans({":": "：", ",": "，", ";": "；", "(": "（", ")": "）"})


def full_width(text: str) -> str:
    """Chinese punctuation in Chinese text, leaving %(name)s placeholders alone."""
    return "".join(
        part if _PLACEHOLDER.fullmatch(part) else part.translate(_FULL_WIDTH)
        for part in _PLACEHOLDER.split(text)
    )


_OURS = re.compile(r'(#: console\n(?:#,[^\n]*\n)?msgid "((?:[^"\\]|\\.)*)"\nmsgstr )(".*")')


def main() -> None:
    for lang, index in (("zh_Hant", 0), ("zh_Hans", 1), ("en", None)):
        path = LOCALE / lang / "LC_MESSAGES" / "django.po"
        text = path.read_text(encoding="utf-8")
        have = _msgids(text)
        added = []
        for msgid in T:
            if msgid not in have:
                flag = "#, python-format\n" if "%(" in msgid else ""
                added.append(f'#: console\n{flag}msgid {_quote(msgid)}\nmsgstr ""\n')
        if added:
            text = text.rstrip("\n") + "\n\n" + "\n".join(added)
        if index is not None:
            # Our own entries (marked "#: console") always carry the current translation.
            def ours(m: re.Match, index: int = index) -> str:
                pair = T.get(m.group(2).replace('\\"', '"'))
                return m.group(1) + (_quote(full_width(pair[index])) if pair else m.group(3))

            text = _OURS.sub(ours, text)
        path.write_text(text, encoding="utf-8")
        print(f"{lang}: {len(added)} added")


if __name__ == "__main__":
    main()
