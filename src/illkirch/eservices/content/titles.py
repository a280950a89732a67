"""Content whose title is derived from its data (a person's names, a
request's service and number, an invoice's number)."""


class DerivedTitle:
    """``Title()`` computes the title; setting ``title`` changes nothing.
    Put it before the Dexterity base class."""

    def Title(self):
        raise NotImplementedError

    @property
    def title(self):
        return self.Title()

    @title.setter
    def title(self, value):
        """The title is derived, never set."""
