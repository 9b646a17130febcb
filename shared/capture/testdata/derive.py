#!/usr/bin/env python3
"""Derived test captures: the same packets as the real captures beside this file, written
in the variants editcap cannot write (run by make-captures.sh, after the captures).

  normal-close-null.pcap      BSD loopback (link type 0): a 4-byte AF_INET (2) header, host (little-endian) order
  ipv6-loop.pcap              OpenBSD loopback (link type 108): a 4-byte AF_INET6 (24) header, network order
  normal-close-be.pcap        big-endian pcap (microsecond magic), byte-swapped from normal-close.pcap
  refused-be.pcap             big-endian pcap (nanosecond magic), byte-swapped from refused.pcap
  half-close-be.pcapng        big-endian pcapng, every block byte-swapped from half-close.pcapng
  normal-close-spb.pcapng     pcapng whose packets are simple packet blocks (no timestamps)
  normal-close-vlan.pcap      each Ethernet frame with an 802.1Q tag (VLAN 10)
  ipv6-qinq.pcap              each Ethernet frame with 802.1ad (VLAN 100) and 802.1Q (VLAN 10) tags
  two-sections.pcapng         normal-close.pcapng followed by half-close-be.pcapng: two sections, two byte orders
"""
import struct


def read(name):
    with open(name, 'rb') as f:
        return f.read()


def write(name, data):
    with open(name, 'wb') as f:
        f.write(data)


def pcap_records(data):
    """(global header fields, [(ts_sec, ts_frac, orig_len, packet bytes)]) of a little-endian pcap."""
    magic, vmaj, vmin, zone, sigfigs, snaplen, linktype = struct.unpack_from('<IHHiIII', data, 0)
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), hex(magic)
    recs, off = [], 24
    while off < len(data):
        sec, frac, incl, orig = struct.unpack_from('<IIII', data, off)
        recs.append((sec, frac, orig, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return (magic, vmaj, vmin, zone, sigfigs, snaplen, linktype), recs


def pcap_write(header, recs, order='<', linktype=None, snaplen=None):
    magic, vmaj, vmin, zone, sigfigs, snap, lt = header
    out = [struct.pack(order + 'IHHiIII', magic, vmaj, vmin, zone, sigfigs,
                       snap if snaplen is None else snaplen, lt if linktype is None else linktype)]
    for sec, frac, orig, pkt in recs:
        out.append(struct.pack(order + 'IIII', sec, frac, len(pkt), orig) + pkt)
    return b''.join(out)


def relink(src, dst, linktype, prefix, chop=0):
    header, recs = pcap_records(read(src))
    recs = [(s, f, o - chop + len(prefix), prefix + p[chop:]) for s, f, o, p in recs]
    write(dst, pcap_write(header, recs, linktype=linktype))


def tag(src, dst, tags):
    """Inserts VLAN tags (TPID, VID) after the Ethernet addresses of every frame."""
    header, recs = pcap_records(read(src))
    extra = b''.join(struct.pack('>HH', tpid, vid) for tpid, vid in tags)
    recs = [(s, f, o + len(extra), p[:12] + extra + p[12:]) for s, f, o, p in recs]
    snap = header[5] + len(extra)
    write(dst, pcap_write(header, recs, snaplen=snap))


# pcapng: the numeric fields of the blocks and options we write, by block type, so that a
# byte swap turns every one of them and leaves the packet bytes and strings alone.
U32, U64, U8, U16 = 'I', 'Q', 'B', 'H'
OPTION_TYPES = {
    0x0A0D0D0A: {},                                            # SHB: strings only
    0x00000001: {8: U64, 9: U8, 10: U32, 13: U8, 14: U64},     # IDB
    0x00000005: {2: 'II', 3: 'II', 4: U64, 5: U64, 6: U64, 7: U64, 8: U64},  # ISB
    0x00000006: {2: U32, 4: U64, 5: U64, 6: U32},              # EPB
}


def swap(fmt, b):
    return struct.pack('>' + fmt, *struct.unpack('<' + fmt, b))


def swap_options(btype, body):
    out, off = [], 0
    types = OPTION_TYPES.get(btype, {})
    while off + 4 <= len(body):
        code, length = struct.unpack_from('<HH', body, off)
        value = body[off + 4:off + 4 + length]
        pad = body[off + 4 + length:off + 4 + length + (-length % 4)]
        fmt = types.get(code)
        if fmt is not None and struct.calcsize('<' + fmt) == length:
            value = swap(fmt, value)
        out.append(struct.pack('>HH', code, length) + value + pad)
        off += 4 + length + len(pad)
        if code == 0:
            break
    return b''.join(out)


def pcapng_blocks(data):
    off = 0
    while off < len(data):
        btype, blen = struct.unpack_from('<II', data, off)
        yield btype, data[off + 8:off + blen - 4]
        off += blen


def pcapng_block(order, btype, body):
    body += b'\0' * (-len(body) % 4)
    n = len(body) + 12
    return struct.pack(order + 'II', btype, n) + body + struct.pack(order + 'I', n)


def byteswap_pcapng(src, dst):
    out = []
    for btype, body in pcapng_blocks(read(src)):
        if btype == 0x0A0D0D0A:
            bom, vmaj, vmin, seclen = struct.unpack_from('<IHHq', body, 0)
            fixed, opts = struct.pack('>IHHq', bom, vmaj, vmin, seclen), body[16:]
        elif btype == 1:
            lt, res, snap = struct.unpack_from('<HHI', body, 0)
            fixed, opts = struct.pack('>HHI', lt, res, snap), body[8:]
        elif btype == 5:
            fixed, opts = swap('III', body[:12]), body[12:]
        elif btype == 6:
            ifid, hi, lo, cap, orig = struct.unpack_from('<IIIII', body, 0)
            padded = cap + (-cap % 4)
            fixed = struct.pack('>IIIII', ifid, hi, lo, cap, orig) + body[20:20 + padded]
            opts = body[20 + padded:]
        else:
            raise SystemExit(f'{src}: block type {btype:#x} is not swapped by this script')
        out.append(pcapng_block('>', btype, fixed + swap_options(btype, opts)))
    write(dst, b''.join(out))


def to_simple_packets(src, dst):
    out = []
    for btype, body in pcapng_blocks(read(src)):
        if btype == 6:
            _ifid, _hi, _lo, cap, orig = struct.unpack_from('<IIIII', body, 0)
            out.append(pcapng_block('<', 3, struct.pack('<I', orig) + body[20:20 + cap]))
        else:
            out.append(pcapng_block('<', btype, body))
    write(dst, b''.join(out))


def byteswap_pcap(src, dst):
    header, recs = pcap_records(read(src))
    write(dst, pcap_write(header, recs, order='>'))


relink('normal-close-rawip.pcap', 'normal-close-null.pcap', 0, struct.pack('<I', 2))
relink('ipv6-rawip6.pcap', 'ipv6-loop.pcap', 108, struct.pack('>I', 24))
byteswap_pcap('normal-close.pcap', 'normal-close-be.pcap')
byteswap_pcap('refused.pcap', 'refused-be.pcap')
byteswap_pcapng('half-close.pcapng', 'half-close-be.pcapng')
to_simple_packets('normal-close.pcapng', 'normal-close-spb.pcapng')
tag('normal-close.pcap', 'normal-close-vlan.pcap', [(0x8100, 10)])
tag('ipv6.pcap', 'ipv6-qinq.pcap', [(0x88A8, 100), (0x8100, 10)])
write('two-sections.pcapng', read('normal-close.pcapng') + read('half-close-be.pcapng'))
