# Shared helpers for scripts/run and scripts/test (sourced, not executed).
# Both commands must work on a fresh machine: they create the venv, install what is missing and
# never assume anything was installed by hand.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# apt_install PKG...: install Debian packages (root, or sudo when available); `apt-get update` once.
_APT_UPDATED=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install: $*"
        sudo="sudo"
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these yourself: $*"
    if [ "$_APT_UPDATED" -eq 0 ]; then
        note "apt-get update"
        $sudo apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null
        _APT_UPDATED=1
    fi
    note "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=600 "$@" >/dev/null
}

# ensure_venv REQUIREMENTS_FILE: create .venv if missing and pip-install the file, skipping the
# install when the file (and everything it includes with -r) is unchanged since the last install.
ensure_venv() {
    local reqfile="$1" python="${PYTHON:-python3}"
    if [ ! -x "$PY" ]; then
        command -v "$python" >/dev/null 2>&1 || die "$python not found (set PYTHON=/path/to/python3.11+)"
        "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            || die "Python 3.11 or newer is needed ($python is $("$python" -V 2>&1))"
        say "Creating the virtualenv in .venv"
        "$python" -m venv "$VENV" || {
            note "python -m venv failed; installing python3-venv"
            apt_install python3-venv
            "$python" -m venv "$VENV"
        }
    fi
    local stamp="$VENV/.installed-$(basename "$reqfile")" hash
    # The hash covers the file and those it pulls in with "-r" (one level is all we use).
    hash="$(cd "$ROOT" && { cat "$reqfile"; sed -n 's/^-r[[:space:]]*//p' "$reqfile" | xargs -r cat; } \
        | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
        note "$(basename "$reqfile") unchanged since the last install - skipping pip"
        return
    fi
    say "Installing $(basename "$reqfile") into .venv"
    "$PY" -m pip install --disable-pip-version-check -q -r "$ROOT/$reqfile"
    echo "$hash" >"$stamp"
}

ensure_gettext() {
    command -v msgfmt >/dev/null 2>&1 || { say "Installing gettext (msgfmt, for compilemessages)"; apt_install gettext; }
}

compile_messages() {
    say "Compiling translations"
    (cd "$ROOT" && "$PY" manage.py compilemessages --ignore='.venv' --ignore='node_modules' -v 0)
}
