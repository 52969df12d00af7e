"""Compare: facts, conflicts, framing and timeline within a story (a later stage)."""
