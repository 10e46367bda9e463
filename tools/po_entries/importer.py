"""Strings of the bulk importer (massline import): the timeline step of imported history."""

ENTRIES = {
    "Finished in the previous system (imported)": ("已在原系統中結束（匯入）", "已在原系统中结束（导入）"),
}
