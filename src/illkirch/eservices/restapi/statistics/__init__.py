"""``GET /@statistics``: the statistics' figures (#19) as JSON, CSV or ODS."""
