"""The public side's strings: "me too" (我也遇到) and the similar requests shown while submitting."""

ENTRIES = {
    "Keep me informed: your e-mail address": (
        "有進展時通知我：您的電子郵件地址",
        "有进展时通知我：您的电子邮件地址",
    ),
    "We send a confirmation link first; nothing else before you confirm.": (
        "我們會先寄出確認連結；在您確認之前不會寄出其他郵件。",
        "我们会先发送确认链接；在您确认之前不会发送其他邮件。",
    ),
    "The text is too long to compare: send at most 2,000 characters.": (
        "文字太長，無法比對：最多傳送 2000 個字元。",
        "文字太长，无法比对：最多发送 2000 个字符。",
    ),
    "The latitude must be a number between -90 and 90.": (
        "緯度必須是 -90 到 90 之間的數字。",
        "纬度必须是 -90 到 90 之间的数字。",
    ),
    "The longitude must be a number between -180 and 180.": (
        "經度必須是 -180 到 180 之間的數字。",
        "经度必须是 -180 到 180 之间的数字。",
    ),
    "Give both latitude and longitude, or neither.": (
        "請同時填寫緯度和經度，或兩者都不填。",
        "请同时填写纬度和经度，或两者都不填。",
    ),
    "This request cannot take a “me too”: it is not public.": (
        "此訴求不能表示「我也遇到」：它不是公開的。",
        "此诉求不能表示“我也遇到”：它不是公开的。",
    ),
    "We could not tell who you are: please allow cookies and try again.": (
        "我們無法辨認您：請允許 Cookie 後再試一次。",
        "我们无法识别您：请允许 Cookie 后再试一次。",
    ),
    "Too many “me too”s were sent from your address.": (
        "從您的位址送出的「我也遇到」太多。",
        "从您的地址发送的“我也遇到”太多。",
    ),
    "Thank you. You are the first to say this concerns you too.": (
        "謝謝。您是第一位表示也遇到此問題的人。",
        "谢谢。您是第一位表示也遇到此问题的人。",
    ),
    "Thank you. %(n)s people have this problem, you included.": (
        "謝謝。包括您在內，共有 %(n)s 人遇到此問題。",
        "谢谢。包括您在内，共有 %(n)s 人遇到此问题。",
    ),
    "You have already said this concerns you too; it is counted once.": (
        "您已表示過也遇到此問題；每人只計算一次。",
        "您已表示过也遇到此问题；每人只计算一次。",
    ),
    "We sent a confirmation link to %(email)s.": (
        "我們已將確認連結寄到 %(email)s。",
        "我们已将确认链接发送到 %(email)s。",
    ),
    "Is your problem already here? Similar public requests": (
        "您的問題是否已有人反映？相似的公開訴求",
        "您的问题是否已有人反映？相似的公开诉求",
    ),
    "If one of them is your problem, say “me too” on its page instead of sending a new request: it is "
    "counted, and you can be kept informed.": (
        "如果其中一則就是您的問題，請在該頁按「我也遇到」，不必再送出新的訴求：您會被計入，也可以選擇接收進展通知。",
        "如果其中一条就是您的问题，请在该页点“我也遇到”，不必再提交新的诉求：您会被计入，也可以选择接收进展通知。",
    ),
    "less than 50 m away": ("距離不到 50 公尺", "距离不到 50 米"),
    "about %(metres)s m away": ("距離約 %(metres)s 公尺", "距离约 %(metres)s 米"),
    "similar text": ("內容相似", "内容相似"),
    "“Me too”: %(n)s": ("我也遇到：%(n)s", "我也遇到：%(n)s"),
    "This is my problem too": ("我也遇到這個問題", "我也遇到这个问题"),
    "Does this concern you too?": ("您也遇到這個問題嗎？", "您也遇到这个问题吗？"),
    "People who said “me too”: %(n)s": ("表示「我也遇到」的人數：%(n)s", "表示“我也遇到”的人数：%(n)s"),
    "Say so instead of sending the same request again: the more people it concerns, the higher it ranks "
    "among the hot issues staff work on. No name or login needed.": (
        "請在這裡表示，不必再送出相同的訴求：涉及的人越多，它在工作人員處理的熱點問題中排名越高。不需要姓名或登入。",
        "请在这里表示，不必再提交相同的诉求：涉及的人越多，它在工作人员处理的热点问题中排名越高。不需要姓名或登录。",
    ),
    "Me too (我也遇到)": ("我也遇到", "我也遇到"),
}
