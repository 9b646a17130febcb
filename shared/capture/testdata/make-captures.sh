#!/usr/bin/env bash
# Makes the test captures in this folder from real connections (scenarios.py) on the
# loopback interface of a private network namespace, then the derived variants (derive.py).
# Needs root, tcpdump, dumpcap/editcap/mergecap (tshark) and iptables. Nothing leaves the
# namespace. Usage: bash make-captures.sh
set -euo pipefail
cd "$(dirname "$0")"
if [ "${SYNACK_IN_NETNS:-}" != 1 ]; then
  exec env SYNACK_IN_NETNS=1 unshare --net bash "$0" "$@"
fi
ip link set lo up
rm -f linux-states.txt

# capture FILE SCENARIO TOOL ARGS...: record port 9000 while the scenario runs.
capture() {
  local out=$1 scenario=$2 tool=$3
  shift 3
  : >"$out.log"
  "$tool" -s 128 "$@" -w "$out" -f 'tcp port 9000' 2>"$out.log" &
  local pid=$!
  until grep -qE 'listening|Capturing' "$out.log"; do sleep 0.05; done
  sleep 0.2
  python3 scenarios.py "$scenario"
  # What Linux says each end is in once the scenario is over (ends not listed are CLOSED).
  { echo "# $out"; ss -tanH '( sport = :9000 or dport = :9000 )'; } >>linux-states.txt
  sleep 1
  kill -INT "$pid"
  wait "$pid" || true
  grep -E 'captured|received|dropped' "$out.log" | sed "s|^|$out: |" || true
  rm -f "$out.log"
  chmod 644 "$out"
}
# tcpdump takes the filter as its last argument, dumpcap after -f: wrap tcpdump.
tcpdump_() {
  local args=() filter=
  while [ $# -gt 0 ]; do
    if [ "$1" = -f ]; then filter=$2; shift 2; else args+=("$1"); shift; fi
  done
  exec tcpdump -U --immediate-mode "${args[@]}" "$filter"
}

capture normal-close.pcap normal tcpdump_ -i lo
capture server-closes-first.pcap server-first tcpdump_ -i any -y LINUX_SLL
capture half-close.pcapng half-close dumpcap -q -i lo
capture refused.pcap refused tcpdump_ -i lo --time-stamp-precision=nano
capture abort.pcap abort tcpdump_ -i any -y LINUX_SLL2
# The loss: tcpdump on lo sees a segment when it is sent; iptables then drops the client's
# first data segment (IP length 20 + 32 + 333) at the receiver's INPUT, once.
iptables -A INPUT -p tcp --dport 9000 -m length --length 385 -m statistic --mode nth --every 2 --packet 0 -j DROP
capture retransmit.pcap retransmit tcpdump_ -i lo
iptables -D INPUT 1
capture ipv6.pcap ipv6 tcpdump_ -i lo
capture interleaved.pcap interleaved tcpdump_ -i lo
capture keepalive.pcap keepalive tcpdump_ -i lo

# Other formats and link types of the same packets.
editcap -F pcapng normal-close.pcap normal-close.pcapng
editcap -F pcapng interleaved.pcap interleaved.pcapng
editcap -F pcap -C 14 -T rawip normal-close.pcap normal-close-rawip.pcap
editcap -F pcap -C 14 -T rawip4 normal-close.pcap normal-close-rawip4.pcap
editcap -F pcap -C 14 -T rawip6 ipv6.pcap ipv6-rawip6.pcap
mergecap -F pcapng -w several-interfaces.pcapng normal-close.pcap server-closes-first.pcap abort.pcap
python3 derive.py
python3 wireshark-view.py
