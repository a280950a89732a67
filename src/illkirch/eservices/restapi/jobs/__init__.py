"""``GET /@jobs`` and ``POST /@jobs/<id>/retry``: the background jobs' queue
for the site administrators (Managers), docs/operations.md."""
