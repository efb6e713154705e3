#!/usr/bin/env bash
# The main job on the embedded default: a throwaway home (SQLite), a servicer and a loan, a letter with an
# exhibit, a formal notice for certified mail as a PDF, its mailing recorded, its timeline, and an evidence
# bundle that verify checks. No mail server is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/loanmail-demo.XXXXXX")
home="$work/home"
L() { node bin/loanmail.js --home "$home" "$@"; }
step() { printf '\n\033[1m$ loanmail %s\033[0m\n' "$*"; L "$@"; }

step init --name "Jane Q. Doe" --email jane@example.test \
  --address '12 Elm St\nSpringfield, IL 62701' --phone 555-123-4567 --timezone America/Chicago
step servicer add "Mr. Cooper" --domain servicer.test --email help@servicer.test \
  --notice-address 'Mr. Cooper\nAttn: Notice of Error\nPO Box 619098\nDallas, TX 75261-9741' --payoff-email payoff@servicer.test
step loan add --servicer "Mr. Cooper" --account 1234567 --property "12 Elm St, Springfield, IL 62701" \
  --borrower "Jane Q. Doe"
step compose payment-application --loan 1 --set payment-date=2026-03-01 --set amount=1500 \
  --summary "On March 1, 2026 I paid \$1,500.00 online (confirmation 88812). My April statement shows the payment in a suspense account instead of applied to the loan." \
  --attach "examples/proof-of-payment.pdf=Proof of payment 2026-03-01"
step show 1
step compose notice-of-error --loan 1 --set error="my payment of \$1,500.00 made on 2026-03-01 was placed in suspense instead of being applied" \
  --set error-date=2026-03-01 --set amount=1500 \
  --summary "I wrote about this payment by email and have had no correction." \
  --attach "examples/proof-of-payment.pdf=Proof of payment 2026-03-01"
step show 2 --pdf "$work/notice-of-error.pdf"
step mailed 2 --tracking 9407111899223197428490
step timeline 2
step export 2 --out "$work/evidence.zip"
step verify "$work/evidence.zip"
step cases
printf '\nHome: %s\nPrintable notice of error: %s\nEvidence bundle: %s\n' "$home" "$work/notice-of-error.pdf" "$work/evidence.zip"
