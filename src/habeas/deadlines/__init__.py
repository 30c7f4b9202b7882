"""Deadlines and filings: limitation periods computed from rules kept as data, calendars."""
