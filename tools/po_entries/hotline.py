"""The hotline app's strings (the call screen, the knowledge base, 直接答復 and 一次辦結率) for
tools/po_append.py: ``python tools/po_append.py hotline``."""

# msgid: (Traditional, Simplified)
ENTRIES = {
    "Earlier requests of this caller (%(n)s)": ("此來電人的歷史訴求（%(n)s）", "此来电人的历史诉求（%(n)s）"),
    "A knowledge answer needs a title and the answer text.": (
        "知識庫答案需要標題和答案內容。",
        "知识库答案需要标题和答案内容。",
    ),
    "A misconduct report cannot be answered on the call; create it for the discipline office.": (
        "舉報不能在通話中直接答復；請建立舉報，交紀檢監察部門辦理。",
        "举报不能在通话中直接答复；请建立举报，交纪检监察部门办理。",
    ),
    "Answer on the call": ("直接答復", "直接答复"),
    "Answer on the call (直接答復)": ("通話中直接答復", "通话中直接答复"),
    "Answer on the call and close": ("直接答復並辦結", "直接答复并办结"),
    "Answer read to the caller": ("向來電人答復的內容", "向来电人答复的内容"),
    "Answered on the call": ("已在通話中直接答復", "已在通话中直接答复"),
    "Answered on the call and closed: resolved at first contact.": (
        "已直接答復並辦結：一次辦結。",
        "已直接答复并办结：一次办结。",
    ),
    "Answered on the call: request %(ref)s is closed, resolved at first contact.": (
        "已直接答復：訴求 %(ref)s 已辦結（一次辦結）。",
        "已直接答复：诉求 %(ref)s 已办结（一次办结）。",
    ),
    "Answers call-takers read to callers and keep as the reply when they answer on the call. A search finds both scripts.": (
        "話務員向來電人答復時使用的答案；直接答復時作為訴求的答復保存。繁體和簡體均可搜尋。",
        "话务员向来电人答复时使用的答案；直接答复时作为诉求的答复保存。繁体和简体均可搜索。",
    ),
    "Back to the call screen": ("返回接聽畫面", "返回接听页面"),
    "By month": ("按月", "按月"),
    "Caller": ("來電人", "来电人"),
    "Caller's name": ("來電人姓名", "来电人姓名"),
    "Caller's phone": ("來電號碼", "来电号码"),
    "Caller's phone number": ("來電號碼", "来电号码"),
    "Calls": ("來電", "来电"),
    "Closes the request as resolved at first contact.": (
        "訴求即時辦結，計入一次辦結。",
        "诉求即时办结，计入一次办结。",
    ),
    "Create the request": ("建立訴求", "创建诉求"),
    "Edit the answer": ("編輯答案", "编辑答案"),
    "Find": ("查找", "查找"),
    "Find a request by reference and phone": ("按編號和電話查找訴求", "按编号和电话查找诉求"),
    "Find the caller": ("查找來電人", "查找来电人"),
    "For a caller who lost the link to their request.": (
        "用於遺失訴求連結的來電人。",
        "用于遗失诉求链接的来电人。",
    ),
    "Hotline requests": ("熱線訴求", "热线诉求"),
    "Hotline requests answered during the call itself, from the knowledge base, over all hotline requests received in the month.": (
        "當月在通話中依知識庫直接答復的熱線訴求，佔當月受理熱線訴求總數的比例。",
        "当月在通话中依知识库直接答复的热线诉求，占当月受理热线诉求总数的比例。",
    ),
    "How callers ask it, and words to find it by.": (
        "來電人的常見問法，以及用於查找的關鍵詞。",
        "来电人的常见问法，以及用于查找的关键词。",
    ),
    "Inactive answers are not offered on calls.": (
        "停用的答案不會在接聽時提供。",
        "停用的答案不会在接听时提供。",
    ),
    "It goes to the e-mail address and phone number the request was made with.": (
        "連結將發送到提交訴求時留下的電子郵件和電話。",
        "链接将发送到提交诉求时留下的电子邮件和电话。",
    ),
    "Knowledge answer “%(title)s” saved.": (
        "知識庫答案「%(title)s」已保存。",
        "知识库答案“%(title)s”已保存。",
    ),
    "Knowledge base": ("知識庫", "知识库"),
    "New answer": ("新增答案", "新增答案"),
    "New request on this call": ("本次來電的新訴求", "本次来电的新诉求"),
    "No answer found.": ("沒有找到答案。", "没有找到答案。"),
    "No answer found. Try other words, or create the request for a unit.": (
        "沒有找到答案。請換個說法，或建立訴求交承辦單位辦理。",
        "没有找到答案。请换个说法，或创建诉求交承办单位办理。",
    ),
    "No answers yet.": ("尚無答案。", "尚无答案。"),
    "No earlier request from this number.": ("此號碼沒有歷史訴求。", "此号码没有历史诉求。"),
    "No hotline requests yet.": ("尚無熱線訴求。", "尚无热线诉求。"),
    "No request matches this reference and phone number. Check both with the caller.": (
        "沒有與此編號和電話相符的訴求。請與來電人核對兩者。",
        "没有与此编号和电话相符的诉求。请与来电人核对两者。",
    ),
    "Offered on calls": ("接聽時提供", "接听时提供"),
    "Only to answer on the call: pick one from the knowledge base and adapt it.": (
        "僅用於直接答復：從知識庫選取答案並按需修改。",
        "仅用于直接答复：从知识库选取答案并按需修改。",
    ),
    "Open the request": ("打開訴求", "打开诉求"),
    "Phone number the request was made with": ("提交訴求時留下的電話", "提交诉求时留下的电话"),
    "Question and keywords": ("問題和關鍵詞", "问题和关键词"),
    "question and keywords": ("問題和關鍵詞", "问题和关键词"),
    "Read the reference to the caller": ("請向來電人讀出訴求編號", "请向来电人读出诉求编号"),
    "Read this link to the caller:": ("請向來電人讀出此連結：", "请向来电人读出此链接："),
    "Reference": ("編號", "编号"),
    "Request created.": ("訴求已建立。", "诉求已创建。"),
    "Resolved at first contact (一次辦結率)": ("一次辦結率", "一次办结率"),
    "Search the answers": ("搜尋答案", "搜索答案"),
    "Search the knowledge base": ("搜尋知識庫", "搜索知识库"),
    "Send the tracking link again": ("重新發送查詢連結", "重新发送查询链接"),
    "Take a call": ("接聽來電", "接听来电"),
    "The answer read to the caller cannot be empty.": (
        "向來電人答復的內容不能為空。",
        "向来电人答复的内容不能为空。",
    ),
    "The knowledge answer was not recognised; pick it again.": (
        "無法識別所選的知識庫答案，請重新選取。",
        "无法识别所选的知识库答案，请重新选取。",
    ),
    "The link to your request %(reference)s": (
        "您的訴求 %(reference)s 的連結",
        "您的诉求 %(reference)s 的链接",
    ),
    "The request is created and closed at once, resolved at first contact (一次辦結); the answer is kept as its reply.": (
        "訴求建立後即時辦結，計入一次辦結；答復內容作為訴求的答復保存。",
        "诉求创建后即时办结，计入一次办结；答复内容作为诉求的答复保存。",
    ),
    "The tracking link was sent again.": ("查詢連結已重新發送。", "查询链接已重新发送。"),
    "This is not a phone number: give at least five digits.": (
        "這不是電話號碼：請至少輸入五位數字。",
        "这不是电话号码：请至少输入五位数字。",
    ),
    "Use this answer": ("使用此答案", "使用此答案"),
    "What the caller says": ("來電人反映的內容", "来电人反映的内容"),
    "Write the answer read to the caller, or pick one from the knowledge base.": (
        "請填寫向來電人答復的內容，或從知識庫選取。",
        "请填写向来电人答复的内容，或从知识库选取。",
    ),
    "Your request %(reference)s: %(tracking_url)s": (
        "您的訴求 %(reference)s：%(tracking_url)s",
        "您的诉求 %(reference)s：%(tracking_url)s",
    ),
    "e.g. residence permit": ("例如：居住證", "例如：居住证"),
    "inactive": ("已停用", "已停用"),
    "of hotline requests in %(month)s were answered on the call": (
        "%(month)s 的熱線訴求在通話中直接答復",
        "%(month)s 的热线诉求在通话中直接答复",
    ),
    "updated %(when)s by %(who)s": ("%(who)s 於 %(when)s 更新", "%(who)s 于 %(when)s 更新"),
    "— not classified: route automatically —": ("— 不選分類：自動派單 —", "— 不选分类：自动派单 —"),
}
