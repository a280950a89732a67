"""The error that voids a benchmark's figures."""


class BenchError(RuntimeError):
    """A step that did not answer what a user would get: the figures are void."""
