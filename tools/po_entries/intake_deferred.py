"""Strings of deferred intake routing (massline/intake/deferred.py, the Open311 receipt)."""

ENTRIES = {
    "Received; it is being routed to the responsible unit.": (
        "已受理；正在派給承辦單位。",
        "已受理；正在派给承办单位。",
    ),
}
