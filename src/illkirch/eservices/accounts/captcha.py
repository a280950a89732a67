"""Local captcha of citizen registration: an image and its audio alternative.

No external service is involved and nothing is stored:

* The server hands out a **stateless signed token**
  ``"<nonce>.<expires>.<signature>"``: a random nonce (16 bytes), an expiry
  timestamp (``TOKEN_TTL`` seconds ahead) and an HMAC-SHA256 signature of
  both with the site's secret. Rendering the image or the audio of a token is
  therefore a plain anonymous GET that never writes to the database.
* The expected **answer is derived** from the nonce with another HMAC of the
  secret (``ANSWER_LENGTH`` digits), so it never travels in clear and nobody
  without the secret can compute it.
* **Single use is the caller's job**: a valid token can be checked any
  number of times until it expires. At registration time the caller records
  ``nonce_of(token)`` in the database (with the token's expiry) and refuses a
  nonce it has already seen.

The audio alternative (RGAA: a captcha must offer a non-visual alternative)
reads the digits in French (``captcha_audio``, from the voice recordings of
``voices/fr`` made by ``scripts/make_captcha_voices.sh``). A challenge has
**one rendering**: its random choices are seeded by ``audio_seed`` (another
HMAC of the secret and the nonce), so the same token always gives the same
bytes and only a new challenge gives a new rendering.
"""

from captcha.image import ImageCaptcha
from illkirch.eservices.accounts import captcha_audio

import base64
import binascii
import functools
import hashlib
import hmac
import re
import secrets
import time


ANSWER_LENGTH = 6  # digits only (spoken in French by the audio version)
TOKEN_TTL = 30 * 60  # seconds

VOICES_DIR = captcha_audio.VOICES_DIR
IMAGE_WIDTH = 280
IMAGE_HEIGHT = 90
# Larger than the library's default (42, 50, 56, meant for a 60 px height).
IMAGE_FONT_SIZES = (56, 62, 68)
# Range of each RGB channel of the text colour: dark enough for a contrast
# ratio of at least 5:1 with the light (238-255) background, never black
# (see _ReadableImageCaptcha).
IMAGE_TEXT_CHANNELS = (20, 100)

NONCE_BYTES = 16
_TOKEN_PREFIX = b"captcha-token:"
_ANSWER_PREFIX = b"captcha-answer:"
_AUDIO_PREFIX = b"captcha-audio:"
# 16 bytes -> 22 base64url characters, 32 bytes -> 43; expiry: plain digits.
_TOKEN_RE = re.compile(
    r"(?P<nonce>[A-Za-z0-9_-]{22})\.(?P<expires>0|[1-9][0-9]{0,11})"
    r"\.(?P<signature>[A-Za-z0-9_-]{43})"
)


class CaptchaError(ValueError):
    """Invalid, tampered or expired token. `.code` is "invalid" or "expired"."""

    def __init__(self, code: str):
        super().__init__(f"captcha token {code}")
        self.code = code


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_secret(secret: bytes) -> None:
    # An empty key would let anybody sign tokens: a configuration error.
    if not isinstance(secret, bytes) or not secret:
        raise ValueError("the captcha secret must be non-empty bytes")


def _signature(secret: bytes, nonce: bytes, expires: str) -> str:
    message = _TOKEN_PREFIX + nonce + b":" + expires.encode("ascii")
    return _b64encode(hmac.new(secret, message, hashlib.sha256).digest())


def _parse(token: str) -> tuple[bytes, str, str]:
    """Split a token into (nonce, expires, signature) or raise "invalid".

    Only the canonical spelling is accepted: base64url admits several
    spellings of the same bytes, and two spellings of one nonce would defeat
    the caller's single-use check.
    """
    match = _TOKEN_RE.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise CaptchaError("invalid")
    try:
        nonce = _b64decode(match["nonce"])
    except (binascii.Error, ValueError):
        raise CaptchaError("invalid") from None
    if len(nonce) != NONCE_BYTES or _b64encode(nonce) != match["nonce"]:
        raise CaptchaError("invalid")
    return nonce, match["expires"], match["signature"]


def new_token(secret: bytes, now: float | None = None) -> str:
    """A new signed token, valid for `TOKEN_TTL` seconds from `now`."""
    _check_secret(secret)
    now = time.time() if now is None else now
    nonce = secrets.token_bytes(NONCE_BYTES)
    expires = str(int(now + TOKEN_TTL))
    return f"{_b64encode(nonce)}.{expires}.{_signature(secret, nonce, expires)}"


def answer_for(secret: bytes, token: str, now: float | None = None) -> str:
    """The expected answer of a token: `ANSWER_LENGTH` digits.

    Raises `CaptchaError` with code "invalid" (malformed token, bad
    signature) or "expired" (the signature is checked first, so an expired
    token is reported as such only if it is genuine).
    """
    _check_secret(secret)
    nonce, expires, signature = _parse(token)
    if not hmac.compare_digest(_signature(secret, nonce, expires), signature):
        raise CaptchaError("invalid")
    now = time.time() if now is None else now
    if now > int(expires):
        raise CaptchaError("expired")
    digest = hmac.new(secret, _ANSWER_PREFIX + nonce, hashlib.sha256).digest()
    # 256 bits modulo 10**6: the bias is negligible (about 2**-236).
    number = int.from_bytes(digest, "big") % 10**ANSWER_LENGTH
    return str(number).zfill(ANSWER_LENGTH)


def check_answer(
    secret: bytes, token: str, answer: str, now: float | None = None
) -> bool:
    """Whether `answer` is the right one for a genuine, unexpired token.

    Never raises on user input (wrong, missing or non-text answer, bad or
    expired token): returns False. Whitespace anywhere in the answer is
    ignored ("123 456"). Does not enforce single use (see `nonce_of`).
    """
    try:
        expected = answer_for(secret, token, now)
    except CaptchaError:
        return False
    if not isinstance(answer, str):
        return False
    given = "".join(answer.split())
    return hmac.compare_digest(expected.encode(), given.encode("utf-8"))


def nonce_of(token: str) -> str:
    """The nonce part of a token, to remember used tokens.

    The signature is not checked here (call `check_answer` first); raises
    `CaptchaError` "invalid" for a malformed token.
    """
    _parse(token)
    return token.split(".", 1)[0]


def _check_digits(answer: str) -> None:
    if not (isinstance(answer, str) and answer.isascii() and answer.isdigit()):
        raise ValueError("a captcha answer is made of digits 0-9")


class _ReadableImageCaptcha(ImageCaptcha):
    """ImageCaptcha that draws its characters opaque.

    The library pastes each character through a mask computed from the
    character's luminance (``lookup_table``), so dark text comes out faded
    and light text lacks contrast. Here any non-black pixel of a character is
    opaque (its transparent surroundings are black, hence masked out), which
    gives dark, readable text; the final smoothing filter softens the edges.
    """

    lookup_table = [0] + [255] * 255


@functools.cache
def _image_captcha() -> ImageCaptcha:
    generator = _ReadableImageCaptcha(
        width=IMAGE_WIDTH, height=IMAGE_HEIGHT, font_sizes=IMAGE_FONT_SIZES
    )
    # Load the fonts once, before the instance is shared between threads.
    generator.truefonts  # noqa: B018
    return generator


def image_png(answer: str) -> bytes:
    """A PNG image (280x90) showing the answer, moderately distorted."""
    _check_digits(answer)
    low, high = IMAGE_TEXT_CHANNELS
    text_color = tuple(low + secrets.randbelow(high - low + 1) for _ in range(3))
    return _image_captcha().generate(answer, fg_color=text_color + (255,)).getvalue()


def audio_seed(secret: bytes, token: str) -> bytes:
    """The seed of a genuine token's single audio rendering (32 bytes).

    Derived from the nonce with the secret: unpredictable without it, the
    same at every request and on every instance. Raises `CaptchaError` for an
    invalid or expired token.
    """
    answer_for(secret, token)
    nonce, _expires, _signature = _parse(token)
    return hmac.new(secret, _AUDIO_PREFIX + nonce, hashlib.sha256).digest()


def audio_wav(answer: str, seed: bytes | None = None) -> bytes:
    """A WAV file (8 kHz, 8-bit, mono) reading the digits in French.

    The same `seed` gives the same bytes (``audio_seed`` of a challenge);
    without one, a random rendering.
    """
    _check_digits(answer)
    return captcha_audio.audio_wav(answer, seed or secrets.token_bytes(32))
