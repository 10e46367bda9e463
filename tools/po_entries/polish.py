"""Strings of the error pages (403, 404, 429, 500) and the demo polish (issue 11)."""

ENTRIES = {
    "Search the public requests and replies": ("搜尋公開的訴求與答復", "搜索公开的诉求与答复"),
    "Your role or your unit does not cover this page. A request that was transferred to another unit "
    "leaves your queue; ask a dispatcher or your supervisor if you need it.": (
        "您的角色或所屬單位無權處理此頁面。已轉派給其他單位的訴求會離開您的待辦；如仍需要，請聯絡派單員或主管。",
        "您的角色或所属单位无权处理此页面。已转派给其他单位的诉求会离开您的待办；如仍需要，请联系派单员或主管。",
    ),
    "Back to my queue": ("回到我的待辦", "回到我的待办"),
    "If you work for the hotline, sign in first.": (
        "如您是熱線工作人員，請先登入。",
        "如您是热线工作人员，请先登录。",
    ),
    "Something went wrong": ("系統暫時出錯", "系统暂时出错"),
    "The server met an error and could not show this page. It has been logged; please try again in a "
    "moment.": (
        "伺服器發生錯誤，無法顯示此頁面。錯誤已記錄，請稍後再試。",
        "服务器发生错误，无法显示此页面。错误已记录，请稍后再试。",
    ),
    "A request you already sent is safe: your tracking link still works.": (
        "您已提交的訴求不受影響：查詢連結仍然有效。",
        "您已提交的诉求不受影响：查询链接仍然有效。",
    ),
}
