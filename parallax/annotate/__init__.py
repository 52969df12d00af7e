"""Annotate: actors, labels, quotes, dates, quantities and events per article (next stage)."""
