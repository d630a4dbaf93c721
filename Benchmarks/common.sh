# Shared by the benchmark scripts (sourced, not run): usage and error messages, the tools
# they need, and the release binaries. Set USAGE_LINES (the header lines `--help` prints)
# before sourcing.

SCRIPT="$(basename "$0")"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
    sed -n "2,${USAGE_LINES}p" "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

fail() {
    echo "$SCRIPT: $*" >&2
    exit 1
}

# Fails unless GNU time (for peak RSS) and python3 (for the tables) are installed.
require_tools() {
    if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true > /dev/null 2>&1; then
        fail "GNU time is missing at /usr/bin/time; install the Debian package: apt-get install -y time"
    fi
    command -v python3 > /dev/null || fail "python3 is needed to $1"
}

# Sets BIN to the folder of the release binaries: TRAILAUDIT_BIN_DIR, or a fresh build.
find_binaries() {
    if [[ -n "${TRAILAUDIT_BIN_DIR:-}" ]]; then
        BIN="$(cd "$TRAILAUDIT_BIN_DIR" && pwd)"
        echo "using binaries in $BIN (TRAILAUDIT_BIN_DIR)" >&2
    else
        echo "building release binaries (swift build -c release) ..." >&2
        (cd "$REPO" && swift build -c release >&2) || fail "swift build -c release failed"
        BIN="$(cd "$REPO" && swift build -c release --show-bin-path)"
    fi
}
