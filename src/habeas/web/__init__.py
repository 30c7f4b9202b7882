"""The web UI for people: server-rendered pages of the case record."""
