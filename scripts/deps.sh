#!/bin/sh
# Installs what the tests need (Debian packages), once.
set -e
if [ -f /usr/include/criterion/criterion.h ]; then exit 0; fi
echo "deps: installing libcriterion-dev" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libcriterion-dev >/dev/null
