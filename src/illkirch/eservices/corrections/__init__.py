"""Corrections in place: the answers and documents an agent asks the
citizen to correct, and the citizen's corrections."""
