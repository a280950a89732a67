"""The audio captcha: French digits a person understands and a template
matching program does not (issue 13, item 9).

Each rendering is drawn from a random generator seeded by the caller (the
challenge's own seed, see ``captcha.audio_seed``), so one challenge always
gives the same bytes and hearing it again teaches nothing new. For each digit:

* one of the eight recorded voices of ``voices/fr/<digit>/`` (espeak-ng,
  ``scripts/make_captcha_voices.sh``);
* its pitch and timbre moved by resampling (factor 0.84-1.20), its tempo
  changed independently and unevenly (WSOLA time-stretch, 0.80-1.25, with a
  tempo that drifts within the word; never shorter than 0.25 s unless
  recorded so), every frequency moved by 25-60 Hz up or down (the harmonics
  no longer match any resampling of the recording), a random tilt of its
  spectrum, a random equaliser (±8 dB) and phase response, a random level
  (±2 dB);
* random pauses between digits (0.45-1.0 s).

Under everything runs a babble made of other digits (three overlapping
streams of every voice, forward and reversed, pitch-shifted), louder under
the spoken digits (7-11 dB below each of them: they stay clearly audible)
and quieter between them (about 16 dB below: the digits can be counted),
plus a faint noise. Two short tones announce the start.

The waveform of a spoken digit then hardly matches the committed
recordings: ``tests/unit/test_captcha_audio.py`` measures both the template
matching attack and a person's criteria. A speech recogniser may still read
the digits; the rate limits, the single use and the limited plays of a
challenge (``captcha_media``) bound what such a program can do.
"""

from dataclasses import dataclass
from pathlib import Path

import functools
import io
import numpy as np
import wave


RATE = 8000
VOICES_DIR = Path(__file__).parent / "voices" / "fr"

PITCH = (0.84, 1.20)  # resampling factor (> 1: higher and shorter)
TEMPO = (0.80, 1.25)  # WSOLA speed (> 1: faster), independent of the pitch
SHIFT = (25.0, 60.0)  # Hz, up or down
MIN_DURATION = 0.25  # seconds, as far as the tempo range allows
TEMPO_DRIFT = 0.15  # the tempo varies by up to ±15 % within a word
TILT = (-0.5, 0.7)  # first-order filter coefficient (timbre)
EQ_DB = 8.0  # a random equaliser: ±8 dB, smooth over frequency
LEVEL_DBFS = -16.0  # mean RMS of a spoken digit
LEVEL_SPREAD_DB = 2.0
GAP = (0.45, 1.0)  # seconds of babble between two digits
LEAD, TAIL = 0.6, 0.5  # seconds before the first and after the last digit
SNR_UNDER_DIGIT_DB = (7.0, 11.0)  # digit over the babble beneath it
SNR_BETWEEN_DB = 16.0  # mean digit level over the babble between digits
BABBLE_STREAMS = 3
NOISE_DBFS = -45.0

_FRAME = 256  # WSOLA: 32 ms frames, 50 % overlap, ±6 ms search
_HOP = _FRAME // 2
_TOLERANCE = 48
_WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(_FRAME) / _FRAME)


@dataclass
class Rendering:
    """A rendering and its parts (the tests measure them)."""

    mix: np.ndarray  # what is heard, floats in [-1, 1]
    spoken: np.ndarray  # the digits alone, same scale
    background: np.ndarray  # babble, tones and noise, same scale
    spans: list  # (start, end) sample of each digit


def _read(path):
    with wave.open(str(path)) as audio:
        assert audio.getframerate() == RATE and audio.getnchannels() == 1
        frames = audio.readframes(audio.getnframes())
        if audio.getsampwidth() == 1:
            samples = (np.frombuffer(frames, np.uint8).astype(np.float64) - 128) / 128
        else:
            samples = np.frombuffer(frames, "<i2").astype(np.float64) / 32768
    return samples - samples.mean()


@functools.cache
def voices():
    """{digit: (recording, ...)} as float arrays, loaded once."""
    return {
        digit: tuple(_read(path) for path in sorted((VOICES_DIR / digit).glob("*.wav")))
        for digit in "0123456789"
    }


def _rms(samples):
    return float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0


def _resample(samples, factor):
    """Linear resampling: pitch and formants times ``factor``, duration / it."""
    positions = np.arange(0, len(samples) - 1, factor)
    return np.interp(positions, np.arange(len(samples)), samples)


def _stretch(samples, speed, rng):
    """WSOLA time-stretch at a drifting ``speed``: the pitch is kept."""
    padded = np.concatenate(
        [np.zeros(_FRAME + _TOLERANCE), samples, np.zeros(2 * _FRAME + 2 * _TOLERANCE)]
    )
    count = int(len(samples) / (_HOP * speed)) + 2
    # A smooth random drift of the speed along the word.
    knots = rng.uniform(-TEMPO_DRIFT, TEMPO_DRIFT, 4)
    drift = np.interp(np.linspace(0, 3, count), np.arange(4), knots)
    nominal = (
        _FRAME
        + _TOLERANCE
        + np.concatenate([[0.0], np.cumsum(_HOP * speed * (1 + drift[:-1]))])
        - _HOP
    )
    out = np.zeros(count * _HOP + _FRAME)
    previous = None
    for k, position in enumerate(nominal.astype(int)):
        if position + _FRAME + _TOLERANCE >= len(padded):
            count = k
            break
        if previous is None:
            chosen = position
        else:
            # the frame most alike the natural continuation of the last one
            target = padded[previous + _HOP : previous + _HOP + _FRAME]
            area = padded[position - _TOLERANCE : position + _TOLERANCE + _FRAME]
            scores = np.correlate(area, target, mode="valid")
            chosen = position - _TOLERANCE + int(scores.argmax())
        out[k * _HOP : k * _HOP + _FRAME] += padded[chosen : chosen + _FRAME] * _WINDOW
        previous = chosen
    out = out[: count * _HOP + _HOP]
    # trim the silence the padding added
    loud = np.flatnonzero(np.abs(out) > 0.02 * np.abs(out).max())
    return out[loud[0] : loud[-1] + 1] if len(loud) else out


def _tilt(samples, coefficient):
    shaped = samples.copy()
    shaped[1:] -= coefficient * samples[:-1]
    return shaped


def _disperse(samples, rng):
    """Filter through a random response, smooth over frequency, 32 ms long:
    an equaliser (±``EQ_DB``) and a random phase (another microphone and
    room, to the ear)."""
    knots = np.cumsum(rng.uniform(-np.pi, np.pi, 24))
    phase = np.interp(np.linspace(0, 23, _FRAME // 2 + 1), np.arange(24), knots)
    gains = rng.uniform(-EQ_DB, EQ_DB, 10)
    gain = 10 ** (
        np.interp(np.linspace(0, 9, _FRAME // 2 + 1), np.arange(10), gains) / 20
    )
    response = np.fft.irfft(gain * np.exp(1j * phase), _FRAME)
    response = np.roll(response, _FRAME // 2) * np.hanning(_FRAME)
    return np.convolve(samples, response, mode="same")


def _shift(samples, hertz):
    """Move every frequency by ``hertz`` (single-sideband modulation of the
    analytic signal): the harmonics are no longer multiples of one pitch,
    so no resampling of a recording matches the result, while the words are
    still understood (a slightly metallic voice)."""
    size = 1 << int(np.ceil(np.log2(len(samples) + 1)))
    spectrum = np.fft.fft(samples, size)
    spectrum[size // 2 + 1 :] = 0
    spectrum[1 : size // 2] *= 2
    analytic = np.fft.ifft(spectrum)[: len(samples)]
    carrier = np.exp(2j * np.pi * hertz * np.arange(len(samples)) / RATE)
    return np.real(analytic * carrier)


def _fade(samples, seconds=0.01):
    length = min(len(samples) // 2, int(seconds * RATE))
    ramp = np.linspace(0, 1, length)
    samples = samples.copy()
    samples[:length] *= ramp
    samples[len(samples) - length :] *= ramp[::-1]
    return samples


def _spoken_digit(digit, rng):
    recording = voices()[digit][rng.integers(len(voices()[digit]))]
    pitch, tempo = rng.uniform(*PITCH), rng.uniform(*TEMPO)
    # Never shorter than MIN_DURATION (« un », « deux » last 0.2 s): slower.
    shortest = min(MIN_DURATION * RATE, len(recording))
    tempo = max(0.65, min(tempo, len(recording) / (pitch * shortest)))
    samples = _stretch(_resample(recording, pitch), tempo, rng)
    samples = _shift(samples, rng.choice([-1, 1]) * rng.uniform(*SHIFT))
    samples = _fade(_disperse(_tilt(samples, rng.uniform(*TILT)), rng))
    level = 10 ** ((LEVEL_DBFS + rng.uniform(-LEVEL_SPREAD_DB, LEVEL_SPREAD_DB)) / 20)
    return samples * level / max(_rms(samples), 1e-9)


def _babble_stream(length, rng):
    stream = np.zeros(length)
    position = int(rng.integers(0, RATE // 4))
    while position < length:
        digit = str(rng.integers(10))
        recording = voices()[digit][rng.integers(len(voices()[digit]))]
        piece = _resample(recording, rng.uniform(0.75, 1.3))
        if rng.random() < 0.5:
            piece = piece[::-1]
        piece = _fade(piece) * rng.uniform(0.5, 1.0) / max(_rms(piece), 1e-9)
        end = min(length, position + len(piece))
        stream[position:end] += piece[: end - position]
        position = end + int(rng.integers(0, RATE // 8))
    return stream


def _tones():
    time = np.arange(int(0.12 * RATE)) / RATE
    tone = _fade(0.2 * np.sin(2 * np.pi * 660 * time), 0.02)
    silence = np.zeros(int(0.15 * RATE))
    return np.concatenate([tone, silence, tone])


def render(answer, rng):
    """The audio of ``answer`` (digits) drawn from ``rng`` (numpy Generator)."""
    spoken_digits = [_spoken_digit(digit, rng) for digit in answer]
    tones = _tones()
    start = len(tones) + int(LEAD * RATE)
    spans = []
    for index, samples in enumerate(spoken_digits):
        if index:
            start = spans[-1][1] + int(rng.uniform(*GAP) * RATE)
        spans.append((start, start + len(samples)))
    length = spans[-1][1] + int(TAIL * RATE)

    spoken = np.zeros(length)
    for (start, end), samples in zip(spans, spoken_digits, strict=True):
        spoken[start:end] = samples

    babble = sum(_babble_stream(length, rng) for _ in range(BABBLE_STREAMS))
    babble /= max(_rms(babble), 1e-9)
    # The babble's level (its RMS is 1 overall): SNR_BETWEEN_DB below the
    # digits between them, SNR_UNDER_DIGIT_DB below each digit under it (from
    # its own RMS there), with 60 ms ramps (the pauses are longer).
    between = np.mean([_rms(samples) for samples in spoken_digits]) * 10 ** (
        -SNR_BETWEEN_DB / 20
    )
    gain = np.full(length, between)
    ramp = int(0.06 * RATE)
    for (start, end), samples in zip(spans, spoken_digits, strict=True):
        under = (
            _rms(samples)
            / max(_rms(babble[start:end]), 1e-9)
            * 10 ** (-rng.uniform(*SNR_UNDER_DIGIT_DB) / 20)
        )
        gain[start:end] = under
        gain[start - ramp : start] = np.linspace(between, under, ramp)
        gain[end : end + ramp] = np.linspace(under, between, ramp)
    background = babble * gain
    background[: len(tones)] += tones
    background += rng.normal(0, 10 ** (NOISE_DBFS / 20), length)

    mix = spoken + background
    scale = min(1.0, 0.95 / max(np.abs(mix).max(), 1e-9))
    return Rendering(mix * scale, spoken * scale, background * scale, spans)


def wav_bytes(samples):
    """A WAV file: PCM 8 kHz, 8-bit unsigned, mono."""
    data = np.clip(np.round(samples * 127 + 128), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(RATE)
        audio.writeframes(data.tobytes())
    return buffer.getvalue()


def audio_wav(answer, seed):
    """The WAV of ``answer``, the same bytes for the same ``seed`` (bytes)."""
    rng = np.random.default_rng(int.from_bytes(seed, "big"))
    return wav_bytes(render(answer, rng).mix)
