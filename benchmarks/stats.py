"""The statistics of a list of timings."""

import math
import statistics


def stats(values):
    """median, p95 (nearest rank), mean, min, max of a list of milliseconds."""
    values = sorted(values)
    if not values:
        return None
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": values[max(math.ceil(0.95 * len(values)) - 1, 0)],
        "mean": statistics.fmean(values),
        "min": values[0],
        "max": values[-1],
    }
