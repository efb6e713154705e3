#!/usr/bin/env bash
# System tools the test suite uses, installed from Debian when missing (tests fail loudly without them):
# pdftoppm/pdftotext (poppler-utils) to render letters, setpriv (util-linux) to run the CLI unprivileged,
# unzip to open evidence bundles as a recipient would, Debian's chromium to open the bundle's report, and tmux
# to answer the CLI's prompts on a real terminal, zsh and fish to load the completion
# scripts, and openssl to make a certificate for doctor's TLS check.
set -euo pipefail
need=()
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
((${#need[@]} == 0)) && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "test-deps: missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root" >&2
  exit 1
fi
echo "test-deps: installing ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
