"""The open-data page (/open-data/): the dump's files, schema, README and licence."""

ENTRIES = {
    "Last written: %(time)s": ("最近寫入：%(time)s", "最近写入：%(time)s"),
    "File": ("檔案", "文件"),
    "Rows": ("行數", "行数"),
    "The requests with their replies and timeline nested.": (
        "全部訴求，每條附上答復和辦理進程。",
        "全部诉求，每条附上答复和办理进程。",
    ),
    "Schema and documentation": ("結構說明與文件", "结构说明与文档"),
    "what the files hold, the privacy rules, how to cite (English and Chinese)": (
        "檔案內容、隱私規則、引用方式（英文和中文）",
        "文件内容、隐私规则、引用方式（英文和中文）",
    ),
    "Frictionless Data Package: the columns, types and units of every CSV file": (
        "Frictionless 資料包：每個 CSV 檔案的欄位、類型和單位",
        "Frictionless 数据包：每个 CSV 文件的字段、类型和单位",
    ),
    "JSON Schema of the JSON file": ("JSON 檔案的 JSON Schema", "JSON 文件的 JSON Schema"),
    "Licence": ("授權", "许可"),
}
