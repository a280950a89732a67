#!/usr/bin/env bash
# Regenerate the French voice library of the audio captcha:
#   src/illkirch/eservices/accounts/voices/fr/<digit>/<variant>.wav
#
# illkirch.eservices.accounts.captcha reads one folder per digit, each
# holding several WAV files (PCM, 8000 Hz, 8-bit unsigned, 1 channel: small
# files), and renders each challenge from them: a random recording per digit,
# its pitch, tempo, level and timbre changed, over a babble of other digits.
#
# The digits are spoken by espeak-ng in eight voices (French male and female
# variants, a Belgian one, two other synthesisers' timbres), each with its own
# speed and pitch, then converted with sox: leading and trailing silence
# trimmed, normalised to -3 dBFS, resampled, no dither (reproducible output).
#
# Requirements (Debian): apt-get install -y espeak-ng sox
# Usage: scripts/make_captcha_voices.sh   (from anywhere; rewrites the folder)
set -euo pipefail

command -v espeak-ng >/dev/null || { echo "espeak-ng is missing (apt-get install -y espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is missing (apt-get install -y sox)" >&2; exit 1; }

OUT="$(cd "$(dirname "$0")/.." && pwd)/src/illkirch/eservices/accounts/voices/fr"
WORDS=(zéro un deux trois quatre cinq six sept huit neuf)
# variant name -> espeak-ng options (voice, words per minute, pitch 0-99)
VARIANTS=(
  "m1:-v fr+m1 -s 130 -p 35" "m3:-v fr+m3 -s 120 -p 50" "m7:-v fr+m7 -s 150 -p 30"
  "f2:-v fr+f2 -s 135 -p 60" "f4:-v fr+f4 -s 125 -p 70" "be:-v fr-be+f5 -s 145 -p 55"
  "kl:-v fr+klatt4 -s 130 -p 45" "cr:-v fr+croak -s 140 -p 40"
)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

rm -rf "$OUT"
for digit in "${!WORDS[@]}"; do
  mkdir -p "$OUT/$digit"
  for variant in "${VARIANTS[@]}"; do
    name="${variant%%:*}"
    # shellcheck disable=SC2086  # options are meant to be split
    espeak-ng ${variant#*:} -z -w "$TMP/raw.wav" "${WORDS[$digit]}"
    sox -D "$TMP/raw.wav" -r 8000 -c 1 -b 8 -e unsigned-integer "$OUT/$digit/$name.wav" \
      silence 1 0.005 0.1% reverse silence 1 0.005 0.1% reverse gain -n -3
  done
done

du -sh "$OUT"
