"""Strings of the staff dashboard's hot issues detected by a worker (massline/workbench/hot.py)."""

ENTRIES = {
    "Detected at %(at)s; detected again every ten minutes.": (
        "偵測於 %(at)s；每十分鐘重新偵測。",
        "检测于 %(at)s；每十分钟重新检测。",
    ),
    "The hot issues are being detected; reload the page in a minute.": (
        "正在偵測熱點問題；請一分鐘後重新載入本頁。",
        "正在检测热点问题；请一分钟后重新加载本页。",
    ),
}
