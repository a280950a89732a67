"""What docs/privacy.md says of FileStorage: a deleted object (and its
blob) stays in ``Data.fs`` until the database is packed with no history
(``-d 0``); after the pack only ``Data.fs.old`` still holds it, which the
documented command deletes."""

from persistent.mapping import PersistentMapping
from ZODB.blob import Blob
from ZODB.DB import DB
from ZODB.FileStorage import FileStorage

import pathlib
import tempfile
import transaction
import unittest


MARKER = b"Amelie-Lire-12-rue-de-la-Poste"


def holds_marker(path):
    return MARKER in pathlib.Path(path).read_bytes()


def blob_files_with_marker(blob_dir):
    return [
        path
        for path in pathlib.Path(blob_dir).rglob("*.blob")
        if MARKER in path.read_bytes()
    ]


class TestFileStoragePack(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="eservices-pack-")
        self.addCleanup(tmp.cleanup)
        self.data_fs = f"{tmp.name}/Data.fs"
        self.blobs = f"{tmp.name}/blobstorage"
        self.db = DB(FileStorage(self.data_fs, blob_dir=self.blobs))
        self.addCleanup(self.db.close)

    def test_deleted_data_gone_after_pack_except_data_fs_old(self):
        manager = transaction.TransactionManager()
        connection = self.db.open(manager)
        root = connection.root()
        attachment = Blob()
        with attachment.open("w") as blob_file:
            blob_file.write(b"%PDF-1.4 " + MARKER)
        root["request"] = PersistentMapping(
            {"requester_name": MARKER.decode(), "file": attachment}
        )
        manager.commit()
        del root["request"]
        manager.commit()
        connection.close()
        # deleted, yet still in the file and the blob directory
        self.assertTrue(holds_marker(self.data_fs))
        self.assertTrue(blob_files_with_marker(self.blobs))

        self.db.pack(days=0)

        self.assertFalse(holds_marker(self.data_fs))
        self.assertEqual(blob_files_with_marker(self.blobs), [])
        # the copy from before the pack still holds it: delete it
        self.assertTrue(holds_marker(f"{self.data_fs}.old"))
