#!/usr/bin/env python3
"""Makes the tiny capture fixtures of this directory (see README.md). Run from this directory:
   python3 make-fixtures.py ../../../../../shared/pcaps/public
(the argument is shared/pcaps/public; the public captures are only read)."""
import struct
import sys

public = sys.argv[1] if len(sys.argv) > 1 else '../../../../../shared/pcaps/public'


def records(data):
    """Yields (record header, frame) of a little-endian microsecond pcap."""
    position = 24
    while position + 16 <= len(data):
        header = data[position:position + 16]
        captured = struct.unpack('<I', header[8:12])[0]
        yield header, data[position + 16:position + 16 + captured]
        position += 16 + captured


def with_link_type(data, link_type):
    return data[:20] + struct.pack('<I', link_type) + data[24:]


def record(header, frame):
    return header[:8] + struct.pack('<II', len(frame), len(frame)) + frame


def write(name, data):
    with open(name, 'wb') as out:
        out.write(data)


http_get = open(public + '/zeek__http_get.pcap', 'rb').read()
write('empty.pcap', b'')
write('garbage.pcap', b'this is not a capture file, just text to see the reader fail cleanly\n' * 2)
write('truncated-header.pcap', http_get[:10])
# 7 whole records, then the 8th record cut in the middle of its frame
offsets = []
position = 24
for header, frame in records(http_get):
    offsets.append(position)
    position += 16 + len(frame)
write('truncated-record.pcap', http_get[:offsets[7] + 16 + 40])
# a pcap whose link type is 147 (LINKTYPE_USER0), with the frames of http_get
write('unknown-linktype.pcap', with_link_type(http_get, 147))
# only a UDP packet (DNS-like) over Ethernet
udp = bytes.fromhex('45000024000140004011') + b'\x00\x00' + bytes([198, 18, 0, 1, 198, 18, 0, 2]) \
    + struct.pack('>HHHH', 40000, 53, 16, 0) + b'testtest'
frame = bytes(6) + bytes(6) + b'\x08\x00' + udp
write('no-tcp.pcap', http_get[:24] + struct.pack('<IIII', 1, 0, len(frame), len(frame)) + frame)
# LOOP (108): zeek__redis_set.pcap (NULL, family in host byte order) with the family in network byte order
redis_set = open(public + '/zeek__redis_set.pcap', 'rb').read()
out = with_link_type(redis_set, 108)[:24]
for header, frame in records(redis_set):
    family = struct.unpack('<I', frame[:4])[0]
    out += record(header, struct.pack('>I', family) + frame[4:])
write('loop-redis-set.pcap', out)
# IPV6 (229): zeek__redis_pipelining-example.pcap (NULL, IPv6) without the 4-byte NULL header
pipelining = open(public + '/zeek__redis_pipelining-example.pcap', 'rb').read()
out = with_link_type(pipelining, 229)[:24]
for header, frame in records(pipelining):
    out += record(header, frame[4:])
write('ipv6-redis-pipelining.pcap', out)
# zeek__ldap_modify-request.pcapng (interfaces with differing snaplens and link types: libpcap refuses it) cut
# 100 bytes into its 12th Enhanced Packet Block
modify = open(public + '/zeek__ldap_modify-request.pcapng', 'rb').read()
position = 0
packets = 0
while position + 8 <= len(modify):
    block_type, block_length = struct.unpack('<II', modify[position:position + 8])
    if block_type == 6:
        packets += 1
        if packets == 12:
            break
    position += block_length
write('truncated-multi-interface.pcapng', modify[:position + 100])
