# Sourced by the check scripts: apt_install NAME PACKAGE... installs Debian packages that a check
# needs and this machine lacks, as root or through sudo -n, and fails with a line saying what to
# install by hand where it cannot. NAME prefixes the script's messages.

apt_install() {
  local name="$1"
  shift
  local packages="$*"
  command -v apt-get >/dev/null 2>&1 \
    || { echo "$name: $packages missing and there is no apt-get to install them" >&2; exit 1; }
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 \
      || { echo "$name: $packages missing; install as root: apt-get install -y --no-install-recommends $packages" >&2; exit 1; }
    sudo="sudo -n"
  fi
  echo "$name: installing $packages with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $packages; } >/dev/null \
    || { echo "$name: cannot install: apt-get install -y --no-install-recommends $packages failed" >&2; exit 1; }
}
