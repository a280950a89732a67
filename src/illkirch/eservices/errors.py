"""The domain's refusal of what a user sent, field by field."""


class FieldErrors(ValueError):
    """Input refused; ``errors`` maps a field (or a key such as
    ``document-<id>``) to a message to translate."""

    def __init__(self, errors):
        super().__init__(", ".join(errors))
        self.errors = errors
