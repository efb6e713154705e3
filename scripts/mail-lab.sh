#!/usr/bin/env bash
# A local mail lab for tests and demos: real Postfix (SMTP) and Dovecot (IMAP/LMTP) on 127.0.0.1 only.
#
#   bash scripts/mail-lab.sh start    install what is missing (root), then start both servers (idempotent)
#   bash scripts/mail-lab.sh stop     stop the servers this lab started (by the pid files in its own folders)
#   bash scripts/mail-lab.sh status   print state; exit 0 only if both are up and every port answers
#   bash scripts/mail-lab.sh env      print `export` lines for scripts and tests: eval "$(bash scripts/mail-lab.sh env)"
#
# State lives in ${LOANMAIL_LAB_DIR:-<project>/.lab} (git-ignored). Users (password $LOANMAIL_LAB_PASSWORD,
# default lab-password): borrower@example.test help@servicer.test notices@servicer.test payoff@servicer.test
# tempfail@example.test (every RCPT TO this one gets "450 4.2.0 try later").
#
# Ports (127.0.0.1):
#   10025 SMTP "servicer's MX": STARTTLS offered, no AUTH, local domains only
#   10587 submission: STARTTLS required, AUTH (Dovecot SASL) required
#   10465 submissions (implicit TLS), AUTH required
#   10588 plaintext-only SMTP (no STARTTLS, no AUTH; local domains only) for "server without TLS" tests
#   10143 IMAP with STARTTLS, 10993 IMAPS, 10994 IMAPS presenting a second, untrusted certificate (own Dovecot instance)
#   (Dovecot counts a client whose address equals the server's, 127.0.0.1 here, as "secured": it accepts LOGIN on
#   10143 before STARTTLS despite ssl = required; only Postfix refuses AUTH without TLS.)
# Nothing is ever relayed outside: RCPT TO another domain is refused (554 without AUTH, 550 5.1.1 with it), and
# Postfix's default/relay transports are "error:" anyway.
#
# The daemons never keep the caller's stdin/stdout/stderr: `execFileSync("bash", ["scripts/mail-lab.sh", "start"])`
# returns as soon as the servers answer.
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# The servers run as their own users, who must be able to enter every folder above the lab, and unix socket
# paths are short: a clone under a private (0700) or deep folder puts its lab under /var/tmp instead.
default_lab() {
  local dir="$ROOT" ok=1
  while [ "$dir" != "/" ]; do
    [ $(( $(stat -c %a "$dir" | sed 's/^.*\(.\)$/\1/') & 1 )) -eq 1 ] || ok=0
    dir="$(dirname "$dir")"
  done
  if ((ok)) && ((${#ROOT} <= 40)); then
    echo "$ROOT/.lab"
  else
    echo "/var/tmp/loanmail-lab-$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)"
  fi
}
LAB="${LOANMAIL_LAB_DIR:-$(default_lab)}"
LAB="$(realpath -m -- "$LAB")"
readonly LAB
readonly PASSWORD="${LOANMAIL_LAB_PASSWORD:-lab-password}"
readonly HOST=127.0.0.1
readonly PORT_MX=10025 PORT_SUBMISSION=10587 PORT_SMTPS=10465 PORT_PLAIN=10588
readonly PORT_IMAP=10143 PORT_IMAPS=10993 PORT_IMAPS_UNTRUSTED=10994
readonly POSTFIX_PORTS=("$PORT_MX" "$PORT_SUBMISSION" "$PORT_SMTPS" "$PORT_PLAIN")
# A pool of borrowers (b01..b40@example.test) lets each integration test own a mailbox, so counts are exact.
POOL=()
for i in $(seq -w 1 40); do POOL+=("b$i@example.test"); done
readonly USERS=(borrower@example.test help@servicer.test notices@servicer.test payoff@servicer.test tempfail@example.test "${POOL[@]}")
readonly DOMAINS=(example.test servicer.test)
readonly PACKAGES=(dovecot-imapd dovecot-lmtpd postfix openssl)

CHANGED=0
readonly TLS="$LAB/tls" LOG="$LAB/log" MAIL="$LAB/mail"
readonly PF_CONF="$LAB/postfix" PF_QUEUE="$LAB/postfix-queue" PF_DATA="$LAB/postfix-data"
readonly DC_CONF="$LAB/dovecot" DC_RUN="$LAB/run" DC_STATE="$LAB/dovecot/state"
readonly DCU_CONF="$LAB/dovecot/dovecot-untrusted.conf" DCU_RUN="$LAB/run-untrusted" DCU_STATE="$LAB/dovecot/state-untrusted"
readonly PF_PID="$PF_QUEUE/pid/master.pid" DC_PID="$DC_RUN/master.pid" DCU_PID="$DCU_RUN/master.pid"
readonly PF_LOG="$LOG/postfix.log" DC_LOG="$LOG/dovecot.log" DCU_LOG="$LOG/dovecot-untrusted.log"
readonly PF_STDIO="$LOG/postfix-start.log" DC_STDIO="$LOG/dovecot-start.log" DCU_STDIO="$LOG/dovecot-untrusted-start.log"

say() { printf 'mail-lab: %s\n' "$*"; }
die() { printf 'mail-lab: error: %s\n' "$*" >&2; exit 1; }
declare -A LOG_MARK=() # log file -> its size before this start, so failures show only what this start wrote
mark_logs() {
  local f
  for f in "$@"; do LOG_MARK[$f]="$(stat -c %s -- "$f" 2>/dev/null || echo 0)"; done
}
show_tail() { # file...
  local f from
  for f in "$@"; do
    [ -s "$f" ] || continue
    from="${LOG_MARK[$f]:-0}"
    (($(stat -c %s -- "$f") > from)) || continue
    printf -- '--- %s (last lines written by this start) ---\n' "$f" >&2
    tail -c "+$((from + 1))" -- "$f" | tail -n 30 >&2
  done
}

# ---------------------------------------------------------------------------------------------------- helpers

port_answers() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; } # a real connection (logged by the servers)

# Ports with a listening socket on $HOST or 0.0.0.0 (hex, as in /proc/net/tcp): no connection, no log noise.
listening_ports() {
  awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); if (a[1] == "0100007F" || a[1] == "00000000") printf " %s", a[2] }
       END { print " " }' /proc/net/tcp
}
ports_listening() { # port... : all listening?
  local have p hex
  have="$(listening_ports)"
  for p in "$@"; do
    printf -v hex '%04X' "$p"
    [[ $have == *" $hex "* ]] || return 1
  done
}
port_listening() { ports_listening "$1"; }

# A process that exists and is not a zombie (an exited master stays a zombie until init reaps it).
pid_alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# Print the pid from a pid file if that process is alive and is the expected program run for this lab.
live_pid() { # pidfile comm check-kind
  local file=$1 comm=$2 kind=$3 pid
  [ -r "$file" ] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [ -n "$pid" ] && pid_alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || return 1
  case $kind in
    postfix) # its working directory is its queue (unreadable unless root: then the pid file and name must do)
      local cwd
      cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
      [ -z "$cwd" ] || [ "$cwd" = "$PF_QUEUE" ] || return 1
      ;;
    /*) tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$kind" || return 1 ;; # its config file
  esac
  printf '%s\n' "$pid"
}
postfix_pid() { live_pid "$PF_PID" master postfix; }
dovecot_pid() { live_pid "$DC_PID" dovecot "$DC_CONF/dovecot.conf"; }
dovecot_untrusted_pid() { live_pid "$DCU_PID" dovecot "$DCU_CONF"; }

# Run a daemon launcher detached from the caller's stdio and from every inherited descriptor (the lock too).
detached() { # logfile command...
  local out=$1; shift
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
    done
    exec "$@"
  ) </dev/null >>"$out" 2>&1
}

backdate() { touch -d "@$(($(date +%s) - 60))" -- "$@"; } # Postfix sleeps while main.cf is younger than 2 s

write_if_changed() { # path mode owner:group ; content on stdin
  local path=$1 mode=$2 owner=$3 tmp
  tmp="$(mktemp "$path.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path"; then
    rm -f -- "$tmp"
  else
    mv -f -- "$tmp" "$path"
    CHANGED=1
  fi
}

# ---------------------------------------------------------------------------------------------------- install

ensure_packages() {
  local missing=() p st
  for p in "${PACKAGES[@]}"; do
    st="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
    [ "${st:0:2}" = "ii" ] || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}: run as root (apt-get install ${missing[*]})"
  say "installing ${missing[*]} (once; about 20 s)"
  # Never let the packages start the system-wide postfix/dovecot: a policy-rc.d that refuses starts, only while
  # we install, unless the machine already has one.
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  local log="/tmp/mail-lab-apt.$$.log" rc=0
  {
    printf '%s\n' 'postfix postfix/main_mailer_type select No configuration' \
      'postfix postfix/mailname string example.test' | debconf-set-selections &&
      apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
  } </dev/null >"$log" 2>&1 || rc=$?
  ((own_policy)) && rm -f -- "$policy"
  if ((rc != 0)); then
    show_tail "$log"
    die "package installation failed (full log: $log)"
  fi
  rm -f -- "$log"
  # On a host running systemd the packages enable their units for the next boot: this lab runs its own instances.
  if [ -d /run/systemd/system ]; then
    for p in "${missing[@]}"; do
      case $p in
        postfix) systemctl disable postfix >/dev/null 2>&1 || true ;;
        dovecot-*) systemctl disable dovecot >/dev/null 2>&1 || true ;;
      esac
    done
  fi
  local u
  for u in postfix dovecot dovenull mail; do id "$u" >/dev/null 2>&1 || die "user $u missing after installing packages"; done
}

# ---------------------------------------------------------------------------------------------------- layout

check_traversable() {
  local u d path
  for u in postfix mail dovecot; do
    if ! setpriv --reuid="$u" --regid="$u" --clear-groups -- test -x "$LAB/." 2>/dev/null; then
      path=""
      IFS=/ read -r -a parts <<<"${LAB#/}"
      for d in "${parts[@]}"; do
        path="$path/$d"
        if ! setpriv --reuid="$u" --regid="$u" --clear-groups -- test -x "$path/." 2>/dev/null; then
          die "folder $path (mode $(stat -c %a "$path")) cannot be entered by user '$u', which the mail servers run as;" \
            "run 'chmod o+x $path' or put the lab elsewhere with LOANMAIL_LAB_DIR=/some/traversable/folder"
        fi
      done
      die "folder $LAB cannot be entered by user '$u'"
    fi
  done
}

prepare_dirs() {
  mkdir -p -- "$LAB"
  chmod 755 -- "$LAB"
  install -d -m 755 -- "$TLS" "$LOG" "$PF_CONF" "$DC_CONF"
  install -d -m 750 -o root -g dovecot -- "$DC_STATE" "$DCU_STATE"
  install -d -m 755 -- "$PF_QUEUE"
  install -d -m 700 -o postfix -g postfix -- "$PF_DATA"
  install -d -m 700 -o mail -g mail -- "$MAIL"
  local u
  for u in "${USERS[@]}"; do
    install -d -m 700 -o mail -g mail -- "$MAIL/${u#*@}" "$MAIL/${u#*@}/${u%@*}"
  done
}

make_cert() { # name CN
  local name=$1 cn=$2 cnf
  [ -s "$TLS/$name.pem" ] && [ -s "$TLS/$name-key.pem" ] && return 0
  cnf="$TLS/$name.cnf"
  cat >"$cnf" <<EOF
[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
O = loanmail mail lab
CN = $cn
[v3]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
EOF
  local log="$TLS/$name.openssl.log"
  if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -config "$cnf" \
    -keyout "$TLS/$name-key.pem.tmp" -out "$TLS/$name.pem.tmp" >"$log" 2>&1; then
    show_tail "$log"
    die "openssl could not make the $name certificate"
  fi
  chmod 600 "$TLS/$name-key.pem.tmp"
  chmod 644 "$TLS/$name.pem.tmp"
  mv -f "$TLS/$name-key.pem.tmp" "$TLS/$name-key.pem"
  mv -f "$TLS/$name.pem.tmp" "$TLS/$name.pem"
  rm -f -- "$log"
}

# ---------------------------------------------------------------------------------------------------- dovecot

dovecot_common() { # settings shared by both Dovecot instances
  cat <<EOF
log_timestamp = "%Y-%m-%d %H:%M:%S "
auth_verbose = yes
listen = $HOST
shutdown_clients = yes

ssl = required
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
# A wrong password fails at once (default: after 2 s), so failure tests stay fast.
auth_failure_delay = 0

first_valid_uid = 1
first_valid_gid = 1
mail_uid = mail
mail_gid = mail
mail_location = maildir:~/Maildir
mail_max_userip_connections = 100

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $DC_CONF/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $DC_CONF/users
  default_fields = uid=mail gid=mail home=$MAIL/%Ld/%Ln
}

namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}

protocol imap {
  mail_max_userip_connections = 100
}

# No per-IP auth penalty (after failed logins every later auth from that IP waits 2, 4, 8, up to 15 s, and every
# test comes from 127.0.0.1): move anvil's penalty socket away, so auth's connect fails at once with ENOENT.
# (The documented "mode = 0" makes the auth process retry that connect for 5 s at its start.)
service anvil {
  unix_listener anvil-auth-penalty {
    path = anvil-auth-penalty-disabled
  }
}
EOF
}

write_users() {
  [[ $PASSWORD != *:* && $PASSWORD != *$'\n'* && -n $PASSWORD ]] || die "LOANMAIL_LAB_PASSWORD must be non-empty and contain no ':' or newline"
  local u
  write_if_changed "$DC_CONF/users" 640 root:dovecot < <(
    for u in "${USERS[@]}"; do printf '%s:{PLAIN}%s::::::\n' "$u" "$PASSWORD"; done
  )
}

write_dovecot_config() {
  write_users
  {
    cat <<EOF
# Generated by scripts/mail-lab.sh: edits are overwritten at the next start.
# The main instance: IMAP+STARTTLS, IMAPS, LMTP and SASL auth for Postfix.
instance_name = loanmail-lab
base_dir = $DC_RUN
state_dir = $DC_STATE
log_path = $DC_LOG
info_log_path = $DC_LOG
debug_log_path = $DC_LOG
protocols = imap lmtp
ssl_cert = <$TLS/ca.pem
ssl_key = <$TLS/ca-key.pem
EOF
    dovecot_common
    cat <<EOF

service imap-login {
  inet_listener imap {
    address = $HOST
    port = $PORT_IMAP
  }
  inet_listener imaps {
    address = $HOST
    port = $PORT_IMAPS
    ssl = yes
  }
}

service lmtp {
  unix_listener lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}

service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
  } | write_if_changed "$DC_CONF/dovecot.conf" 644 root:root
  {
    cat <<EOF
# Generated by scripts/mail-lab.sh: edits are overwritten at the next start.
# A second instance on the same users and Maildirs whose only listener (IMAPS) presents a certificate nobody
# trusts: Dovecot 2.3 picks certificates per local IP or SNI name, not per port, so it needs its own instance.
instance_name = loanmail-lab-untrusted
base_dir = $DCU_RUN
state_dir = $DCU_STATE
log_path = $DCU_LOG
info_log_path = $DCU_LOG
debug_log_path = $DCU_LOG
protocols = imap
ssl_cert = <$TLS/untrusted.pem
ssl_key = <$TLS/untrusted-key.pem
EOF
    dovecot_common
    cat <<EOF

service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = $HOST
    port = $PORT_IMAPS_UNTRUSTED
    ssl = yes
  }
}
EOF
  } | write_if_changed "$DCU_CONF" 644 root:root
}

start_dovecot() { # main|untrusted
  local which=$1 conf stdio ports
  if [ "$which" = main ]; then
    dovecot_pid >/dev/null && return 0
    conf="$DC_CONF/dovecot.conf" stdio="$DC_STDIO" ports=("$PORT_IMAP" "$PORT_IMAPS")
    rm -f -- "$DC_PID" # stale (checked above): Dovecot would refuse to start while that pid exists, even as a zombie
  else
    dovecot_untrusted_pid >/dev/null && return 0
    conf="$DCU_CONF" stdio="$DCU_STDIO" ports=("$PORT_IMAPS_UNTRUSTED")
    rm -f -- "$DCU_PID"
  fi
  : >"$stdio"
  if ! detached "$stdio" dovecot -c "$conf"; then
    show_tail "$stdio"
    die "dovecot ($which) did not start (servers that did start keep running: 'bash scripts/mail-lab.sh stop')"
  fi
}

# ---------------------------------------------------------------------------------------------------- postfix

write_postfix_config() {
  local u
  for u in "${USERS[@]}"; do printf '%s OK\n' "$u"; done | write_if_changed "$PF_CONF/virtual_mailboxes" 644 root:root
  printf 'tempfail@example.test 450 4.2.0 try later\n' | write_if_changed "$PF_CONF/recipient_access" 644 root:root
  write_if_changed "$PF_CONF/main.cf" 644 root:root <<EOF
# Generated by scripts/mail-lab.sh: edits are overwritten at the next start.
compatibility_level = 3.6
queue_directory = $PF_QUEUE
data_directory = $PF_DATA
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-lab
maillog_file = $PF_LOG
maillog_file_prefixes = $LOG/
biff = no

myhostname = mx.lab.loanmail.test
mydomain = lab.loanmail.test
myorigin = \$myhostname
mydestination =
local_recipient_maps =
local_transport = error:local delivery disabled in the lab
alias_maps =
alias_database =
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtp_dns_support_level = disabled

# Nothing ever leaves this machine.
default_transport = error:outside mail disabled in the lab
relay_transport = error:outside mail disabled in the lab
relay_domains =

virtual_mailbox_domains = ${DOMAINS[*]}
virtual_mailbox_maps = texthash:$PF_CONF/virtual_mailboxes
virtual_transport = lmtp:unix:$DC_RUN/lmtp
message_size_limit = 41943040
mailbox_size_limit = 0
virtual_mailbox_limit = 0

smtpd_banner = \$myhostname ESMTP loanmail lab
smtpd_error_sleep_time = 0
smtpd_tls_cert_file = $TLS/ca.pem
smtpd_tls_key_file = $TLS/ca-key.pem
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DC_RUN/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_tls_auth_only = yes

# The "MX" (port $PORT_MX) and the plaintext listener ($PORT_PLAIN): local domains only, no AUTH.
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:$PF_CONF/recipient_access, reject_unlisted_recipient

# Submission listeners (ports $PORT_SUBMISSION, $PORT_SMTPS): TLS, then AUTH. Recipients in other domains are refused
# at RCPT by reject_unlisted_recipient (550 5.1.1 "outside mail disabled in the lab", from the error transport).
lab_submission_client_restrictions = permit_sasl_authenticated, reject
lab_submission_relay_restrictions = permit_sasl_authenticated, reject
lab_submission_recipient_restrictions = check_recipient_access texthash:$PF_CONF/recipient_access, reject_unlisted_recipient, permit_sasl_authenticated, reject
EOF
  write_if_changed "$PF_CONF/master.cf" 644 root:root <<EOF
# Generated by scripts/mail-lab.sh. No chroot anywhere, so absolute socket paths work.
# service   type  private unpriv  chroot  wakeup  maxproc command + args
$HOST:$PORT_MX inet n - n - - smtpd
  -o syslog_name=postfix-lab/mx
$HOST:$PORT_SUBMISSION inet n - n - - smtpd
  -o syslog_name=postfix-lab/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=\$lab_submission_client_restrictions
  -o smtpd_relay_restrictions=\$lab_submission_relay_restrictions
  -o smtpd_recipient_restrictions=\$lab_submission_recipient_restrictions
$HOST:$PORT_SMTPS inet n - n - - smtpd
  -o syslog_name=postfix-lab/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=\$lab_submission_client_restrictions
  -o smtpd_relay_restrictions=\$lab_submission_relay_restrictions
  -o smtpd_recipient_restrictions=\$lab_submission_recipient_restrictions
$HOST:$PORT_PLAIN inet n - n - - smtpd
  -o syslog_name=postfix-lab/plain
  -o smtpd_tls_security_level=none
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  backdate "$PF_CONF/main.cf" "$PF_CONF/master.cf" "$PF_CONF/virtual_mailboxes" "$PF_CONF/recipient_access"
}

start_postfix() {
  if postfix_pid >/dev/null; then return 0; fi
  write_postfix_config
  : >"$PF_STDIO"
  if ! detached "$PF_STDIO" postfix -c "$PF_CONF" start; then
    show_tail "$PF_STDIO" "$PF_LOG"
    die "postfix did not start (servers that did start keep running: 'bash scripts/mail-lab.sh stop')"
  fi
}

# ---------------------------------------------------------------------------------------------------- commands

# The three servers: name, pid function, ports, logs to show on failure.
readonly SERVERS=(dovecot dovecot-untrusted postfix)
server_pid() {
  case $1 in
    dovecot) dovecot_pid ;;
    dovecot-untrusted) dovecot_untrusted_pid ;;
    postfix) postfix_pid ;;
  esac
}
server_ports() {
  case $1 in
    dovecot) echo "$PORT_IMAP $PORT_IMAPS" ;;
    dovecot-untrusted) echo "$PORT_IMAPS_UNTRUSTED" ;;
    postfix) echo "${POSTFIX_PORTS[*]}" ;;
  esac
}
server_logs() {
  case $1 in
    dovecot) echo "$DC_STDIO $DC_LOG" ;;
    dovecot-untrusted) echo "$DCU_STDIO $DCU_LOG" ;;
    postfix) echo "$PF_STDIO $PF_LOG" ;;
  esac
}
server_up() { # name: running and every port answers
  local ports
  server_pid "$1" >/dev/null || return 1
  read -r -a ports <<<"$(server_ports "$1")"
  ports_listening "${ports[@]}"
}

wait_up() { # name
  local name=$1 i ports logs
  for ((i = 0; i < 200; i++)); do # 10 s
    server_up "$name" && return 0
    sleep 0.05
  done
  read -r -a logs <<<"$(server_logs "$name")"
  show_tail "${logs[@]}"
  if server_pid "$name" >/dev/null; then
    die "$name is running but not all of ports $(server_ports "$name") on $HOST listen after 10 s"
  fi
  die "$name did not start (see the log lines above; servers that did start keep running: 'bash scripts/mail-lab.sh stop')"
}

all_up() {
  local s
  for s in "${SERVERS[@]}"; do server_up "$s" || return 1; done
}

cmd_start() {
  if all_up; then
    # Only keep the users file in step with LOANMAIL_LAB_PASSWORD. Dovecot re-reads it when it changes, but
    # looks at most once a second: wait that out so the next login already sees the new password.
    if [ "$(id -u)" = 0 ]; then
      CHANGED=0
      write_users
      if ((CHANGED)); then
        say "password changed: users file rewritten"
        sleep 1.1
      fi
    fi
    say "already running ($LAB)"
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "start must run as root (it installs packages and starts servers as their own users)"
  # Unix socket paths are limited to 107 bytes; Dovecot's longest names under base_dir are about 30.
  ((${#DCU_RUN} <= 70)) || die "lab folder path too long for unix sockets ($DCU_RUN): set LOANMAIL_LAB_DIR to a shorter path"
  ensure_packages
  mkdir -p -- "$LAB"
  chmod 755 -- "$LAB"
  exec 9>"$LAB/.lock"
  flock -w 60 9 || die "another mail-lab command holds $LAB/.lock"
  check_traversable
  prepare_dirs
  make_cert ca "loanmail lab localhost"
  make_cert untrusted "loanmail lab UNTRUSTED localhost"
  # Before launching anything: the ports of every server that is not running must be free.
  local s p ports taken=()
  for s in "${SERVERS[@]}"; do
    server_pid "$s" >/dev/null && continue
    read -r -a ports <<<"$(server_ports "$s")"
    for p in "${ports[@]}"; do port_listening "$p" && taken+=("$p"); done
  done
  ((${#taken[@]} == 0)) || die "port(s) ${taken[*]} on $HOST already taken by another program (another lab with a" \
    "different LOANMAIL_LAB_DIR, or leftovers of one?); see 'ss -ltnp', or stop that lab first"
  write_dovecot_config
  mark_logs "$DC_LOG" "$DCU_LOG" "$PF_LOG"
  # Launch all three, then wait: their start-ups overlap. Postfix needs Dovecot's sockets only per message.
  start_dovecot main
  start_dovecot untrusted
  start_postfix
  wait_up dovecot
  wait_up dovecot-untrusted
  wait_up postfix
  say "running: dovecot pid $(dovecot_pid), dovecot-untrusted pid $(dovecot_untrusted_pid), postfix pid $(postfix_pid); state in $LAB"
}

cmd_stop() {
  [ -d "$LAB" ] || {
    say "nothing to stop ($LAB does not exist)"
    return 0
  }
  exec 9>"$LAB/.lock"
  flock -w 60 9 || die "another mail-lab command holds $LAB/.lock"
  local s pid pids=() names=() i rc=0 left
  # SIGTERM every master first so their shutdowns overlap, then wait up to 10 s for all.
  for s in "${SERVERS[@]}"; do
    if pid="$(server_pid "$s")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid") names+=("$s")
    else
      say "$s not running"
    fi
  done
  for ((i = 0; i < 200; i++)); do
    left=0
    for pid in "${pids[@]}"; do pid_alive "$pid" && left=1; done
    ((left)) || break
    sleep 0.05
  done
  for i in "${!pids[@]}"; do
    if pid_alive "${pids[$i]}"; then
      printf 'mail-lab: error: %s (pid %s) still running 10 s after SIGTERM\n' "${names[$i]}" "${pids[$i]}" >&2
      rc=1
    else
      say "${names[$i]} stopped (pid ${pids[$i]})"
    fi
  done
  return $rc
}

cmd_status() {
  local rc=0 s pid p ports down
  for s in "${SERVERS[@]}"; do
    read -r -a ports <<<"$(server_ports "$s")"
    down=()
    for p in "${ports[@]}"; do port_answers "$p" || down+=("$p"); done
    if pid="$(server_pid "$s")"; then
      if ((${#down[@]} == 0)); then
        say "$s running (pid $pid); $HOST ports ${ports[*]} answer"
      else
        say "$s running (pid $pid) but $HOST ports ${down[*]} do not answer"
        rc=1
      fi
    else
      if ((${#down[@]} < ${#ports[@]})); then
        say "$s not running (but some of ports ${ports[*]} answer: another program?)"
      else
        say "$s not running"
      fi
      rc=1
    fi
  done
  say "state in $LAB"
  return $rc
}

cmd_env() {
  cat <<EOF
export LOANMAIL_LAB_DIR=$(printf '%q' "$LAB")
export LOANMAIL_LAB_CA=$(printf '%q' "$TLS/ca.pem")
export LOANMAIL_LAB_UNTRUSTED_CERT=$(printf '%q' "$TLS/untrusted.pem")
export LOANMAIL_LAB_HOST=$HOST
export LOANMAIL_LAB_SMTP_PORT=$PORT_MX
export LOANMAIL_LAB_SUBMISSION_PORT=$PORT_SUBMISSION
export LOANMAIL_LAB_SMTPS_PORT=$PORT_SMTPS
export LOANMAIL_LAB_PLAIN_SMTP_PORT=$PORT_PLAIN
export LOANMAIL_LAB_IMAP_PORT=$PORT_IMAP
export LOANMAIL_LAB_IMAPS_PORT=$PORT_IMAPS
export LOANMAIL_LAB_IMAPS_UNTRUSTED_PORT=$PORT_IMAPS_UNTRUSTED
export LOANMAIL_LAB_PASSWORD=$(printf '%q' "$PASSWORD")
export LOANMAIL_LAB_USERS=$(printf '%q' "${USERS[*]:0:5}")
export LOANMAIL_LAB_POOL="b01..b40@example.test"
export LOANMAIL_LAB_BORROWER=borrower@example.test
export LOANMAIL_LAB_SERVICER=help@servicer.test
export LOANMAIL_LAB_NOTICES=notices@servicer.test
export LOANMAIL_LAB_PAYOFF=payoff@servicer.test
export LOANMAIL_LAB_TEMPFAIL=tempfail@example.test
export LOANMAIL_LAB_MAIL_DIR=$(printf '%q' "$MAIL")  # Maildir of user@domain: \$LOANMAIL_LAB_MAIL_DIR/domain/user/Maildir
export LOANMAIL_LAB_DOVECOT_LOG=$(printf '%q' "$DC_LOG")
export LOANMAIL_LAB_POSTFIX_LOG=$(printf '%q' "$PF_LOG")
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: bash scripts/mail-lab.sh start|stop|status|env" >&2
    exit 2
    ;;
esac
