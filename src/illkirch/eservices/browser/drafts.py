"""Drafts in the request wizard (#17): saved at each step and while
typing, resumed from « Mon espace »."""


class DraftWizardMixin:
    """Mixed into ``browser.services.FileRequestWizard``: its hooks are
    called by the wizard; these defaults keep no draft."""

    def resume_draft(self):
        """At the start of a request to the wizard (after its form values
        are read): take the saved answers and files of a draft."""

    def save_draft(self):
        """After a step's POST that moved on (``self.step`` is the new
        step): keep what was typed."""

    def draft_files(self):
        """The files kept with the draft, as ``submission.submit`` takes
        them."""
        return []

    def draft_submitted(self, request_obj):
        """Once the request is filed: the draft is no longer needed."""
