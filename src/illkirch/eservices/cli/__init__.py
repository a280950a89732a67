"""Console commands of the add-on (installed as ``eservices-*`` scripts)."""
