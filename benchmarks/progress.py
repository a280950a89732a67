"""The benchmarks' progress messages, printed as they happen."""


def log(message):
    print(message, flush=True)
