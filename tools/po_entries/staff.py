"""Strings of the staff work surfaces (issue 11 part 2): filters, export, the work order, the staff timeline."""

ENTRIES = {
    # the filter bar (workbench/filters.py, _filters.html)
    "Received, oldest first": ("受理時間，由舊到新", "受理时间，由旧到新"),
    "Received, newest first": ("受理時間，由新到舊", "受理时间，由新到旧"),
    "Due date, soonest first": ("期限，最近的在前", "期限，最近的在前"),
    "Due date, latest first": ("期限，最遠的在前", "期限，最远的在前"),
    "Reference, ascending": ("編號，遞增", "编号，递增"),
    "Reference, descending": ("編號，遞減", "编号，递减"),
    "reference, title or text": ("編號、標題或內容", "编号、标题或内容"),
    "Channel": ("渠道", "渠道"),
    "Received from": ("受理日期起", "受理日期起"),
    "Received until": ("受理日期止", "受理日期止"),
    "Overdue only": ("只看逾期", "只看逾期"),
    "Sort by": ("排序", "排序"),
    "The end date is before the start date.": ("結束日期早於開始日期。", "结束日期早于开始日期。"),
    "Some filters were not understood and are ignored:": (
        "以下篩選條件無法識別，已略過：",
        "以下筛选条件无法识别，已略过：",
    ),
    "Apply": ("套用", "应用"),
    "Clear filters": ("清除篩選", "清除筛选"),
    "Export this list:": ("匯出此清單：", "导出此列表："),
    "Search and filter this list": ("搜尋及篩選此清單", "搜索和筛选此列表"),
    "No request matches these filters.": ("沒有符合這些篩選條件的訴求。", "没有符合这些筛选条件的诉求。"),
    "%(label)s: %(error)s": ("%(label)s：%(error)s", "%(label)s：%(error)s"),
    "Every request you may see, newest first: search by reference, title or text, and narrow the list "
    "with the filters.": (
        "您可查看的全部訴求，最新的在前：可按編號、標題或內容搜尋，並以篩選條件縮小範圍。",
        "您可查看的全部诉求，最新的在前：可按编号、标题或内容搜索，并以筛选条件缩小范围。",
    ),
    "%(deadline)s:": ("%(deadline)s：", "%(deadline)s："),
    "%(n)s more units": ("另外 %(n)s 個單位", "另外 %(n)s 个单位"),
    # export (workbench/export.py)
    "Reference": ("編號", "编号"),
    "Sign deadline": ("簽收期限", "签收期限"),
    "Reply deadline": ("答復期限", "答复期限"),
    "Only the first %(cap)s of %(total)s requests are in this file. Narrow the filters, or export CSV for "
    "all of them.": (
        "本檔案只含 %(total)s 件訴求中的前 %(cap)s 件。請縮小篩選範圍，或匯出 CSV 取得全部。",
        "本文件只含 %(total)s 件诉求中的前 %(cap)s 件。请缩小筛选范围，或导出 CSV 获取全部。",
    ),
    # the staff timeline (workbench/timeline.py, portal/timeline.py staff texts)
    "the requester": ("訴求人", "诉求人"),
    "automatic routing": ("自動派單", "自动派单"),
    "the deadline sweep": ("期限巡查", "期限巡查"),
    "the system": ("系統", "系统"),
    "the API client %(name)s": ("API 用戶端 %(name)s", "API 客户端 %(name)s"),
    "%(name)s (%(unit)s)": ("%(name)s（%(unit)s）", "%(name)s（%(unit)s）"),
    "The classifier suggested the category %(category)s and was %(percent)s sure, enough to route it "
    "without a dispatcher.": (
        "分類模型建議分類為「%(category)s」，把握度 %(percent)s，足以不經派單員直接派單。",
        "分类模型建议分类为「%(category)s」，把握度 %(percent)s，足以不经派单员直接派单。",
    ),
    "The category was given when the request was taken in.": (
        "分類在受理時已經指定。",
        "分类在受理时已经指定。",
    ),
    "%(reason)s: the deadline was %(when)s.": (
        "%(reason)s：期限為 %(when)s。",
        "%(reason)s：期限为 %(when)s。",
    ),
    "Satisfaction: %(level)s": ("滿意度：%(level)s", "满意度：%(level)s"),
    "Released to the public after review": ("審核後公開", "审核后公开"),
    "Kept hidden after review": ("審核後不予公開", "审核后不予公开"),
    "The discipline office accepted the report": ("紀檢監察機關已受理此舉報", "纪检监察机关已受理此举报"),
    "The discipline office answered the reporter": ("紀檢監察機關已答復舉報人", "纪检监察机关已答复举报人"),
    "The report was concluded": ("此舉報已辦結", "此举报已办结"),
    # after a transfer or a return (workbench/views/detail.py)
    "the dispatcher": ("派單員", "派单员"),
    "%(ref)s has left your queue: %(holder)s handles it now.": (
        "%(ref)s 已離開您的待辦：現由%(holder)s處理。",
        "%(ref)s 已离开您的待办：现由%(holder)s处理。",
    ),
    # the work order (工單, workbench/work_order.html)
    "Print work order": ("列印工單", "打印工单"),
    "Work order": ("工單", "工单"),
    "Print": ("列印", "打印"),
    "Back to the request": ("返回訴求", "返回诉求"),
    "12345 citizen hotline": ("12345 市民熱線", "12345 市民热线"),
    "signed": ("已簽收", "已签收"),
    "replied": ("已答復", "已答复"),
    "Requester": ("訴求人", "诉求人"),
    "Handled by (signature, date)": ("承辦人（簽名、日期）", "承办人（签名、日期）"),
    "Head of unit (signature, date)": ("單位負責人（簽名、日期）", "单位负责人（签名、日期）"),
    "Checked by the hotline (signature, date)": ("熱線審核（簽名、日期）", "热线审核（签名、日期）"),
    "Printed %(when)s. Staff only: this work order holds the requester's personal data, for handling the "
    "request only.": (
        "列印於 %(when)s。僅限工作人員：本工單含訴求人的個人資料，只可用於辦理此訴求。",
        "打印于 %(when)s。仅限工作人员：本工单含诉求人的个人信息，只可用于办理此诉求。",
    ),
}
