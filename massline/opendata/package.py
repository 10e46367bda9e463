"""What describes the dump: ``datapackage.json`` (Frictionless Data Package with a Table Schema per CSV),
``requests.schema.json`` (JSON Schema, draft 2020-12, of ``requests.json``) and ``README.md`` (English and
Chinese, Traditional and Simplified), all built from ``fields.py``.

The licence and publisher come from the settings ``MASSLINE_OPENDATA_LICENSE`` (an SPDX id, default
CC-BY-4.0) and ``MASSLINE_OPENDATA_PUBLISHER`` (default: the site's address).
"""

from __future__ import annotations

from django.conf import settings

from . import fields

LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}
CSV_TABLES = ["requests", "replies", "timeline", "categories", "units"]
JSON_FILE, SCHEMA_FILE, PACKAGE_FILE, README_FILE = (
    "requests.json",
    "requests.schema.json",
    "datapackage.json",
    "README.md",
)
#: every file a dump holds, with its media type: what /open-data/ serves, and nothing else
FILES = {
    **{f"{t}.csv": "text/csv; charset=utf-8" for t in CSV_TABLES},
    JSON_FILE: "application/json; charset=utf-8",
    SCHEMA_FILE: "application/schema+json; charset=utf-8",
    PACKAGE_FILE: "application/json; charset=utf-8",
    README_FILE: "text/markdown; charset=utf-8",
}
PRIVACY = (
    "Only requests a public page shows: misconduct reports (舉報), duplicates merged into another request, "
    "requests rejected as invalid and requests held for review are left out. Titles, texts, addresses and "
    "replies pass the site's redaction pipeline: phone numbers, ID and card numbers, e-mail addresses, "
    "plates, names after an introduction, flats and the requester's own name, phone and e-mail are "
    "replaced by a mask. Addresses keep only the street and building. Map points are rounded to "
    f"{fields.POINT_DECIMALS} decimals (about 100 m). No contact detail, staff name or internal note "
    "is included."
)


def license_info() -> dict:
    spdx = getattr(settings, "MASSLINE_OPENDATA_LICENSE", "CC-BY-4.0")
    title, url = LICENSES.get(spdx, (spdx, ""))
    return {"name": spdx, "title": title, **({"path": url} if url else {})}


def site_url() -> str:
    return str(getattr(settings, "MASSLINE_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def publisher() -> str:
    return str(getattr(settings, "MASSLINE_OPENDATA_PUBLISHER", "") or site_url())


def requests_schema() -> dict:
    return fields.requests_json_schema(f"{site_url()}/open-data/{SCHEMA_FILE}")


def datapackage(created: str, counts: dict[str, int]) -> dict:
    resources: list[dict] = [
        {
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "title": table,
            "description": fields.DESCRIPTIONS[table],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "header": True},
            "schema": fields.table_schema(table),
            "rows": counts.get(table, 0),
        }
        for table in CSV_TABLES
    ]
    resources.append(
        {
            "name": "requests-json",
            "path": JSON_FILE,
            "title": "requests (JSON)",
            "description": "The requests of requests.csv as one JSON array, each with its replies and "
            "timeline nested in it.",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "jsonSchema": SCHEMA_FILE,
            "rows": counts.get("requests", 0),
        }
    )
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "massline-open-data",
        "title": "Public requests of the 12345 hotline",
        "description": "Every public request of the hotline, its replies and the dates of each step, with "
        "the category catalogue and the units. " + PRIVACY,
        "homepage": f"{site_url()}/open-data/",
        "created": created,
        "version": created[:10],
        "licenses": [license_info()],
        "contributors": [{"title": publisher(), "roles": ["publisher"]}],
        "keywords": ["12345", "hotline", "311", "service requests", "open data"],
        "privacy": {
            "redaction": PRIVACY,
            "coordinate_decimals": fields.POINT_DECIMALS,
            "coordinate_precision_m": 100,
        },
        "update": "written every night at 02:30 (the city's time); the files are replaced one by one, "
        "each in one step",
        "resources": resources,
    }


# --- README ------------------------------------------------------------------------------------------------

# (Traditional, Simplified): written out, not converted, so that each reads as its readers write
ZH = {
    "title": ("12345 熱線公開訴求資料", "12345 热线公开诉求数据"),
    "intro": (
        "本資料包含本站公開頁面所顯示的全部訴求、承辦單位的答復、每一步驟的時間，以及分類目錄與承辦單位。每晚更新。",
        "本数据包含本站公开页面所显示的全部诉求、承办单位的答复、每一步骤的时间，以及分类目录与承办单位。每晚更新。",
    ),
    "privacy": (
        "只包含公開頁面可見的訴求：舉報、已並單的重複訴求、不予受理的訴求和待審核的訴求均不收錄。"
        "標題、內容、地址和答復都經過本站的去識別化處理：電話、證件號、銀行卡號、電子郵件、車牌、姓名、"
        "門牌室號以及訴求人自己的姓名、電話、郵件都以遮罩取代；地址只保留街道和樓號；"
        f"座標四捨五入到小數點後 {fields.POINT_DECIMALS} 位（約 100 米）。不含任何聯絡方式、工作人員姓名或內部備註。",
        "只包含公开页面可见的诉求：举报、已并单的重复诉求、不予受理的诉求和待审核的诉求均不收录。"
        "标题、内容、地址和答复都经过本站的去识别化处理：电话、证件号、银行卡号、电子邮件、车牌、姓名、"
        "门牌室号以及诉求人自己的姓名、电话、邮件都以遮罩取代；地址只保留街道和楼号；"
        f"坐标四舍五入到小数点后 {fields.POINT_DECIMALS} 位（约 100 米）。不含任何联系方式、工作人员姓名或内部备注。",
    ),
    "files": ("檔案", "文件"),
    "licence": ("授權", "许可"),
    "cite": ("引用方式", "引用方式"),
    "updated": ("更新時間", "更新时间"),
    "heading": ("中文（繁體）", "中文（简体）"),
}


def _field_table(table: str) -> list[str]:
    lines = ["| field | type | description |", "|---|---|---|"]
    for f in fields.TABLES[table][0]:
        unit = f" ({f.unit})" if f.unit else ""
        lines.append(f"| `{f.name}` | {f.type}{unit} | {f.description} |")
    return lines


def readme(created: str, counts: dict[str, int]) -> str:
    lic = license_info()
    lic_text = f"[{lic['title']}]({lic['path']})" if "path" in lic else lic["title"]
    cite = f"{publisher()}, *Public requests of the 12345 hotline* (open data, {created[:10]}), {site_url()}/open-data/"
    out = [
        "# Public requests of the 12345 hotline",
        "",
        f"Written {created}. Every public request of this site, the units' replies, the dates of each step, "
        "and the category catalogue and units. Updated every night.",
        "",
        "## Privacy",
        "",
        PRIVACY,
        "",
        "## Files",
        "",
        "| file | rows | what |",
        "|---|---|---|",
    ]
    for table in CSV_TABLES:
        out.append(f"| `{table}.csv` | {counts.get(table, 0)} | {fields.DESCRIPTIONS[table]} |")
    out += [
        f"| `{JSON_FILE}` | {counts.get('requests', 0)} | The requests as one JSON array, replies and "
        "timeline nested. |",
        f"| `{SCHEMA_FILE}` | | JSON Schema (draft 2020-12) of `{JSON_FILE}`. |",
        f"| `{PACKAGE_FILE}` | | Frictionless Data Package: a Table Schema for every CSV file (columns, "
        "types, units, keys), the licence and the update time. |",
        "",
        "CSV files are UTF-8 with a byte-order mark; a missing value is an empty cell. Text cells that a "
        "spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) begin with an apostrophe. "
        "Times are ISO 8601 with the city's UTC offset.",
        "",
    ]
    for table in CSV_TABLES:
        out += [f"### {table}.csv", "", *_field_table(table), ""]
    out += [
        "## Licence",
        "",
        f"{lic_text} (`{lic['name']}`).",
        "",
        "## How to cite",
        "",
        cite,
        "",
    ]
    out += _chinese(created, counts, "zh-hant", lic_text, cite)
    out += _chinese(created, counts, "zh-hans", lic_text, cite)
    return "\n".join(out)


def _chinese(created: str, counts: dict[str, int], language: str, lic_text: str, cite: str) -> list[str]:
    def zh(key: str) -> str:
        return ZH[key][0 if language == "zh-hant" else 1]

    lines = [
        f"## {zh('heading')}",
        "",
        f"### {zh('title')}",
        "",
        zh("intro"),
        "",
        zh("privacy"),
        "",
        f"**{zh('files')}**：",
        "",
    ]
    for table in CSV_TABLES:
        lines.append(f"- `{table}.csv`（{counts.get(table, 0)}）")
    lines += [
        f"- `{JSON_FILE}`、`{SCHEMA_FILE}`（JSON Schema）、`{PACKAGE_FILE}`（Frictionless Data Package）",
        "",
        f"**{zh('updated')}**：{created}",
        "",
        f"**{zh('licence')}**：{lic_text}",
        "",
        f"**{zh('cite')}**：{cite}",
        "",
    ]
    return lines
