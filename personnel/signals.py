"""Registry edits enqueue a structure recompute of the affected units after commit."""
