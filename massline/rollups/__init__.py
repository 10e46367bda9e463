"""Rollup tables: the counts behind the 三率 per unit and month, kept up to date by the event hook."""
