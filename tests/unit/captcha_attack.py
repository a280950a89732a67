"""A naive program solving the audio captcha by template matching.

This is the attack of the security review (issue 13, item 9), written down so
that a test can measure it: the attacker knows the voice recordings committed
in the repository (``accounts/voices/fr``) and nothing else.

1. It cuts the audio into its loudest regions (an energy envelope, the ten
   strongest bursts).
2. It compares each region with every committed recording, resampled at
   speeds from 0.80 to 1.25 (the old renderer changed the speed by
   resampling), by normalised cross-correlation of the waveforms.
3. The digit of the best matching recording is its answer for the region;
   the six regions that match best, in time order, are its answer.
4. When the server lets it hear a challenge several times, it votes: the
   most frequent digit at each position (``solve_many``).

``solve_spans`` is a stronger attacker, told where each digit is (step 1
done perfectly): the test uses it to show that step 2 fails too.
"""

from collections import Counter
from pathlib import Path

import io
import numpy as np
import wave


RATE = 4000  # the attacker works at 4 kHz: faster, as accurate for speech
SPEEDS = np.round(np.arange(0.80, 1.2501, 0.01), 2)
DIGITS = 6
CANDIDATES = 10


def read_wav(data):
    """Samples of a mono WAV (8-bit or 16-bit) as floats in [-1, 1]."""
    with wave.open(io.BytesIO(data) if isinstance(data, bytes) else str(data)) as w:
        assert w.getnchannels() == 1
        width, rate = w.getsampwidth(), w.getframerate()
        frames = w.readframes(w.getnframes())
    if width == 1:
        samples = (np.frombuffer(frames, np.uint8).astype(np.float64) - 128) / 128
    else:
        samples = np.frombuffer(frames, "<i2").astype(np.float64) / 32768
    return decimate(samples, rate)


def decimate(samples, rate=8000):
    """Samples at ``rate`` Hz brought to the attacker's ``RATE``."""
    factor = rate // RATE  # average pairs (low-pass), keep one
    samples = samples[: len(samples) // factor * factor]
    return samples.reshape(-1, factor).mean(axis=1)


def resample(samples, speed):
    """Longer by ``speed`` (nearest sample, as the old renderer did)."""
    length = int(len(samples) * speed)
    index = np.minimum((np.arange(length) / speed).astype(int), len(samples) - 1)
    return samples[index]


class TemplateAttacker:
    def __init__(self, voices_dir):
        digits, templates = [], []
        for path in sorted(Path(voices_dir).glob("*/*.wav")):
            base = read_wav(path)
            for speed in SPEEDS:
                template = resample(base, speed)
                digits.append(path.parent.name)
                templates.append(template - template.mean())
        self.digits = np.array(digits)
        self.lengths = np.array([len(t) for t in templates])
        self.norms = np.array([np.linalg.norm(t) for t in templates])
        longest = int(self.lengths.max())
        self.segment_max = int(1.2 * RATE)  # a digit lasts well under 1 s
        self.size = 1 << int(np.ceil(np.log2(self.segment_max + longest)))
        # conjugated spectra of every template, computed once
        self.spectra = np.empty((len(templates), self.size // 2 + 1), np.complex64)
        for i, template in enumerate(templates):
            self.spectra[i] = np.conj(np.fft.rfft(template, self.size))

    def regions(self, samples):
        """The ``CANDIDATES`` loudest bursts, as (start, end), in time order."""
        frame = RATE // 100  # 10 ms
        count = len(samples) // frame
        energy = (samples[: count * frame].reshape(count, frame) ** 2).mean(axis=1)
        energy = np.convolve(energy, np.ones(15) / 15, mode="same")
        regions = []
        for _ in range(CANDIDATES):
            peak = int(energy.argmax())
            if energy[peak] <= 0:
                break
            # the burst: around the peak while above a fifth of it
            low = high = peak
            while low > 0 and energy[low - 1] > energy[peak] / 5:
                low -= 1
            while high < count - 1 and energy[high + 1] > energy[peak] / 5:
                high += 1
            regions.append((low, high + 1))
            energy[max(0, low - 20) : high + 21] = 0
        regions.sort()
        margin = 10  # 100 ms of context on each side
        return [
            (
                max(0, (a - margin) * frame),
                min(
                    len(samples),
                    (b + margin) * frame,
                    (a - margin) * frame + self.segment_max,
                ),
            )
            for a, b in regions
        ]

    def classify(self, segment):
        """(score, digit) of the recording that best matches the segment:
        the highest normalised cross-correlation over every position."""
        segment = segment - segment.mean()
        spectrum = np.fft.rfft(segment, self.size).astype(np.complex64)
        cumulative = np.concatenate([[0.0], np.cumsum(segment**2)])
        positions = np.arange(len(segment))
        best_score, best_digit = -1.0, None
        for first in range(0, len(self.spectra), 512):
            block = slice(first, first + 512)
            lengths = self.lengths[block][:, None]
            correlations = np.fft.irfft(self.spectra[block] * spectrum, self.size)
            correlations = correlations[:, : len(segment)]
            # energy of the segment under the template at each position
            ends = np.minimum(positions[None, :] + lengths, len(segment))
            window = cumulative[ends] - cumulative[positions][None, :]
            scores = correlations / (
                self.norms[block][:, None] * np.sqrt(np.maximum(window, 1e-12))
            )
            scores[positions[None, :] + lengths > len(segment)] = -1
            index = np.unravel_index(int(scores.argmax()), scores.shape)
            if scores[index] > best_score:
                best_score = float(scores[index])
                best_digit = str(self.digits[first + index[0]])
        return best_score, best_digit

    def solve(self, wav_bytes):
        """The attacker's answer: the six best matching regions, in order."""
        samples = read_wav(wav_bytes)
        found = [(self.classify(samples[a:b]), a) for a, b in self.regions(samples)]
        best = sorted(found, key=lambda item: -item[0][0])[:DIGITS]
        in_order = sorted(best, key=lambda item: item[1])
        return "".join(digit or "?" for (_, digit), _ in in_order)

    def solve_many(self, renderings):
        """The answer voted over several renderings of one challenge (the
        same bytes fetched twice are heard once)."""
        answers = [self.solve(data) for data in dict.fromkeys(renderings)]
        return "".join(
            Counter(position).most_common(1)[0][0]
            for position in zip(*answers, strict=False)
        )

    def solve_spans(self, samples, spans, rate=8000):
        """The answer when told the (start, end) of each digit at ``rate``."""
        samples = decimate(samples, rate)
        margin = RATE // 10
        found = []
        for start, end in spans:
            low = max(0, start * RATE // rate - margin)
            high = min(
                len(samples), end * RATE // rate + margin, low + self.segment_max
            )
            found.append(self.classify(samples[low:high])[1] or "?")
        return "".join(found)


if __name__ == "__main__":
    # The rates of the attack on any version of the add-on:
    #   .venv/bin/python tests/unit/captcha_attack.py CHALLENGES RENDERINGS
    # RENDERINGS: how many renderings of one challenge the server gives (the
    # old renderer: as many as asked; since issue 13: one).
    from illkirch.eservices.accounts import captcha

    import random
    import sys

    count, renderings = int(sys.argv[1]), int(sys.argv[2])
    attacker = TemplateAttacker(captcha.VOICES_DIR)
    draw = random.Random(1)
    once = voted = 0
    for _ in range(count):
        answer = "".join(draw.choice("0123456789") for _ in range(DIGITS))
        wavs = [captcha.audio_wav(answer) for _ in range(renderings)]
        once += attacker.solve(wavs[0]) == answer
        voted += attacker.solve_many(wavs) == answer
    print(f"one rendering: {once}/{count}; voting over {renderings}: {voted}/{count}")
