"""``POST /@requests-bulk``: an action on a selection of the queue."""
