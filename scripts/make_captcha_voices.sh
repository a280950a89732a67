#!/usr/bin/env bash
# Regenerate the French voice library of the audio captcha:
#   src/illkirch/eservices/accounts/voices/fr/<digit>/<variant>.wav
#
# captcha.audio.AudioCaptcha (package `captcha`) reads one folder per
# character, each holding one or more WAV files, and mixes their raw frames
# with its own 8 kHz / 8-bit unsigned / mono beeps and noise. Every file must
# therefore be exactly: PCM, 8000 Hz, 8-bit unsigned, 1 channel.
#
# The digits are spoken by espeak-ng (French voice, `-v fr`), in two
# variants (different speed and pitch), then converted with sox: leading and
# trailing silence trimmed, normalised to -3 dBFS (AudioCaptcha amplifies the
# voice up to 1.2x), resampled, no dither (reproducible output).
#
# Requirements (Debian): apt-get install -y espeak-ng sox
# Usage: scripts/make_captcha_voices.sh   (from anywhere; rewrites the folder)
set -euo pipefail

command -v espeak-ng >/dev/null || { echo "espeak-ng is missing (apt-get install -y espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is missing (apt-get install -y sox)" >&2; exit 1; }

OUT="$(cd "$(dirname "$0")/.." && pwd)/src/illkirch/eservices/accounts/voices/fr"
WORDS=(zéro un deux trois quatre cinq six sept huit neuf)
# variant name -> espeak-ng options (words per minute, pitch 0-99)
VARIANTS=("a:-s 130 -p 40" "b:-s 155 -p 65")

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

rm -rf "$OUT"
for digit in "${!WORDS[@]}"; do
  mkdir -p "$OUT/$digit"
  for variant in "${VARIANTS[@]}"; do
    name="${variant%%:*}"
    # shellcheck disable=SC2086  # options are meant to be split
    espeak-ng -v fr ${variant#*:} -z -w "$TMP/raw.wav" "${WORDS[$digit]}"
    sox -D "$TMP/raw.wav" -r 8000 -c 1 -b 8 -e unsigned-integer "$OUT/$digit/$name.wav" \
      silence 1 0.005 0.1% reverse silence 1 0.005 0.1% reverse gain -n -3
  done
done

du -sh "$OUT"
