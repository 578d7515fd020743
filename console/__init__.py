"""The staff web console (built by the console issue)."""
