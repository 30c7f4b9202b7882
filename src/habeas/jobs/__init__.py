"""Background jobs: a small database-polled queue that needs no extra server.

Public API (see :mod:`habeas.jobs.api`): :func:`enqueue`, :func:`report_progress`;
workers in :mod:`habeas.jobs.worker`: :func:`~habeas.jobs.worker.run_pending` (synchronous,
for the CLI and tests), :func:`~habeas.jobs.worker.work` (the loop of ``habeas worker``) and
:func:`~habeas.jobs.worker.start_embedded_worker` (a daemon thread inside the web server process).
``python -m django habeas_worker`` runs a stand-alone worker. With ``HABEAS_REDIS_URL`` set, idle
workers block on a Redis list of job ids instead of polling (:mod:`habeas.jobs.redisqueue`); the
jobs table stays the record and the guard against double runs.
"""
