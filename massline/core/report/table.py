"""Reading an export file (CSV or XLSX) and recognising its columns by name.

Column roles are found from Chinese (Simplified and Traditional) and English aliases, so the
govmsg files (留言編號, 留言主題, 留言詳情, 答復意見 ...), a 311 export (Descriptor, Agency ...) and
massline's own exports are all understood without options. An explicit column always wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from massline.core.text.encoding import UnknownEncodingError
from massline.core.text.tables import TableError
from massline.core.text.tables import read_table as read_export

# role -> aliases, compared after lower-casing and removing spaces/underscores. Order matters:
# the first alias found wins, so the more specific names come first.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("留言编号", "留言編號", "编号", "編號", "工单编号", "工單編號", "reference", "ref", "id", "uniquekey",
           "requestid", "ticket", "no"),
    "title": ("留言主题", "留言主題", "主题", "主題", "标题", "標題", "title", "subject", "summary"),
    "text": ("留言详情", "留言詳情", "诉求内容", "訴求內容", "详情", "詳情", "内容", "內容", "正文", "message", "text",
             "body", "description", "details", "descriptor", "content"),
    "time": ("留言时间", "留言時間", "受理时间", "受理時間", "创建时间", "建立時間", "时间", "時間", "日期",
             "createddate", "created", "createdat", "time", "date", "receivedat", "submittedat"),
    "category": ("一级分类", "一級分類", "分类", "分類", "类别", "類別", "category", "label", "complainttype", "srtype",
                 "type", "kind"),
    "unit": ("承办单位", "承辦單位", "办理单位", "辦理單位", "答复单位", "答復單位", "责任单位", "責任單位", "部门",
             "部門", "单位", "單位", "agency", "agencyname", "unit", "department", "dept", "assignedto"),
    "reply": ("答复意见", "答復意見", "答复内容", "答復內容", "回复", "回覆", "答复", "答復", "reply", "response",
              "answer", "resolutiondescription"),
    "reply_time": ("答复时间", "答復時間", "回复时间", "回覆時間", "repliedat", "replytime", "closeddate",
                   "resolutionactionupdateddate"),
    "requester": ("留言用户", "留言用戶", "用户", "用戶", "requester", "user", "author", "citizen"),
    "likes": ("点赞数", "點讚數", "点赞", "likes", "upvotes", "votes"),
    "dislikes": ("反对数", "反對數", "反对", "dislikes", "downvotes"),
    "place": ("地点", "地點", "地址", "incidentaddress", "address", "location", "borough", "street"),
}  # fmt: skip
TREE_LEVELS = (("一级分类", "一級分類"), ("二级分类", "二級分類"), ("三级分类", "三級分類"))


class ReportInputError(ValueError):
    """The file cannot be analysed: missing, unreadable, or without the columns a report needs."""


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    encoding: str
    roles: dict[str, str] = field(default_factory=dict)  # role -> column name

    def values(self, role: str) -> list[str]:
        column = self.roles.get(role)
        return [] if column is None else [(r.get(column) or "").strip() for r in self.rows]

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def tree_columns(self) -> list[str]:
        """The category-catalogue columns (一級/二級/三級分類) when the file is a category tree."""
        found = []
        for names in TREE_LEVELS:
            col = next((c for c in self.columns if _key(c) == _key(names[0])), None)
            if col:
                found.append(col)
        return found

    @property
    def is_category_tree(self) -> bool:
        return len(self.tree_columns) >= 2 and "text" not in self.roles and "title" not in self.roles


def _key(name: str) -> str:
    """Names compare in Simplified form, so 答覆意見 and 答復意見 both find 答复意见."""
    from massline.core.text.normalize import to_simplified

    return to_simplified(name.strip().lower().replace(" ", "").replace("_", "").replace("-", ""))


def detect_roles(columns: list[str], overrides: dict[str, str | None] | None = None) -> dict[str, str]:
    """Map roles to column names; ``overrides`` (role -> column) must name existing columns."""
    keyed = {_key(c): c for c in columns}
    roles: dict[str, str] = {}
    taken: set[str] = set()
    for role, column in (overrides or {}).items():
        if not column:
            continue
        if column not in columns:
            raise ReportInputError(f"no column {column!r} for --{role.replace('_', '-')}-column; the file has: "
                                   + ", ".join(columns))  # fmt: skip
        roles[role] = column
        taken.add(column)
    for role, aliases in ALIASES.items():
        if role in roles:
            continue
        for alias in aliases:
            column = keyed.get(_key(alias))
            if column and column not in taken:
                roles[role] = column
                taken.add(column)
                break
    return roles


def _read_rows(path: Path) -> tuple[list[str], list[list[str]], str]:
    """Header, rows and encoding, through the shared table reader (CSV in any encoding, or XLSX)."""
    try:
        table = read_export(path)
    except UnknownEncodingError as exc:
        raise ReportInputError(f"unknown text encoding: {exc}") from exc
    except TableError as exc:
        raise ReportInputError(str(exc)) from exc
    return table.columns, table.rows, table.encoding or "xlsx"


def read_table(
    path: str | Path, overrides: dict[str, str | None] | None = None, limit: int | None = None
) -> Table:
    """Read a CSV (any supported encoding) or XLSX export and detect its column roles."""
    path = Path(path)
    if not path.exists():
        raise ReportInputError(f"no such file: {path}")
    if path.is_dir():
        raise ReportInputError(f"{path} is a directory, not an export file")
    columns, raw_rows, encoding = _read_rows(path)
    if not columns:
        raise ReportInputError(f"{path}: the file is empty or has no header row")
    if limit:
        raw_rows = raw_rows[:limit]
    rows = [{c: (row[i] if i < len(row) else "") for i, c in enumerate(columns)} for row in raw_rows]
    table = Table(path, columns, rows, encoding)
    table.roles = detect_roles(columns, overrides)
    return table


def require_text(table: Table) -> None:
    """A message report needs a text or title column; a category tree is reported differently."""
    if table.is_category_tree or table.has("text") or table.has("title"):
        return
    raise ReportInputError(
        f"{table.path}: no text column found. Columns: {', '.join(table.columns)}. "
        "Name one with --text-column."
    )
