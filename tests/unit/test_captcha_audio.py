"""The audio captcha (issue 13, item 9): a person understands it, the
template matching program of the security review does not solve it, one
challenge has one rendering."""

from captcha_attack import TemplateAttacker
from illkirch.eservices.accounts import captcha
from illkirch.eservices.accounts import captcha_audio
from itertools import pairwise

import io
import numpy as np
import pytest
import random
import wave


SECRET = b"a test secret of thirty-two bytes"
CHALLENGES = 50
# The attack costs about 3 s a challenge: 20 of them tell 36 % (the old
# renderer's rate) from the 10 % allowed; ``captcha_attack.py`` runs more.
ATTACKED = 20


def _answers(count, seed=13):
    draw = random.Random(seed)
    return ["".join(draw.choice("0123456789") for _ in range(6)) for _ in range(count)]


def _db(value):
    return 20 * np.log10(max(value, 1e-12))


def _rms(samples):
    return float(np.sqrt(np.mean(samples**2)))


def test_a_template_matching_program_no_longer_solves_the_audio():
    """The review's attack: each loud region cross-correlated with every
    committed recording at speeds 0.80-1.25 (on the old renderer it solved
    18 challenges of 50 from one rendering, 25 voting over three renderings:
    ``python tests/unit/captcha_attack.py 50 3`` on the old code). Chance is
    one in a million; a person's success is what the next test checks. Even
    told where each digit is, the matching fails."""
    attacker = TemplateAttacker(captcha.VOICES_DIR)
    solved = told = digits = told_digits = 0
    for index, answer in enumerate(_answers(ATTACKED)):
        seed = b"attack-%d" % index
        wav = captcha.audio_wav(answer, seed)
        # Fetching the challenge again gives the same bytes: nothing to vote on.
        guess = attacker.solve_many([wav, captcha.audio_wav(answer, seed)])
        solved += guess == answer
        digits += sum(a == b for a, b in zip(guess, answer, strict=False))
        # The same rendering, with the place of each digit.
        rendering = captcha_audio.render(
            answer, np.random.default_rng(int.from_bytes(seed, "big"))
        )
        assert captcha_audio.wav_bytes(rendering.mix) == wav
        guess = attacker.solve_spans(rendering.mix, rendering.spans)
        told += guess == answer
        told_digits += sum(a == b for a, b in zip(guess, answer, strict=True))
    print(
        f"template attack: {solved}/{ATTACKED} challenges, "
        f"{digits}/{6 * ATTACKED} digits; told where the digits are: "
        f"{told}/{ATTACKED} challenges, {told_digits}/{6 * ATTACKED} digits"
    )
    assert solved <= ATTACKED // 10
    assert told <= ATTACKED // 10
    assert digits <= 6 * ATTACKED * 0.3
    assert told_digits <= 6 * ATTACKED * 0.6


@pytest.mark.parametrize("seed", range(CHALLENGES))
def test_a_person_hears_and_counts_every_digit(seed):
    """A person's criteria, on what is served: six digits, each long and
    loud enough and clearly above the babble beneath it, separated by
    quieter stretches that let one count them."""
    answer = _answers(CHALLENGES)[seed]
    rendering = captcha_audio.render(answer, np.random.default_rng(seed))
    assert len(rendering.spans) == 6
    rate = captcha_audio.RATE
    assert len(rendering.mix) / rate <= 12  # the whole code in 12 s at most
    levels = []
    for start, end in rendering.spans:
        spoken = rendering.spoken[start:end]
        noise = rendering.background[start:end]
        # a word, not a click (« un » and « deux » last 0.2 s as recorded)
        assert (end - start) / rate >= 0.18
        assert _db(_rms(spoken)) >= -26  # loud enough (dBFS)
        snr = _db(_rms(spoken)) - _db(_rms(noise))
        assert snr >= 6, f"digit at {start / rate:.2f} s: SNR {snr:.1f} dB"
        levels.append(_rms(spoken))
    for (_, end), (start, _) in pairwise(rendering.spans):
        assert (start - end) / rate >= 0.4  # a pause between two digits
        # its middle (away from the ramps) well below the digits
        pause = rendering.background[end + rate // 10 : start - rate // 10]
        assert _db(_rms(pause)) <= _db(np.mean(levels)) - 12
        assert not rendering.spoken[end:start].any()
    # What is served is this rendering (8-bit quantisation apart).
    with wave.open(io.BytesIO(captcha_audio.wav_bytes(rendering.mix))) as served:
        assert served.getframerate() == rate
        frames = served.readframes(served.getnframes())
    samples = (np.frombuffer(frames, np.uint8).astype(float) - 128) / 127
    assert np.abs(samples - rendering.mix).max() <= 0.5 / 127 + 1e-9


def test_one_rendering_per_challenge():
    token = captcha.new_token(SECRET)
    answer = captcha.answer_for(SECRET, token)
    seed = captcha.audio_seed(SECRET, token)
    assert len(seed) == 32
    assert captcha.audio_seed(SECRET, token) == seed
    first = captcha.audio_wav(answer, seed)
    assert captcha.audio_wav(answer, seed) == first  # the same bytes again
    other = captcha.new_token(SECRET)
    assert captcha.audio_seed(SECRET, other) != seed
    assert captcha.audio_wav(answer, captcha.audio_seed(SECRET, other)) != first
    # unpredictable without the secret
    assert (
        captcha.audio_seed(
            b"another secret, another site.....",
            captcha.new_token(b"another secret, another site....."),
        )
        != seed
    )
    with pytest.raises(captcha.CaptchaError):
        captcha.audio_seed(SECRET, "not-a-token")
    # without a seed, every rendering differs
    assert captcha.audio_wav(answer) != captcha.audio_wav(answer)


def test_renderings_vary():
    """Several voices, pitches, tempi and gaps: two renderings of one answer
    differ in length and content."""
    lengths = {
        len(captcha_audio.render("123456", np.random.default_rng(seed)).mix)
        for seed in range(10)
    }
    assert len(lengths) == 10
    assert all(len(recordings) >= 8 for recordings in captcha_audio.voices().values())
