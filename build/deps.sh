#!/bin/sh
# Install what building (and, with "test", testing) mod_cors needs on
# Debian or Ubuntu, when it is missing.  Does nothing when all is there.
set -eu

pkgs="make gcc libc6-dev apache2 apache2-dev libpsl-dev libpcre2-dev publicsuffix"
if [ "${1:-}" = test ]; then
    pkgs="$pkgs libapache2-mod-perl2 libwww-perl curl clang libclang-rt-14-dev"
    pkgs="$pkgs chromium dpkg-dev debhelper wrk valgrind cppcheck clang-tidy clang-tools-14"
    # the browser suite needs node and npm; any recent install will do
    command -v npm >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
fi

missing=
for p in $pkgs; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "mod_cors needs:$missing (run as root to install them)" >&2
        exit 1
    fi
else
    sudo=
fi
echo "Installing:$missing"
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends $missing >/dev/null
