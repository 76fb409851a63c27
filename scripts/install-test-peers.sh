#!/usr/bin/env bash
# Installs, from Debian, the real peers Hotline's tests run against (sipp,
# baresip, sipvicious, PostgreSQL, Kamailio, espeak-ng, sox, iproute2 for
# network namespaces) and tcpdump for bench:transit. Needs root; idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  sip-tester baresip-core sipvicious postgresql kamailio \
  chromium fonts-wqy-microhei \
  espeak-ng sox libsox-fmt-all tcpdump iproute2 openssl procps ca-certificates curl tar util-linux >/tmp/hotline-test-peers-apt.log 2>&1 \
  || { tail -50 /tmp/hotline-test-peers-apt.log; exit 1; }
# Tests start their own PostgreSQL clusters and Kamailio instances.
service postgresql stop >/dev/null 2>&1 || true
service kamailio stop >/dev/null 2>&1 || true
echo "test peers installed: $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*' | head -1), $(baresip -h 2>&1 | head -1 | cut -d' ' -f1-2), kamailio $(kamailio -v | head -1 | cut -d' ' -f3)"
