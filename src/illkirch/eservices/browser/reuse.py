"""« Dites-le-nous une fois » in the request wizard (#17): answers
prefilled from the household, documents taken from the locker."""


class ReuseWizardMixin:
    """Mixed into ``browser.services.FileRequestWizard``: its hooks are
    called by the wizard; these defaults reuse nothing."""

    def prefill(self):
        """The answers a new request starts with (name → raw value)."""
        return {}

    def locker_files(self):
        """The locker's documents chosen for the request, as
        ``submission.submit`` takes them."""
        return []
