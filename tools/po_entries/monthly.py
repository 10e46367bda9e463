"""The monthly problem's strings (每月一題) for tools/po_append.py: ``python tools/po_append.py monthly``."""

# msgid: (Traditional, Simplified)
ENTRIES = {
    # notifications
    "You told us about this problem, and the city made it its monthly problem (每月一題): %(title)s. "
    "Lead unit: %(unit)s.": (
        "您曾向我們反映這個問題，市裡已把它列為每月一題：%(title)s。牽頭單位：%(unit)s。",
        "您曾向我们反映这个问题，市里已把它列为每月一题：%(title)s。牵头单位：%(unit)s。",
    ),
    "Progress on the problem you raised: %(title)s": (
        "您反映的問題有新進展：%(title)s",
        "您反映的问题有新进展：%(title)s",
    ),
    "%(intro)s\n\nNew milestone, %(date)s: %(milestone)s\n%(description)s\n\n"
    "Progress: %(progress)s%%\n\nFollow it here:\n%(page_url)s": (
        "%(intro)s\n\n新的進展節點（%(date)s）：%(milestone)s\n%(description)s\n\n完成進度：%(progress)s%%\n\n在這裡查看：\n%(page_url)s",
        "%(intro)s\n\n新的进展节点（%(date)s）：%(milestone)s\n%(description)s\n\n完成进度：%(progress)s%%\n\n在这里查看：\n%(page_url)s",
    ),
    "Monthly problem %(title)s: %(milestone)s (%(progress)s%%). %(page_url)s": (
        "每月一題「%(title)s」：%(milestone)s（%(progress)s%%）。%(page_url)s",
        "每月一题“%(title)s”：%(milestone)s（%(progress)s%%）。%(page_url)s",
    ),
    "The problem you raised is now %(status)s: %(title)s": (
        "您反映的問題現在%(status)s：%(title)s",
        "您反映的问题现在%(status)s：%(title)s",
    ),
    "%(intro)s\n\nIts status is now: %(status)s.\n\nFollow it here:\n%(page_url)s": (
        "%(intro)s\n\n目前狀態：%(status)s。\n\n在這裡查看：\n%(page_url)s",
        "%(intro)s\n\n目前状态：%(status)s。\n\n在这里查看：\n%(page_url)s",
    ),
    "Monthly problem %(title)s is now %(status)s. %(page_url)s": (
        "每月一題「%(title)s」現在%(status)s。%(page_url)s",
        "每月一题“%(title)s”现在%(status)s。%(page_url)s",
    ),
    # errors
    "Only supervisors choose and run the monthly problem.": (
        "只有督辦人員可以選定和管理每月一題。",
        "只有督办人员可以选定和管理每月一题。",
    ),
    "Give the monthly problem a title.": ("請為每月一題填寫標題。", "请为每月一题填写标题。"),
    "The title is too long (at most %(n)s characters).": (
        "標題太長（最多 %(n)s 個字）。",
        "标题太长（最多 %(n)s 个字）。",
    ),
    "The text is too long (at most %(n)s characters).": (
        "內容太長（最多 %(n)s 個字）。",
        "内容太长（最多 %(n)s 个字）。",
    ),
    "Name the lead unit.": ("請選擇牽頭單位。", "请选择牵头单位。"),
    "Write the plan: what will be done, by whom, by when.": (
        "請填寫工作方案：做什麼、由誰做、何時完成。",
        "请填写工作方案：做什么、由谁做、何时完成。",
    ),
    "This hot issue is already the monthly problem “%(title)s”.": (
        "這個熱點問題已是每月一題「%(title)s」。",
        "这个热点问题已是每月一题“%(title)s”。",
    ),
    "Unknown status.": ("未知的狀態。", "未知的状态。"),
    "Only the lead unit and supervisors post milestones.": (
        "只有牽頭單位和督辦人員可以發布進展節點。",
        "只有牵头单位和督办人员可以发布进展节点。",
    ),
    "The form is missing its token; reload the page.": (
        "表單缺少識別碼，請重新載入頁面。",
        "表单缺少识别码，请重新加载页面。",
    ),
    "Progress is a percentage from 0 to 100.": (
        "完成進度是 0 到 100 之間的百分比。",
        "完成进度是 0 到 100 之间的百分比。",
    ),
    # model fields and labels
    "month": ("月份", "月份"),
    "the first day of the month it is chosen for": ("所選月份的第一天", "所选月份的第一天"),
    "lead unit": ("牽頭單位", "牵头单位"),
    "plan": ("工作方案", "工作方案"),
    "start date": ("開始日期", "开始日期"),
    "request volume is compared before and after": ("比較此日期前後的訴求量", "比较此日期前后的诉求量"),
    "outcome": ("結果", "结果"),
    "description": ("說明", "说明"),
    "progress (%)": ("完成進度（%）", "完成进度（%）"),
    "chosen as the monthly problem": ("選定為每月一題", "选定为每月一题"),
    "plan edited": ("修改了方案", "修改了方案"),
    "status changed": ("變更了狀態", "变更了状态"),
    "milestone posted": ("發布了進展節點", "发布了进展节点"),
    "consultation drafted": ("起草了徵求意見", "起草了征求意见"),
    "outcome attached": ("附上了結果", "附上了结果"),
    "planned": ("計劃中", "计划中"),
    "in progress": ("進行中", "进行中"),
    "done": ("已完成", "已完成"),
    # forms
    "Lead unit": ("牽頭單位", "牵头单位"),
    "Plan": ("工作方案", "工作方案"),
    "What will be done, by whom, by when. This is shown on the public page.": (
        "做什麼、由誰做、何時完成。這段文字會在公開頁面上顯示。",
        "做什么、由谁做、何时完成。这段文字会在公开页面上显示。",
    ),
    "Start date": ("開始日期", "开始日期"),
    "The public page compares the weekly requests on this topic before and after this date.": (
        "公開頁面會比較此日期前後每週同類訴求的數量。",
        "公开页面会比较此日期前后每周同类诉求的数量。",
    ),
    "Milestone": ("進展節點", "进展节点"),
    "Description": ("說明", "说明"),
    "Progress (%)": ("完成進度（%）", "完成进度（%）"),
    "Outcome of the consultation": ("徵求意見的結果", "征求意见的结果"),
    "What was adopted and why. Shown on the public page; leave empty to remove it.": (
        "採納了什麼、為什麼。會在公開頁面上顯示；留空則移除。",
        "采纳了什么、为什么。会在公开页面上显示；留空则移除。",
    ),
    # views
    "Requests on this topic per week": ("每週同類訴求量", "每周同类诉求量"),
    "start": ("開始", "开始"),
    "“%(title)s” is the monthly problem.": ("「%(title)s」已列為每月一題。", "“%(title)s”已列为每月一题。"),
    "The monthly problem is saved.": ("每月一題已儲存。", "每月一题已保存。"),
    "Milestone posted; the people who complained are being told.": (
        "進展節點已發布，正在通知反映過這個問題的市民。",
        "进展节点已发布，正在通知反映过这个问题的市民。",
    ),
    "This milestone was already posted.": ("這個進展節點已經發布過了。", "这个进展节点已经发布过了。"),
    "The outcome is saved.": ("結果已儲存。", "结果已保存。"),
    "A consultation was drafted from the monthly problem. Review it, then open it.": (
        "已根據每月一題起草徵求意見，請檢查後再開放。",
        "已根据每月一题起草征求意见，请检查后再开放。",
    ),
    # public pages
    "Monthly problem": ("每月一題", "每月一题"),
    "Each month the city takes up one problem that many people raised again and again, names the unit that "
    "leads the work, and reports here how far it has come.": (
        "每個月，市裡選出一個市民反覆反映的問題，指定牽頭單位，並在這裡報告辦理進展。",
        "每个月，市里选出一个市民反复反映的问题，指定牵头单位，并在这里报告办理进展。",
    ),
    "No monthly problem has been chosen yet.": ("尚未選定每月一題。", "尚未选定每月一题。"),
    "All monthly problems": ("全部每月一題", "全部每月一题"),
    "The plan": ("工作方案", "工作方案"),
    "Milestones": ("進展節點", "进展节点"),
    "No milestone yet.": ("尚無進展節點。", "尚无进展节点。"),
    "Requests on this topic, before and after": ("同類訴求量：開始前後", "同类诉求量：开始前后"),
    "Week from": ("該週起始日", "该周起始日"),
    "since the start": ("開始後", "开始后"),
    "before": ("開始前", "开始前"),
    "Counted: public requests in the same categories as the linked requests that name the same place; weeks "
    "run from the start date.": (
        "統計範圍：與關聯訴求同一分類、提到同一地點的公開訴求；每週從開始日期起算。",
        "统计范围：与关联诉求同一分类、提到同一地点的公开诉求；每周从开始日期起算。",
    ),
    "Consultation": ("徵求意見", "征求意见"),
    "What was adopted and why": ("採納了什麼、為什麼", "采纳了什么、为什么"),
    "Outcome": ("結果", "结果"),
    "The requests about it": ("相關訴求", "相关诉求"),
    "Public requests only, with personal data removed.": (
        "只列出公開訴求，個人資料已移除。",
        "只列出公开诉求，个人信息已移除。",
    ),
    "No public request is linked.": ("沒有關聯的公開訴求。", "没有关联的公开诉求。"),
    "Only the newest are shown.": ("只顯示最新的訴求。", "只显示最新的诉求。"),
    "Requests about it: %(n)s": ("相關訴求：%(n)s 件", "相关诉求：%(n)s 件"),
    "%(p)s%% done": ("已完成 %(p)s%%", "已完成 %(p)s%%"),
    "Lead unit:": ("牽頭單位：", "牵头单位："),
    "Start date:": ("開始日期：", "开始日期："),
    "Before, per week:": ("開始前，每週：", "开始前，每周："),
    "Since the start, per week:": ("開始後，每週：", "开始后，每周："),
    "Change since the start:": ("開始後的變化：", "开始后的变化："),
    "Consultation:": ("徵求意見：", "征求意见："),
    # staff pages
    "Choose one from the hot issues on the dashboard, or start one here.": (
        "可從數據看板的熱點問題中選定，也可以在這裡新建。",
        "可从数据看板的热点问题中选定，也可以在这里新建。",
    ),
    "Hot issues": ("熱點問題", "热点问题"),
    "New monthly problem": ("新建每月一題", "新建每月一题"),
    "Make it the monthly problem": ("列為每月一題", "列为每月一题"),
    "Linked requests": ("關聯訴求", "关联诉求"),
    "From the hot issue “%(title)s”: its %(n)s requests become the linked requests, and their requesters will "
    "hear of each milestone.": (
        "來自熱點問題「%(title)s」：其中 %(n)s 件訴求會成為關聯訴求，訴求人會收到每個進展節點的通知。",
        "来自热点问题“%(title)s”：其中 %(n)s 件诉求会成为关联诉求，诉求人会收到每个进展节点的通知。",
    ),
    "Public page": ("公開頁面", "公开页面"),
    "Where it came from": ("來源", "来源"),
    "Chosen from the hot issue “%(title)s”.": ("選自熱點問題「%(title)s」。", "选自热点问题“%(title)s”。"),
    "Started from scratch, not from a hot issue.": (
        "直接新建，並非來自熱點問題。",
        "直接新建，并非来自热点问题。",
    ),
    "Post a milestone": ("發布進展節點", "发布进展节点"),
    "Everyone who complained about it and left an e-mail or phone is told, once per milestone.": (
        "反映過這個問題並留下電子郵件或電話的市民，每個進展節點都會收到一次通知。",
        "反映过这个问题并留下电子邮件或电话的市民，每个进展节点都会收到一次通知。",
    ),
    "Post the milestone": ("發布", "发布"),
    "Plan and status": ("方案和狀態", "方案和状态"),
    "Drafts a consultation with the problem's title and plan; you review and open it.": (
        "以每月一題的標題和方案起草徵求意見，由您檢查後開放。",
        "以每月一题的标题和方案起草征求意见，由您检查后开放。",
    ),
    "Open a consultation": ("發起徵求意見", "发起征求意见"),
    "The consultation's published outcome is shown on the public page.": (
        "徵求意見公布的結果會在公開頁面上顯示。",
        "征求意见公布的结果会在公开页面上显示。",
    ),
    "Save the outcome": ("儲存結果", "保存结果"),
    "No linked request.": ("沒有關聯訴求。", "没有关联诉求。"),
    "Log": ("紀錄", "记录"),
    "posted by %(who)s, %(when)s": ("%(who)s 發布於 %(when)s", "%(who)s 发布于 %(when)s"),
    "Monthly problem: %(title)s": ("每月一題：%(title)s", "每月一题：%(title)s"),
}
