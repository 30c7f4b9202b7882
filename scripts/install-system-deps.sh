#!/bin/sh
# System packages habeas needs beyond Python: OCR of scanned documents (OCRmyPDF, Tesseract with
# English). Debian/Ubuntu only; installs only what is missing; uses sudo when not root.
set -eu

missing=""
command -v ocrmypdf >/dev/null 2>&1 || missing="$missing ocrmypdf"
command -v tesseract >/dev/null 2>&1 || missing="$missing tesseract-ocr"
if command -v tesseract >/dev/null 2>&1 && ! tesseract --list-langs 2>/dev/null | grep -qx eng; then
  missing="$missing tesseract-ocr-eng"
elif ! command -v tesseract >/dev/null 2>&1; then
  missing="$missing tesseract-ocr-eng"
fi

if [ -z "$missing" ]; then
  echo "system packages: OCR tools present (ocrmypdf, tesseract with eng)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages: please install$missing with your package manager (no apt-get here)" >&2
  exit 1
fi

if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "system packages: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
echo "system packages: done"
