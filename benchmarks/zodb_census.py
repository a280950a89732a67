"""What a FileStorage holds, and what its index costs in memory
(docs/performance.md, « Memory »; issue #22, target 6).

    .venv/bin/python benchmarks/zodb_census.py <Data.fs> [--top 40] [--json out.json]

Run with the instance stopped, or on a copy (the storage is opened
read-only). Opens the FileStorage alone (no Zope, no cache): the growth of
the process's resident memory (psutil) is the in-memory index every process
that opens this FileStorage holds (a Zope instance, or the ZEO server).
Then reads the current revision of every object and counts them by class:
objects and bytes of pickle. Prints a table and, with ``--json``, writes
it.
"""

from collections import Counter

import argparse
import gc
import json
import sys


def census(path):
    """``(index_figures, {class: [objects, pickle bytes]})`` of a Data.fs."""
    from ZODB.FileStorage import FileStorage
    from ZODB.utils import get_pickle_metadata

    import psutil
    import time

    process = psutil.Process()
    gc.collect()
    before = process.memory_info().rss
    started = time.perf_counter()
    storage = FileStorage(path, read_only=True)
    opened = time.perf_counter() - started
    gc.collect()
    index_mb = (process.memory_info().rss - before) / 2**20
    objects = len(storage)
    counts = Counter()
    sizes = Counter()
    try:
        for oid in storage._index.keys():
            data, _serial = storage.load(oid)
            module, name = get_pickle_metadata(data)
            key = f"{module}.{name}"
            counts[key] += 1
            sizes[key] += len(data)
    finally:
        storage.close()
    index = {
        "objects": objects,
        "index_rss_mb": index_mb,
        "index_bytes_per_object": index_mb * 2**20 / objects if objects else None,
        "open_s": opened,
    }
    return index, {key: [counts[key], sizes[key]] for key in counts}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    index, classes = census(args.path)
    total = index["objects"]
    print(
        f"{total:,} objects; index in memory: {index['index_rss_mb']:.1f} MB "
        f"({index['index_bytes_per_object']:.1f} bytes per object, "
        f"opened in {index['open_s']:.1f} s)"
    )
    ranked = sorted(classes.items(), key=lambda item: -item[1][0])
    print(f"{'class':<72} {'objects':>10} {'share':>6} {'pickle MB':>9}")
    for key, (count, size) in ranked[: args.top]:
        print(f"{key:<72} {count:>10,} {count / total:>6.1%} {size / 2**20:>9.1f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"index": index, "classes": dict(ranked)}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
