"""Local data: one SQLite file per data folder (contributions, journal, indexed events)."""
