"""The supporting documents sent in base64 to the services of requests."""

from illkirch.eservices import _

import base64
import binascii
import re


DOCUMENTS_FORMAT = _(
    "error_documents_format",
    default="The documents must be a list of objects with “document”, "
    "“filename” and “data” (the file's content in base64).",
)
BASE64 = _(
    "error_base64", default="The file's content could not be read: send it in base64."
)

# "data:application/pdf;base64," as a browser's FileReader gives it.
_DATA_URL = re.compile(r"^data:[^,]*;base64,", re.IGNORECASE)


def decode(value):
    """The bytes of a base64 string (a ``data:`` URL prefix is allowed);
    raise ValueError when it is not one."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    value = "".join(_DATA_URL.sub("", value.strip(), count=1).split())
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None


def read_documents(value):
    """``[{"document", "filename", "data": base64}]`` → ``(files, errors)``.

    ``files`` are the dicts ``requests.documents`` expects (data in bytes);
    ``errors`` maps ``document-<id>`` (or ``documents``) to a message, the
    keys of the domain's own errors.
    """
    if value is None:
        return [], {}
    if not isinstance(value, list):
        return [], {"documents": DOCUMENTS_FORMAT}
    files, errors = [], {}
    for item in value:
        if not isinstance(item, dict):
            errors["documents"] = DOCUMENTS_FORMAT
            continue
        document = item.get("document") or ""
        filename = item.get("filename") or ""
        if not isinstance(document, str) or not isinstance(filename, str):
            errors["documents"] = DOCUMENTS_FORMAT
            continue
        key = f"document-{document}" if document else "documents"
        try:
            data = decode(item.get("data"))
        except ValueError:
            errors.setdefault(key, BASE64)
            continue
        files.append({"document": document, "filename": filename, "data": data})
    return files, errors


def split_locker(value):
    """``(uploads, chosen, errors)``: the documents sent in base64, apart
    from those taken from the citizen's locker, ``{"document": id,
    "locker": "<locker id>"}`` (#17), given as ``[(document, locker id)]``
    for ``reuse.locker.files``."""
    if not isinstance(value, list):
        return value, [], {}
    uploads, chosen, errors = [], [], {}
    for item in value:
        if not isinstance(item, dict) or "locker" not in item:
            uploads.append(item)
        elif isinstance(item.get("document"), str) and isinstance(item["locker"], str):
            chosen.append((item["document"], item["locker"]))
        else:
            errors["documents"] = DOCUMENTS_FORMAT
    return uploads, chosen, errors
