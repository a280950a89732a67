"""A file's size as the citizens read it, in French: « 12 ko », « 1,5 Mo »
(the pages' documents and messages, the official documents)."""


def size_text(size):
    """``size`` (bytes) as « 12 ko » (at least 1 ko) or « 1,5 Mo »."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    return f"{max(1, round(size / 1024))} ko"
