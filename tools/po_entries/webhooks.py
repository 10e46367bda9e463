"""The webhooks app's strings for tools/po_append.py: ``python tools/po_append.py webhooks``."""

# msgid: (Traditional, Simplified)
ENTRIES = {
    "Webhooks": ("Webhook 推送", "Webhook 推送"),
    "Webhook": ("Webhook", "Webhook"),
    "New webhook": ("新增 Webhook", "新增 Webhook"),
    "No webhook yet.": ("尚無 Webhook。", "尚无 Webhook。"),
    "Other systems can be told of changes to public requests: each event is POSTed as JSON to the address, "
    "signed with the webhook's secret (header X-Massline-Signature). Misconduct reports are never sent. "
    "Every change here is recorded in the change log.": (
        "其他系統可以接收公開訴求的變動:每個事件以 JSON 格式 POST 到設定的位址,並以該 Webhook 的密鑰簽名"
        "(標頭 X-Massline-Signature)。舉報一律不會送出。這裡的每項變更都記錄在變更紀錄中。",
        "其他系统可以接收公开诉求的变动:每个事件以 JSON 格式 POST 到设定的地址,并以该 Webhook 的密钥签名"
        "(标头 X-Massline-Signature)。举报一律不会发送。这里的每项变更都记录在变更记录中。",
    ),
    "The secret of %(name)s is shown only now; give it to the receiver, which checks every signature with it:": (
        "%(name)s 的密鑰只在此刻顯示一次;請交給接收方,由其用來核對每個簽名:",
        "%(name)s 的密钥只在此刻显示一次;请交给接收方,由其用来核对每个签名:",
    ),
    "Name": ("名稱", "名称"),
    "Who receives, e.g. city-dashboard.": ("接收方,例如 city-dashboard。", "接收方,例如 city-dashboard。"),
    "Address (URL)": ("位址(URL)", "地址(URL)"),
    "Events": ("事件", "事件"),
    "Event": ("事件", "事件"),
    "all events": ("所有事件", "所有事件"),
    "State": ("狀態", "状态"),
    "on": ("啟用", "启用"),
    "off": ("停用", "停用"),
    "Switch off": ("停用", "停用"),
    "Switch on": ("啟用", "启用"),
    "Switched off.": ("已停用。", "已停用。"),
    "Switched on.": ("已啟用。", "已启用。"),
    "New secret": ("更換密鑰", "更换密钥"),
    "Delete": ("刪除", "删除"),
    "Deleted.": ("已刪除。", "已删除。"),
    "Create": ("建立", "创建"),
    "Delivery log": ("推送紀錄", "推送记录"),
    "All webhooks": ("所有 Webhook", "所有 Webhook"),
    "Time": ("時間", "时间"),
    "Request": ("訴求", "诉求"),
    "Attempts": ("嘗試次數", "尝试次数"),
    "Answer": ("回應", "响应"),
    "Nothing sent yet.": ("尚未推送任何內容。", "尚未推送任何内容。"),
    "waiting to be sent": ("等待發送", "等待发送"),
    "being sent": ("發送中", "发送中"),
    "to be retried": ("待重試", "待重试"),
    "delivered": ("已送達", "已送达"),
    "failed": ("失敗", "失败"),
    "not sent: subscription switched off": ("未發送:訂閱已停用", "未发送:订阅已停用"),
    "A webhook address starts with https:// or http:// and names a host.": (
        "Webhook 位址須以 https:// 或 http:// 開頭，並包含主機名稱。",
        "Webhook 地址须以 https:// 或 http:// 开头，并包含主机名。",
    ),
    "Put no password in the address: every delivery is signed instead.": (
        "位址中請勿包含密碼:每次推送都已簽名。",
        "地址中请勿包含密码:每次推送都已签名。",
    ),
    "A webhook address has at most 500 characters.": (
        "Webhook 位址最多 500 個字元。",
        "Webhook 地址最多 500 个字符。",
    ),
    "Choose at least one event.": ("請至少選擇一個事件。", "请至少选择一个事件。"),
    "Unknown event %(events)s; choose among %(known)s, or * for all.": (
        "未知事件 %(events)s;請從 %(known)s 中選擇,或以 * 表示全部。",
        "未知事件 %(events)s;请从 %(known)s 中选择,或以 * 表示全部。",
    ),
    "Give the webhook a short name (letters, digits, hyphens).": (
        "請為 Webhook 取一個簡短名稱(字母、數字、連字號)。",
        "请为 Webhook 取一个简短名称(字母、数字、连字符)。",
    ),
    "A webhook secret has at least 16 characters.": (
        "Webhook 密鑰至少需要 16 個字元。",
        "Webhook 密钥至少需要 16 个字符。",
    ),
    "A webhook named %(name)s already exists.": (
        "名為 %(name)s 的 Webhook 已存在。",
        "名为 %(name)s 的 Webhook 已存在。",
    ),
    "There is no webhook named %(name)s.": (
        "沒有名為 %(name)s 的 Webhook。",
        "没有名为 %(name)s 的 Webhook。",
    ),
}
