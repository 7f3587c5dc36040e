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

# zeek__http_get.pcap with every server (port 80) frame carrying payload cut to 100 captured bytes (snaplen 100 in
# the file header): only the response is truncated, so the session is still replayed
out = http_get[:16] + struct.pack('<I', 100) + http_get[20:24]
for header, frame in records(http_get):
    original = struct.unpack('<I', header[12:16])[0]
    from_server = frame[34:36] == b'\x00\x50'
    if from_server and len(frame) > 100:
        out += header[:8] + struct.pack('<II', 100, original) + frame[:100]
    else:
        out += header + frame
write('server-truncated-http-get.pcap', out)

# the frames of zeek__http_get.pcap and of zeek__communityid_tcp.pcap (snaplen 96: its request is cut), both
# Ethernet with µs timestamps, in time order: one session to replay, one to leave out
community = open(public + '/zeek__communityid_tcp.pcap', 'rb').read()
merged = sorted(list(records(http_get)) + list(records(community)), key=lambda item: struct.unpack('<II', item[0][:8]))
write('truncated-and-whole.pcap', http_get[:24] + b''.join(header + frame for header, frame in merged))

# Malformed inputs (each named after the test of MalformedCaptureTest that reads it): every one must give exit 2
# and a message naming the file, the record or block, and the field.
import os
os.makedirs('malformed', exist_ok=True)
syn = next(records(http_get))[1]  # the client's SYN, 74 bytes of Ethernet/IPv4/TCP


def malformed(name, data):
    write('malformed/' + name, data)


# 40 bytes: the http_get file header and one record header with ts_usec = 1000000 and no data
malformed('shouldNameRecordAndFieldWhenMicrosecondsReachOneSecond.pcap',
          http_get[:24] + struct.pack('<IIII', 1_300_000_000, 1_000_000, 0, 0))
# zeek__http_get-to-ssh-server.pcap (a nanosecond pcap) with the microsecond magic, first record only
ssh = open(public + '/zeek__http_get-to-ssh-server.pcap', 'rb').read()
first_length = 16 + struct.unpack('<I', ssh[32:36])[0]
malformed('shouldExplainMagicWhenNanosecondFileHasMicrosecondMagic.pcap',
          struct.pack('<I', 0xA1B2C3D4) + ssh[4:24 + first_length])
# a record claiming 0x7fffffff captured bytes
malformed('shouldRefuseCapturedLengthBeyondTheLargestSnapshot.pcap',
          http_get[:24] + struct.pack('<IIII', 1_300_000_000, 0, 0x7FFFFFFF, 0x7FFFFFFF) + syn)
# the file header with version 1.0
malformed('shouldRefuseUnknownPcapVersion.pcap', http_get[:4] + struct.pack('<HH', 1, 0) + http_get[8:24])


def block(block_type, body):
    length = 12 + len(body)
    return struct.pack('<II', block_type, length) + body + struct.pack('<I', length)


def option(code, value):
    return struct.pack('<HH', code, len(value)) + value + bytes(-len(value) % 4)


SECTION = block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
END = struct.pack('<HH', 0, 0)


def interface(options):
    return block(1, struct.pack('<HHI', 1, 0, 65535) + options)


def packet(interface_id, ticks, frame, captured=None):
    captured = len(frame) if captured is None else captured
    return block(6, struct.pack('<IIIII', interface_id, ticks >> 32, ticks & 0xFFFFFFFF, captured, len(frame))
                 + frame + bytes(-len(frame) % 4))


MICROSECONDS = 1_300_000_000_000_000  # 2011 in microseconds
# if_tsresol 0 (unit 1 s) on a file whose timestamps count microseconds: beyond the year 2262
malformed('shouldNameInterfaceOptionWhenResolutionZeroOverflows.pcapng',
          SECTION + interface(option(9, b'\x00') + END) + packet(0, MICROSECONDS, syn))
# if_tsresol 0x80 (unit 2^-0 s), the same
malformed('shouldNameInterfaceOptionWhenBinaryResolutionZeroOverflows.pcapng',
          SECTION + interface(option(9, b'\x80') + END) + packet(0, MICROSECONDS, syn))
# if_tsresol 0x13 (10^-19 s: not representable)
malformed('shouldRefuseResolutionBeyondTenToMinusEighteen.pcapng',
          SECTION + interface(option(9, b'\x13') + END) + packet(0, MICROSECONDS, syn))
# an interface option whose length runs past the block
bad_option = struct.pack('<HH', 2, 200) + b'eth0'
malformed('shouldNameOptionWhenItsLengthRunsPastTheBlock.pcapng',
          SECTION + interface(bad_option) + packet(0, MICROSECONDS, syn))
# a packet block's trailing length differing from its leading one
good = packet(0, MICROSECONDS, syn)
malformed('shouldRefuseBlockWhoseTrailingLengthDiffers.pcapng',
          SECTION + interface(END) + good[:-4] + struct.pack('<I', len(good) + 4))
# a packet of interface 5 when only interface 0 is described
malformed('shouldRefusePacketOfAnUndescribedInterface.pcapng',
          SECTION + interface(END) + packet(5, MICROSECONDS, syn))
# a captured length larger than the block's data
malformed('shouldRefuseCapturedLengthBeyondTheBlock.pcapng',
          SECTION + interface(END) + packet(0, MICROSECONDS, syn, captured=400))
