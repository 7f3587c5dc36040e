#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests and the demo need, when they are missing.
# Sourced by scripts/test.sh and scripts/demo.sh; usage: ensure_packages pkg...
#
# Installing needs root. Without root, missing packages are listed with the command to install them.

ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (expected: installed; installing needs root)" >&2
    echo "run as root (sudo $0), or install them first: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || return 1
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
}

# The packages every lab test needs: libpcap (pcap4j loads libpcap.so from libpcap-dev), iproute2 (ip netns,
# tc netem), tcpdump, curl, nftables (Lab.impair: loss, reordering), and the real servers the tests start inside namespaces
# (nginx-light with its WebDAV module, redis, memcached, PostgreSQL: CausalReplayLabIT);
# for the JMeter GUI test (GuiMenuPlanLabIT): Xvfb, the XTEST library java.awt.Robot needs, fonts.
LAB_PACKAGES=(libpcap0.8 libpcap-dev iproute2 tcpdump curl nginx-light redis-server procps nftables memcached postgresql
  xvfb libxtst6 fontconfig fonts-dejavu-core)
