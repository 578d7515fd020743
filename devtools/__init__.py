"""Developer tools for Anxin: local fakes used by tests and manual runs, never by production."""
