#!/usr/bin/env bash
# Rebuild the .pot from the code and templates, then merge it into each .po.
# New msgids arrive untranslated in the .po: translate them, then run the
# tests (tests/setup/test_i18n.py fails on any untranslated msgid).
set -euo pipefail
cd "$(dirname "$0")/../src/illkirch/eservices"
I18NDUDE=../../../.venv/bin/i18ndude
$I18NDUDE rebuild-pot --pot locales/illkirch.eservices.pot --create illkirch.eservices .
for po in locales/*/LC_MESSAGES/illkirch.eservices.po; do
  $I18NDUDE sync --pot locales/illkirch.eservices.pot "$po"
done
