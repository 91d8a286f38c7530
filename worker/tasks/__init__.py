"""Task entry points: thin wrappers that take primitive ids and call services."""
