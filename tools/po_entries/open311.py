"""Strings of Open311 out (massline/open311out), the Open311 updates and the timeline's external update."""

ENTRIES = {
    "Full text: %(url)s": ("全文：%(url)s", "全文：%(url)s"),
    "News from the unit's own system: %(status)s": (
        "承辦單位自身系統的進展：%(status)s",
        "承办单位自身系统的进展：%(status)s",
    ),
    "Write each service code as OUR_CATEGORY=THEIR_CODE, or *=THEIR_CODE for the rest.": (
        "每個服務代碼寫成「本方分類=對方代碼」，其餘分類寫成 *=對方代碼。",
        "每个服务代码写成“本方分类=对方代码”，其余分类写成 *=对方代码。",
    ),
    "An endpoint address starts with https:// or http:// and names a host.": (
        "端點地址須以 https:// 或 http:// 開頭，並寫明主機。",
        "端点地址须以 https:// 或 http:// 开头，并写明主机。",
    ),
    "There is no unit with the code %(code)s.": ("沒有代碼為 %(code)s 的單位。", "没有代码为 %(code)s 的单位。"),
    "The format is json or xml.": ("格式為 json 或 xml。", "格式为 json 或 xml。"),
    "Give at least one service code (*=THEIR_CODE for every category).": (
        "請至少給出一個服務代碼（*=對方代碼 適用於所有分類）。",
        "请至少给出一个服务代码（*=对方代码 适用于所有分类）。",
    ),
    "That unit already sends to the endpoint %(name)s.": (
        "該單位已對接端點 %(name)s。",
        "该单位已对接端点 %(name)s。",
    ),
    "Done by %(system)s (%(status)s).": ("已由 %(system)s 辦理（%(status)s）。", "已由 %(system)s 办理（%(status)s）。"),
    "Sending again.": ("正在重新發送。", "正在重新发送。"),
    "This delivery was already sent.": ("此單已發送。", "此单已发送。"),
    "waiting to be sent": ("等待發送", "等待发送"),
    "being sent": ("發送中", "发送中"),
    "sent": ("已發送", "已发送"),
    "failed": ("失敗", "失败"),
    "Open311": ("Open311", "Open311"),
    "Open311 deliveries": ("Open311 派單", "Open311 派单"),
    "Units that work in their own system receive their requests over Open311. A request dispatched or "
    "transferred to such a unit is sent to its endpoint, retried when that fails, and the endpoint's updates "
    "are read back onto the request's timeline. Deliveries that failed wait here until someone retries them.": (
        "使用自身系統辦理的單位經 Open311 接收訴求。派單或轉派給這類單位的訴求會發送到其端點，"
        "失敗時自動重試；端點的進展會讀回訴求的時間線。發送失敗的單在此等待，直到有人重試。",
        "使用自身系统办理的单位经 Open311 接收诉求。派单或转派给这类单位的诉求会发送到其端点，"
        "失败时自动重试；端点的进展会读回诉求的时间线。发送失败的单在此等待，直到有人重试。",
    ),
    "Endpoints": ("端點", "端点"),
    "Endpoint": ("端點", "端点"),
    "Unit": ("單位", "单位"),
    "State": ("狀態", "状态"),
    "Sent": ("已發送", "已发送"),
    "Waiting": ("等待中", "等待中"),
    "Failed": ("失敗", "失败"),
    "Updates received": ("收到的進展", "收到的进展"),
    "Last 30 days": ("近 30 天", "近 30 天"),
    "on": ("開", "开"),
    "off": ("關", "关"),
    "No endpoint yet. An administrator adds one with: massline open311 endpoint NAME UNIT URL --code "
    "'*=THEIR_CODE'": (
        "尚無端點。管理員可用以下命令新增：massline open311 endpoint NAME UNIT URL --code '*=THEIR_CODE'",
        "尚无端点。管理员可用以下命令新增：massline open311 endpoint NAME UNIT URL --code '*=THEIR_CODE'",
    ),
    "Failed and waiting deliveries": ("失敗與等待中的派單", "失败与等待中的派单"),
    "Request": ("訴求", "诉求"),
    "Attempts": ("嘗試次數", "尝试次数"),
    "Next attempt": ("下次嘗試", "下次尝试"),
    "Last error": ("最近錯誤", "最近错误"),
    "Retry": ("重試", "重试"),
    "Retry now": ("立即重試", "立即重试"),
    "Nothing failed or waiting.": ("沒有失敗或等待中的派單。", "没有失败或等待中的派单。"),
    "Latest updates received": ("最近收到的進展", "最近收到的进展"),
    "Time": ("時間", "时间"),
    "Status": ("狀態", "状态"),
    "Text": ("內容", "内容"),
    "No update received yet.": ("尚未收到進展。", "尚未收到进展。"),
}
