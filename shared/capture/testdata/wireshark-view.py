#!/usr/bin/env python3
"""What Wireshark (tshark) makes of every capture here, written to wireshark.json so the
tests can hold the reader to it: stream numbers, relative numbers, lengths, calculated
windows and the analysis flags. Run by make-captures.sh; needs tshark."""
import glob
import json
import subprocess

FIELDS = [
    'frame.number', 'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.flags', 'tcp.window_size',
    'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission',
    'tcp.analysis.out_of_order', 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack',
    'tcp.analysis.duplicate_ack', 'tcp.analysis.window_update',
]
KINDS = {
    'tcp.analysis.retransmission': 'retransmission', 'tcp.analysis.fast_retransmission': 'retransmission',
    'tcp.analysis.spurious_retransmission': 'spurious-retransmission', 'tcp.analysis.out_of_order': 'retransmission',
    'tcp.analysis.keep_alive': 'keep-alive', 'tcp.analysis.keep_alive_ack': 'keep-alive-ack',
    'tcp.analysis.duplicate_ack': 'duplicate-ack', 'tcp.analysis.window_update': 'window-update',
}

out = {}
for name in sorted(glob.glob('*.pcap') + glob.glob('*.pcapng')):
    args = ['tshark', '-r', name, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=;', '-E', 'occurrence=f']
    for f in FIELDS:
        args += ['-e', f]
    rows = []
    lines = subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()
    for line in lines:
        v = dict(zip(FIELDS, line.split(';')))
        flags = int(v['tcp.flags'], 16)
        kinds = sorted({k for f, k in KINDS.items() if v[f]})
        rows.append({
            'frame': int(v['frame.number']), 'stream': int(v['tcp.stream']),
            'relSeq': int(v['tcp.seq']), 'relAck': int(v['tcp.ack']) if flags & 0x10 else None,
            'len': int(v['tcp.len']), 'flags': flags, 'windowSize': int(v['tcp.window_size']),
            'kind': kinds[0] if kinds else 'segment',
        })
    out[name] = rows
with open('wireshark.json', 'w') as f:
    json.dump(out, f, indent=None, separators=(',', ':'))
    f.write('\n')
