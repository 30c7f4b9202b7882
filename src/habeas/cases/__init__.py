"""Cases and evidence: the case record (people, convictions, claims, evidence, chain of custody,
lab work, timeline, notes, tasks)."""
