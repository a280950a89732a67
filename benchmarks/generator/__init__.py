"""The benchmark data generator run by ``benchmarks/generate.py``.

- plans, computed from the seed alone: ``plans`` (what to write),
  ``choices`` (seeded random helpers), ``plan_households``,
  ``plan_requests``, ``plan_invoices``, ``plan_conversations``,
  ``answers`` (answers to the services' questions), ``words`` (names,
  streets, texts);
- writing, as the add-on stores its objects: ``writing`` (building and
  adding an object), ``write_households``, ``write_requests``,
  ``write_invoices``, ``write_documents`` (the requests' receipts and
  decisions), ``write_conversations``, ``drafts`` (through the add-on's
  ``drafts.store``);
- running: ``context`` (what is read from the site), ``patches`` (what this
  process skips), ``absent_values`` (the catalog's work for the values a
  new object is known not to have, skipped), ``batches`` (transactions,
  checkpoint, resuming), ``manifest`` (what ``benchmarks/run.py`` reads).

``benchmarks/`` is no package: the script puts it first on ``sys.path``
(Python does so for the folder of the script it runs), the tests load this
package from its path.
"""
