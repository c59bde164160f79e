#!/usr/bin/env bash
# The system tools the tests need, checked (and on Debian installed) before they run.
# Shared by .ci/run and package.json ("pretest", "pretest:integration", "pretest:e2e").
#
#   bash scripts/prerequisites.sh [oracle] [browser]      (no argument: both)
#
#   oracle   libsepol differential test (server/xsm/oracle/, `npm run test:integration`): gcc
#            (gcc); the C headers and startup files sepol-oracle.c is built with (libc6-dev,
#            checked by stdio.h); libsepol.a and the <sepol/...> headers (libsepol-dev);
#            checkpolicy on PATH (checkpolicy); and curl for the curl walkthrough in examples/
#            (server/api/examples.int.test.ts) (curl)
#   browser  Playwright (`npm run test:e2e`): /usr/bin/chromium (chromium)
#
# All present: prints nothing, exits 0. Something missing: when this user can install (root, or
# passwordless sudo) and apt-get exists, installs exactly the missing Debian packages and checks
# again; otherwise exits 1 with one message naming what is missing and the command to run.
# Nothing is skipped: the tests do not run without their tools.
set -euo pipefail

# Fixed paths, as in server/xsm/oracle/oracle.ts and playwright.config.ts.
LIBSEPOL_A=/usr/lib/x86_64-linux-gnu/libsepol.a
SEPOL_HEADER=/usr/include/sepol/policydb/services.h
LIBC_HEADER=/usr/include/stdio.h
CHROMIUM=/usr/bin/chromium

groups="${*:-oracle browser}"
for group in $groups; do
  case "$group" in
    oracle | browser) ;;
    *) echo "prerequisites.sh: unknown group '$group' (expected: oracle, browser)" >&2; exit 2 ;;
  esac
done

missing=""  # what is missing, "; "-separated, for the message
packages="" # the Debian packages providing it, space-separated, each once

need() { # need <debian-package> <what is missing>
  missing="${missing:+$missing; }$2"
  case " $packages " in *" $1 "*) ;; *) packages="${packages:+$packages }$1" ;; esac
}

check() {
  missing=""
  packages=""
  for group in $groups; do
    case "$group" in
      oracle)
        command -v gcc >/dev/null 2>&1 || need gcc "gcc"
        [ -f "$LIBC_HEADER" ] || need libc6-dev "C library headers ($LIBC_HEADER)"
        [ -f "$LIBSEPOL_A" ] || need libsepol-dev "$LIBSEPOL_A"
        [ -f "$SEPOL_HEADER" ] || need libsepol-dev "libsepol headers ($SEPOL_HEADER)"
        command -v checkpolicy >/dev/null 2>&1 || need checkpolicy "checkpolicy (on PATH)"
        command -v curl >/dev/null 2>&1 || need curl "curl (on PATH)"
        ;;
      browser)
        [ -x "$CHROMIUM" ] || need chromium "$CHROMIUM"
        ;;
    esac
  done
  [ -z "$missing" ]
}

check && exit 0

# Who can install: root directly, anyone else only through sudo that does not ask for a password.
can_install=yes
as_root=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root="sudo -n"
  else
    can_install=no
  fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "prerequisites: the tests need: $missing. apt-get not found: install the equivalent of" \
    "Debian's $packages with this system's package manager (the paths are fixed in" \
    "playwright.config.ts and server/xsm/oracle/oracle.ts)." >&2
  exit 1
fi

command_to_run="sudo apt-get update && sudo apt-get install -y $packages"
[ "$(id -u)" -eq 0 ] && command_to_run="apt-get update && apt-get install -y $packages"

if [ "$can_install" = no ]; then
  echo "prerequisites: the tests need: $missing. Install with: $command_to_run" >&2
  exit 1
fi

echo "prerequisites: installing $packages (missing: $missing)"
log=$(mktemp)
# shellcheck disable=SC2086 # $as_root and $packages are meant to split into words
if ! { $as_root apt-get update -qq &&
  $as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends $packages; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  rm -f "$log"
  echo "prerequisites: installing failed (apt-get's output above). Install with: $command_to_run" >&2
  exit 1
fi
rm -f "$log"

if ! check; then
  note=""
  case "$missing" in
    *"$LIBSEPOL_A"*) note=" oracle.ts links $LIBSEPOL_A, Debian's x86_64 path; this machine is $(uname -m)." ;;
  esac
  echo "prerequisites: apt-get installed $packages, but these are still missing: $missing.$note" \
    "See what the packages provide: dpkg -L $packages" >&2
  exit 1
fi
