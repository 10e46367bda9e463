"""Keyset paging of the lists and the full-text search (issue #13)."""

ENTRIES = {
    "First page": ("第一頁", "第一页"),
    "This page link is not valid any more. Start again from the first page.": (
        "此頁面連結已失效，請從第一頁重新開始。",
        "此页面链接已失效，请从第一页重新开始。",
    ),
}
