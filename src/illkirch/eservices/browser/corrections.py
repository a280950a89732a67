"""Corrections in place on a request's page (#17): what the agent asks,
and the citizen's form of the asked answers and documents."""


class RequestCorrectionsMixin:
    """Mixed into ``browser.requests.RequestView``."""
