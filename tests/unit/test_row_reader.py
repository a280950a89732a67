"""``catalog_rows.RowReader``: the rows of a projection read bucket by
bucket from a real ZODB (MappingStorage), the same rows as the tree's own
``get``, and nothing it woke left loaded (#22)."""

from BTrees.IOBTree import IOBTree
from illkirch.eservices.catalog_rows import RowReader

import pytest
import random
import transaction
import ZODB
import ZODB.MappingStorage


def stored_tree(keys):
    """A database holding an ``IOBTree`` of ``keys`` → a row each."""
    db = ZODB.DB(ZODB.MappingStorage.MappingStorage())
    connection = db.open()
    tree = IOBTree()
    for key in keys:
        tree[key] = (f"n{key}", key % 7)
    connection.root()["rows"] = tree
    transaction.commit()
    connection.close()
    return db


def make(*values):
    return values


@pytest.mark.parametrize("size", [0, 1, 25, 200, 5000, 40000])
@pytest.mark.parametrize("order", ["ascending", "shuffled"])
def test_same_rows_as_the_tree_and_nothing_left_loaded(size, order):
    picker = random.Random(size)
    keys = sorted(picker.sample(range(-(2**31), 2**31 - 1), size))
    db = stored_tree(keys)
    try:
        connection = db.open()
        tree = connection.root()["rows"]
        asked = keys[::3] + [picker.randrange(-(2**31), 2**31) for _ in range(50)]
        if order == "ascending":
            asked.sort()
        else:
            picker.shuffle(asked)
        expected = [
            None if tree.get(key) is None else (*tree.get(key), key) for key in asked
        ]
        connection.cacheMinimize()
        tree._p_activate()  # loaded before the reading: stays loaded
        loaded = {oid for oid, _obj in connection._cache.lru_items()}
        reader = RowReader(tree, make)
        found = [reader(key) for key in asked]
        reader.close()
        assert found == expected
        # what the reading woke is back to sleep; what was loaded stays
        assert {oid for oid, _obj in connection._cache.lru_items()} == loaded
        connection.close()
    finally:
        db.close()


def test_a_bucket_changed_in_the_transaction_stays():
    keys = list(range(0, 20000, 3))
    db = stored_tree(keys)
    try:
        connection = db.open()
        tree = connection.root()["rows"]
        tree[3] = ("changed", 0)  # its bucket changed, not committed
        reader = RowReader(tree, make)
        assert reader(3) == ("changed", 0, 3)
        assert reader(19998) == ("n19998", 19998 % 7, 19998)
        reader.close()
        assert tree[3] == ("changed", 0)
        transaction.abort()
        connection.close()
    finally:
        db.close()
