"""Statistics of the service (#19): aggregates kept by events (``store``,
``recording``), rebuilt from the content on demand (``rebuild``), and the
figures of the managers' dashboard and ``GET /@statistics`` (``figures``,
``export``)."""
