"""Background jobs: a small database-polled queue that needs no extra server.

Public API (see :mod:`habeas.jobs.api`): :func:`enqueue`, :func:`report_progress`;
workers in :mod:`habeas.jobs.worker`: :func:`~habeas.jobs.worker.run_pending` (synchronous,
for the CLI and tests) and :func:`~habeas.jobs.worker.start_embedded_worker` (a daemon thread
inside the web server process). ``python -m django habeas_worker`` runs a stand-alone worker.
"""
