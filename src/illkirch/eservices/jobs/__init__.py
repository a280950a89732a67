"""Background jobs: the API the rest of the portal uses (issue #16).

Tasks are plain functions of the domain modules, decorated here; the worker
(``eservices-worker``) runs them with the site open, each in its own
transaction. This module is the lowest layer: it imports nothing from the
add-on.

    from illkirch.eservices import jobs

    @jobs.task(retries=5, retry_delay=60)
    def deliver(message_bytes):
        '''Idempotent: ...'''

    jobs.enqueue(deliver, data)          # queued when the transaction commits

    @jobs.periodic("payments.check", minute="*/15")
    def check_payments():
        '''Idempotent: ...'''

``jobs.in_worker()`` tells a task it runs in the worker (it may raise to be
retried); ``jobs.put(key, value)`` / ``jobs.get(key)`` keep small JSON-able
values (a job's progress and report) in the queue's backend, outside the
ZODB's transactions.

The decorators return the function unchanged (tests call it directly) and
register it under ``module.function``.
"""

from illkirch.eservices.jobs.registry import enqueue
from illkirch.eservices.jobs.registry import get
from illkirch.eservices.jobs.registry import in_worker
from illkirch.eservices.jobs.registry import periodic
from illkirch.eservices.jobs.registry import put
from illkirch.eservices.jobs.registry import task


__all__ = ["enqueue", "get", "in_worker", "periodic", "put", "task"]
