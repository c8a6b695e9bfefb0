#!/usr/bin/env bash
# Run a command with a private, unlocked Secret Service (gnome-keyring) on this D-Bus session.
# Used by test/run.mjs under `dbus-run-session`, so tests use a real OS keychain that is
# isolated from the developer's own login keyring.
set -euo pipefail
keyring_home=$(mktemp -d -t vigil-keyring-XXXXXX)
export XDG_DATA_HOME="$keyring_home/data"
mkdir -p "$XDG_DATA_HOME"
# Unlocking with a password creates the "login" collection and makes it the default.
eval "$(printf 'vigil-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
export VIGIL_TEST_KEYRING=isolated
trap 'rm -rf "$keyring_home"' EXIT
"$@"
