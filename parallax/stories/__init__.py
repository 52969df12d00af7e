"""Stories: incremental clustering of articles into stories (a later stage)."""
