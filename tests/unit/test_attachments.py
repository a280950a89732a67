"""Checks of the supporting documents of online requests: plain unit tests."""

from illkirch.eservices.requests.attachments import ALLOWED
from illkirch.eservices.requests.attachments import MAX_FILE_BYTES
from illkirch.eservices.requests.attachments import MAX_TOTAL_BYTES
from illkirch.eservices.requests.attachments import AttachmentError
from illkirch.eservices.requests.attachments import check_attachment
from illkirch.eservices.requests.attachments import content_disposition
from illkirch.eservices.requests.attachments import safe_filename
from illkirch.eservices.requests.attachments import sniff
from illkirch.eservices.testing.files import image
from illkirch.eservices.testing.files import pdf
from illkirch.eservices.testing.files import pdf_of_size
from io import BytesIO
from PIL import Image
from urllib.parse import unquote
from zope.i18n import translate
from zope.i18nmessageid import Message

import pytest
import re
import zipfile


MB = 1024 * 1024


def refused(filename, data, **kwargs):
    with pytest.raises(AttachmentError) as info:
        check_attachment(filename, data, **kwargs)
    return info.value


def text(message):
    """The English default of a message, with its mapping applied."""
    return translate(message)


# Defaults and sniffing


def test_defaults():
    assert MAX_FILE_BYTES == 10 * MB
    assert MAX_TOTAL_BYTES == 30 * MB
    assert ALLOWED == {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
    }


def test_the_fixtures_are_real_files():
    assert Image.open(BytesIO(image("PNG"))).format == "PNG"
    assert Image.open(BytesIO(image("JPEG"))).format == "JPEG"
    data = pdf()
    xref = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[xref:].startswith(b"xref\n")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf(), "application/pdf"),
        (image("PNG"), "image/png"),
        (image("JPEG"), "image/jpeg"),
        (image("JPEG") + b"\x00" * 300, "image/jpeg"),
    ],
)
def test_sniff_accepted_types(data, expected):
    assert sniff(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<!DOCTYPE html><html><body>%PDF-1.4 %%EOF</body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
        b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n",  # no %%EOF: truncated
        pdf() + b"\x00" * 2000,  # %%EOF far from the end
        b"%PDF",  # too short to be anything
        image("PNG")[:8],  # signature alone
        image("PNG")[:8] + b"\x00\x00\x00\x0dIDAT" + b"\x00" * 20,  # no IHDR
        image("JPEG")[:-2],  # truncated: no End Of Image marker
        image("JPEG")[: len(image("JPEG")) // 2],
        b"\xff\xd8\xff\xd9",  # markers only
        b" " + pdf(),  # the type is read at the start only
    ],
)
def test_sniff_refused(data):
    assert sniff(data) is None


def test_sniff_gif_and_zip():
    assert sniff(image("GIF")) is None
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("document.pdf", pdf())
    assert sniff(buffer.getvalue()) is None


def test_sniff_accepts_bytes_like():
    assert sniff(bytearray(image("PNG"))) == "image/png"
    assert sniff(memoryview(pdf())) == "application/pdf"


# check_attachment: accepted files


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("facture.pdf", pdf(), ("facture.pdf", "application/pdf")),
        ("scan.png", image("PNG"), ("scan.png", "image/png")),
        ("photo.jpeg", image("JPEG"), ("photo.jpg", "image/jpeg")),
        ("IMG_0042.JPG", image("JPEG"), ("IMG_0042.jpg", "image/jpeg")),
        # The name lies: the content wins and the extension is corrected.
        ("photo.pdf", image("PNG"), ("photo.png", "image/png")),
        ("justificatif.png", pdf(), ("justificatif.pdf", "application/pdf")),
        ("sans extension", image("JPEG"), ("sans-extension.jpg", "image/jpeg")),
    ],
)
def test_accepted(filename, data, expected):
    assert check_attachment(filename, data) == expected


def test_exactly_the_file_limit_is_accepted():
    data = pdf_of_size(10 * MB)
    assert check_attachment("gros.pdf", data) == ("gros.pdf", "application/pdf")


def test_exactly_the_total_limit_is_accepted():
    data = pdf()
    result = check_attachment("a.pdf", data, already=30 * MB - len(data))
    assert result == ("a.pdf", "application/pdf")


def test_limits_are_parameters():
    data = pdf_of_size(2000)
    assert check_attachment("a.pdf", data, max_file=2000)[1] == "application/pdf"
    assert refused("a.pdf", data, max_file=1999).code == "too_large"
    assert check_attachment("a.pdf", data, already=1000, max_total=3000)
    assert refused("a.pdf", data, already=1001, max_total=3000).code == (
        "total_too_large"
    )


# check_attachment: refused files


def test_empty_file_is_refused():
    error = refused("vide.pdf", b"")
    assert error.code == "empty"
    assert isinstance(error, ValueError)
    assert isinstance(error.message, Message)
    assert error.message == "attachment_error_empty"
    assert error.message.domain == "illkirch.eservices"
    assert text(error.message) == "The file “vide.pdf” is empty."


def test_file_over_the_limit_is_refused():
    error = refused("gros.pdf", pdf_of_size(10 * MB + 1))
    assert error.code == "too_large"
    assert error.message == "attachment_error_too_large"
    assert error.message.mapping == {"filename": "gros.pdf", "limit": "10"}
    assert "gros.pdf" in text(error.message)
    assert "10 MB" in text(error.message)


def test_size_is_checked_even_for_a_bad_type():
    assert refused("x.exe", b"MZ" + b"\x00" * (10 * MB)).code == "too_large"


def test_total_over_the_limit_is_refused():
    data = pdf()
    error = refused("dernier.pdf", data, already=30 * MB - len(data) + 1)
    assert error.code == "total_too_large"
    assert error.message == "attachment_error_total_too_large"
    assert error.message.mapping == {"filename": "dernier.pdf", "limit": "30"}
    assert "dernier.pdf" in text(error.message)
    assert "30 MB" in text(error.message)


def test_limit_in_megabytes_not_whole():
    error = refused("a.pdf", pdf_of_size(3 * MB), max_file=int(2.5 * MB))
    assert error.message.mapping["limit"] == "2.5"


def svg():
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zip_file():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("facture.pdf", pdf())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("x.pdf", b"<!DOCTYPE html><html><body><p>Facture</p></body></html>"),
        ("x.pdf", b"<html><script>alert(1)</script>%PDF-1.7\n%%EOF"),
        ("dessin.svg", svg()),
        ("dessin.png", svg()),
        ("anime.gif", image("GIF")),
        ("archive.zip", zip_file()),
        ("archive.pdf", zip_file()),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200),
        ("facture.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ("tronque.jpg", image("JPEG")[:-2]),
        ("tronque.pdf", pdf()[:-7]),
        ("texte.txt", "Un texte en clair, accentué.".encode()),
    ],
)
def test_wrong_type_is_refused(filename, data):
    error = refused(filename, data)
    assert error.code == "type"
    assert error.message == "attachment_error_type"
    assert error.message.mapping == {"filename": filename}
    assert text(error.message) == (
        f"The file “{filename}” is neither a PDF nor a JPEG or PNG image."
    )


def test_message_names_the_file_without_its_path():
    error = refused("../../etc/évil.pdf", b"<html></html>")
    assert error.message.mapping["filename"] == "évil.pdf"
    error = refused("C:\\docs\\x.pdf", b"")
    assert error.message.mapping["filename"] == "x.pdf"


def test_message_file_name_is_shortened():
    error = refused("a" * 300 + ".pdf", b"")
    shown = error.message.mapping["filename"]
    assert len(shown) == 120
    assert shown.endswith("…")


# safe_filename


@pytest.mark.parametrize(
    ("filename", "content_type", "expected"),
    [
        ("../../etc/passwd.pdf", "application/pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini", "application/pdf", "system.pdf"),
        ("C:\\docs\\facture.PDF", "application/pdf", "facture.pdf"),
        ("  mon   fichier  été.pdf", "application/pdf", "mon-fichier-été.pdf"),
        (".hidden.pdf", "application/pdf", "hidden.pdf"),
        ("...pdf", "application/pdf", "document.pdf"),
        (".pdf", "application/pdf", "document.pdf"),
        (".bashrc", "application/pdf", "bashrc.pdf"),
        ("-.-x.pdf", "application/pdf", "x.pdf"),
        ("photo.pdf", "image/png", "photo.png"),
        ("photo.jpeg", "image/jpeg", "photo.jpg"),
        ("Scan.PNG", "image/png", "Scan.png"),
        ("relevé_2024-03.v2.pdf", "application/pdf", "relevé_2024-03.v2.pdf"),
        ("version 1.2", "application/pdf", "version-1.2.pdf"),
        ("archive.tar.gz", "image/png", "archive.tar.png"),
        ("Straße Ærø Ñandú.jpg", "image/jpeg", "Straße-Ærø-Ñandú.jpg"),
        ('fac"ture<1>:*?|.pdf', "application/pdf", "fac-ture-1.pdf"),
        ("a\r\nb\tc.pdf", "application/pdf", "a-b-c.pdf"),
        # The right-to-left override cannot disguise the extension.
        ("facture\u202egpj.exe", "image/jpeg", "facture-gpj.jpg"),
        # Decomposed accents are composed, then kept.
        ("e\u0301te\u0301.pdf", "application/pdf", "été.pdf"),
        ("", "application/pdf", "document.pdf"),
        ("../", "image/png", "document.png"),
        ("???.pdf", "application/pdf", "document.pdf"),
        ("dir/", "application/pdf", "document.pdf"),
    ],
)
def test_safe_filename(filename, content_type, expected):
    assert safe_filename(filename, content_type) == expected


def test_safe_filename_long_name_keeps_the_extension():
    result = safe_filename("é" * 300 + ".pdf", "application/pdf")
    assert len(result) == 120
    assert result == "é" * 116 + ".pdf"


def test_safe_filename_long_name_without_dangling_dot():
    result = safe_filename("a" * 115 + "." + "b" * 200 + ".png", "image/png")
    assert len(result) <= 120
    assert result == "a" * 115 + ".png"


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.pdf",
        "C:\\docs\\facture.PDF",
        "  mon   fichier  été.pdf",
        "x" * 300,
        ".hidden.pdf",
        "....",
        "a/../../b/.././c.pdf",
        "\x00\x01nul.pdf",
    ],
)
@pytest.mark.parametrize("content_type", sorted(ALLOWED))
def test_safe_filename_invariants(filename, content_type):
    result = safe_filename(filename, content_type)
    assert result.endswith(ALLOWED[content_type])
    assert 1 < len(result) <= 120
    assert not result.startswith(".")
    assert "/" not in result and "\\" not in result and ".." not in result
    assert all(char.isalpha() or char in "0123456789-_." for char in result)


def test_safe_filename_unknown_type():
    with pytest.raises(KeyError):
        safe_filename("x.gif", "image/gif")


def test_check_attachment_sanitises_the_name():
    assert check_attachment("../../etc/passwd.pdf", pdf()) == (
        "passwd.pdf",
        "application/pdf",
    )
    name, content_type = check_attachment("n" * 300 + ".png", image("PNG"))
    assert (len(name), content_type) == (120, "image/png")


# content_disposition


def parse(header):
    match = re.fullmatch(
        r"attachment; filename=\"([^\"\\]*)\"; filename\*=UTF-8''([^\s;\"]+)",
        header,
    )
    assert match, header
    return match.group(1), match.group(2)


def test_content_disposition_with_accents():
    header = content_disposition("relevé-été.pdf")
    assert header == (
        'attachment; filename="releve-ete.pdf"; '
        "filename*=UTF-8''relev%C3%A9-%C3%A9t%C3%A9.pdf"
    )
    header.encode("ascii")
    fallback, encoded = parse(header)
    assert unquote(encoded, encoding="utf-8") == "relevé-été.pdf"


def test_content_disposition_ascii_name():
    assert content_disposition("facture_2024.pdf") == (
        "attachment; filename=\"facture_2024.pdf\"; filename*=UTF-8''facture_2024.pdf"
    )


def test_content_disposition_decomposed_accents_are_composed():
    _, encoded = parse(content_disposition("e\u0301te\u0301.pdf"))
    assert encoded == "%C3%A9t%C3%A9.pdf"


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [
        ("Straße.pdf", "Strae.pdf"),
        ("Ωμέγα.png", "document.png"),
        ('a"b\\c;d\r\ne.pdf', "a-b-c-d-e.pdf"),
        ("", "document"),
        ("a/b c.pdf", "a-b-c.pdf"),
    ],
)
def test_content_disposition_fallback_is_safe(filename, fallback):
    header = content_disposition(filename)
    header.encode("ascii")
    assert "\r" not in header and "\n" not in header
    got, encoded = parse(header)
    assert got == fallback
    assert "/" not in encoded and " " not in encoded
    if filename:
        assert unquote(encoded, encoding="utf-8") == filename


def test_content_disposition_of_a_safe_filename():
    name = safe_filename("  mon   fichier  été.pdf", "application/pdf")
    fallback, encoded = parse(content_disposition(name))
    assert fallback == "mon-fichier-ete.pdf"
    assert unquote(encoded) == "mon-fichier-été.pdf"
