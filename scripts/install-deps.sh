#!/usr/bin/env bash
# Installs every Debian 12 package CoS Workbench needs to build, test and run.
# Run as root (or through sudo). Safe to run again: apt skips what is present.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # engine
  libtorch-dev libopenblas0-pthread libgloo-dev
  # data, store, config
  libopencv-dev libsqlite3-dev sqlite3 libyaml-cpp-dev libcli11-dev nlohmann-json3-dev
  dataset-fashion-mnist
  # tests: tokenizer.model files trained and read by SentencePiece itself
  libsentencepiece-dev
  # GUI
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqcustomplot-dev qt6-svg-dev libgl-dev qt6-translations-l10n
  # the Debian package: icons, man pages, shlibdeps, and its checks
  librsvg2-bin help2man dpkg-dev lintian desktop-file-utils appstream
  # cos-batch's message catalogues
  gettext
  # the fuzz targets of the readers (libFuzzer, sanitizers)
  clang-14 libclang-rt-14-dev
  # benchmarks (python3-torch: the same LibTorch, for benchmarks/python_step.py) and GUI checks
  libbenchmark-dev python3-torch xvfb xauth
  # the locales the tests run under (comma decimals, CJK text)
  locales
  # the Chinese translation's glyphs, for its screenshots and checks
  fonts-wqy-microhei
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Generated locales, so numbers are tested under a comma-decimal locale and
# the translations can be tried.
wanted_locales=(de_DE.UTF-8 zh_CN.UTF-8)
generate=()
for l in "${wanted_locales[@]}"; do
  locale -a 2>/dev/null | grep -qix "${l/UTF-8/utf8}" || generate+=("$l")
done
if [ ${#generate[@]} -gt 0 ]; then
  for l in "${generate[@]}"; do
    $SUDO sed -i "s/^# *\(${l} UTF-8\)/\1/" /etc/locale.gen
    grep -q "^${l} UTF-8" /etc/locale.gen || echo "${l} UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
  done
  $SUDO locale-gen
fi
