"""Per-app translation tables for tools/po_append.py: each module holds ENTRIES = {msgid: (Traditional, Simplified)}."""
