"""Match runs and stored results (filled in by the matching work)."""
