"""Unit tests of the local captcha (signed token, derived answer, image, audio)."""

from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts.captcha import CaptchaError
from PIL import Image

import base64
import io
import pytest
import wave


SECRET = b"a test secret of thirty-two bytes"
OTHER_SECRET = b"another secret, another site....."
NOW = 1_750_000_000.0


def _answer_error(token, secret=SECRET, now=NOW):
    with pytest.raises(CaptchaError) as info:
        captcha.answer_for(secret, token, now=now)
    return info.value.code


def _other_digits(answer):
    return "".join(str((int(digit) + 1) % 10) for digit in answer)


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_fresh_token_answer_is_six_digits_and_accepted():
    token = captcha.new_token(SECRET, now=NOW)
    answer = captcha.answer_for(SECRET, token, now=NOW)
    assert captcha.ANSWER_LENGTH == 6
    assert len(answer) == 6
    assert answer.isascii() and answer.isdigit()
    assert captcha.check_answer(SECRET, token, answer, now=NOW)
    # Stable: the answer is derived, not random at each call.
    assert captcha.answer_for(SECRET, token, now=NOW + 60) == answer


def test_answer_with_spaces_is_accepted():
    token = captcha.new_token(SECRET, now=NOW)
    answer = captcha.answer_for(SECRET, token, now=NOW)
    spaced = f"  {answer[:3]} {answer[3:]}\t\n"
    assert captcha.check_answer(SECRET, token, spaced, now=NOW)
    assert captcha.check_answer(SECRET, token, " ".join(answer), now=NOW)


def test_wrong_or_missing_answer_is_rejected():
    token = captcha.new_token(SECRET, now=NOW)
    answer = captcha.answer_for(SECRET, token, now=NOW)
    for wrong in (_other_digits(answer), answer[:5], answer + "0", "", "   "):
        assert not captcha.check_answer(SECRET, token, wrong, now=NOW), wrong
    assert not captcha.check_answer(SECRET, token, None, now=NOW)
    assert not captcha.check_answer(SECRET, token, "é" + answer, now=NOW)


def test_token_format():
    token = captcha.new_token(SECRET, now=NOW)
    nonce, expires, signature = token.split(".")
    assert len(base64.urlsafe_b64decode(nonce + "==")) == 16
    assert expires == str(int(NOW + captcha.TOKEN_TTL))
    assert len(base64.urlsafe_b64decode(signature + "=")) == 32
    assert "=" not in token
    assert captcha.nonce_of(token) == nonce


def test_answers_are_spread_over_digits():
    answers = {
        captcha.answer_for(SECRET, captcha.new_token(SECRET, now=NOW), now=NOW)
        for _ in range(50)
    }
    assert len(answers) > 45
    assert set("".join(answers)) == set("0123456789")


def test_answer_keeps_leading_zeros():
    for _ in range(300):  # 1 answer in 10 starts with 0
        token = captcha.new_token(SECRET, now=NOW)
        answer = captcha.answer_for(SECRET, token, now=NOW)
        if answer.startswith("0"):
            break
    assert answer.startswith("0") and len(answer) == 6
    assert captcha.check_answer(SECRET, token, answer, now=NOW)
    assert not captcha.check_answer(SECRET, token, answer[1:], now=NOW)


def test_two_tokens_have_different_nonces():
    first = captcha.new_token(SECRET, now=NOW)
    second = captcha.new_token(SECRET, now=NOW)
    assert first != second
    assert captcha.nonce_of(first) != captcha.nonce_of(second)


def _tampered_tokens():
    token = captcha.new_token(SECRET, now=NOW)
    nonce, expires, signature = token.split(".")
    raw_nonce = base64.urlsafe_b64decode(nonce + "==")
    raw_signature = base64.urlsafe_b64decode(signature + "=")
    flipped_nonce = _b64(bytes([raw_nonce[0] ^ 1]) + raw_nonce[1:])
    flipped_signature = _b64(raw_signature[:-1] + bytes([raw_signature[-1] ^ 1]))
    # Same nonce bytes, non-canonical spelling (last character's unused bits).
    last = nonce[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = nonce[:-1] + alphabet[alphabet.index(last) ^ 1]
    assert base64.urlsafe_b64decode(respelled + "==") == raw_nonce
    return {
        "changed nonce": f"{flipped_nonce}.{expires}.{signature}",
        "respelled nonce": f"{respelled}.{expires}.{signature}",
        "later expiry": f"{nonce}.{int(expires) + 3600}.{signature}",
        "earlier expiry": f"{nonce}.{int(expires) - 1}.{signature}",
        "zero-padded expiry": f"{nonce}.0{expires}.{signature}",
        "changed signature": f"{nonce}.{expires}.{flipped_signature}",
        "truncated signature": f"{nonce}.{expires}.{signature[:-1]}",
        "missing part": f"{nonce}.{expires}",
        "extra part": f"{token}.x",
        "surrounding spaces": f" {token} ",
        "garbage": "not-a-token",
        "dots": "..",
        "empty": "",
    }


@pytest.mark.parametrize("case", sorted(_tampered_tokens()))
def test_tampered_token_is_invalid(case):
    token = _tampered_tokens()[case]
    assert _answer_error(token) == "invalid"
    for answer in ("000000", "123456"):
        assert not captcha.check_answer(SECRET, token, answer, now=NOW)


def test_tampered_token_rejects_the_genuine_answer():
    token = captcha.new_token(SECRET, now=NOW)
    answer = captcha.answer_for(SECRET, token, now=NOW)
    nonce, expires, signature = token.split(".")
    later = f"{nonce}.{int(expires) + 3600}.{signature}"
    assert not captcha.check_answer(SECRET, later, answer, now=NOW)


def test_non_text_token_is_invalid():
    assert _answer_error(None) == "invalid"
    assert not captcha.check_answer(SECRET, None, "123456", now=NOW)
    with pytest.raises(CaptchaError):
        captcha.nonce_of(None)


def test_expired_token():
    token = captcha.new_token(SECRET, now=NOW)
    answer = captcha.answer_for(SECRET, token, now=NOW)
    last_valid = NOW + captcha.TOKEN_TTL
    assert captcha.TOKEN_TTL == 30 * 60
    assert captcha.check_answer(SECRET, token, answer, now=last_valid)
    assert _answer_error(token, now=last_valid + 1) == "expired"
    assert not captcha.check_answer(SECRET, token, answer, now=last_valid + 1)
    assert _answer_error(token, now=NOW + 86400) == "expired"


def test_expiry_defaults_to_the_current_time():
    old = captcha.new_token(SECRET, now=NOW - 10 * 365 * 86400)
    assert _answer_error(old, now=None) == "expired"
    fresh = captcha.new_token(SECRET)
    assert len(captcha.answer_for(SECRET, fresh)) == 6


def test_token_of_another_secret_is_invalid():
    token = captcha.new_token(OTHER_SECRET, now=NOW)
    answer = captcha.answer_for(OTHER_SECRET, token, now=NOW)
    assert _answer_error(token) == "invalid"
    assert not captcha.check_answer(SECRET, token, answer, now=NOW)


def test_answer_depends_on_the_secret():
    # Re-signing the same nonce with another secret gives another answer.
    token = captcha.new_token(SECRET, now=NOW)
    nonce, expires, _ = token.split(".")
    raw_nonce = base64.urlsafe_b64decode(nonce + "==")
    other_signature = captcha._signature(OTHER_SECRET, raw_nonce, expires)
    resigned = f"{nonce}.{expires}.{other_signature}"
    answer = captcha.answer_for(SECRET, token, now=NOW)
    assert captcha.answer_for(OTHER_SECRET, resigned, now=NOW) != answer


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        captcha.new_token(b"", now=NOW)
    token = captcha.new_token(SECRET, now=NOW)
    with pytest.raises(ValueError):
        captcha.answer_for(b"", token, now=NOW)


def test_error_codes():
    error = CaptchaError("expired")
    assert isinstance(error, ValueError)
    assert error.code == "expired"


def test_image_png():
    data = captcha.image_png("012345")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == "PNG"
        assert image.size == (280, 90)
        # Readable: the digits are drawn in dark, opaque strokes (not only
        # the noise dots and curve), on a light background.
        gray = image.convert("L")
        dark = sum(gray.histogram()[:128])
        assert 1200 < dark < 280 * 90 / 3


def test_audio_wav():
    data = captcha.audio_wav("012345")
    assert data.startswith(b"RIFF")
    assert data[8:12] == b"WAVE"
    with wave.open(io.BytesIO(data)) as audio:
        assert audio.getnchannels() == 1
        assert audio.getframerate() == 8000
        assert audio.getnframes() / audio.getframerate() >= 2


def test_image_and_audio_refuse_non_digits():
    for bad in ("12a456", "", "١٢٣"):
        with pytest.raises(ValueError):
            captcha.image_png(bad)
        with pytest.raises(ValueError):
            captcha.audio_wav(bad)


def test_every_digit_has_a_voice_in_the_captcha_format():
    voices = captcha.VOICES_DIR
    assert voices.is_dir()
    for digit in "0123456789":
        files = sorted((voices / digit).glob("*.wav"))
        assert files, f"no voice for {digit}"
        for path in files:
            with wave.open(str(path)) as audio:
                # The format accounts/captcha_audio.py reads (small files).
                assert audio.getparams()[:3] == (1, 1, 8000), path
                assert audio.getnframes() > 800, path  # > 0.1 s
    # Only digit folders: the library offers every folder as a choice.
    assert sorted(path.name for path in voices.iterdir()) == list("0123456789")
