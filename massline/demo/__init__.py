"""The demo city: A市, its units, catalogue, staff and three months of requests built from real messages."""
