"""Strings of the #12 leftovers (the answer on the call in writing, the call screen's e-mail and language,
the imported channel) for tools/po_append.py: ``python tools/po_append.py leftovers``."""

# msgid: (Traditional, Simplified)
ENTRIES = {
    "The answer to your request %(reference)s, in writing": (
        "您的訴求 %(reference)s 的書面答復",
        "您的诉求 %(reference)s 的书面答复",
    ),
    "%(unit)s answered your request %(reference)s on the phone. Here is the answer in writing:\n\n"
    "%(reply)s\n\nYour request is closed. You can read it again at:\n%(tracking_url)s": (
        "%(unit)s已在電話中答復您的訴求 %(reference)s，以下是書面答復:\n\n%(reply)s\n\n"
        "您的訴求已辦結，可在此再次查看:\n%(tracking_url)s",
        "%(unit)s已在电话中答复您的诉求 %(reference)s，以下是书面答复:\n\n%(reply)s\n\n"
        "您的诉求已办结，可在此再次查看:\n%(tracking_url)s",
    ),
    "%(unit)s, request %(reference)s: %(reply)s": (
        "%(unit)s答復訴求 %(reference)s:%(reply)s",
        "%(unit)s答复诉求 %(reference)s:%(reply)s",
    ),
    "Caller's e-mail": ("來電人電子郵件", "来电人电子邮件"),
    "The receipt and an answer given on the call are sent here, and by SMS to the phone.": (
        "受理回執和直接答復的內容會寄到這個地址，並以簡訊發到來電號碼。",
        "受理回执和直接答复的内容会发到这个地址，并以短信发到来电号码。",
    ),
    "Caller's language": ("來電人使用的語言", "来电人使用的语言"),
    "What is sent to the caller is written in it.": (
        "發給來電人的訊息以這個語言書寫。",
        "发给来电人的消息以这个语言书写。",
    ),
}
# the channel of a request (workflow.models.CHANNELS): imports have their own
ENTRIES.update(
    {
        "Hotline": ("熱線", "热线"),
        "Imported": ("匯入", "导入"),
    }
)
