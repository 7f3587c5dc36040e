#!/usr/bin/env python3
"""Light-load relay delay of an intercept agent on the loopback device: a replayer speaking the wire protocol
registers 127.0.0.0/8, a TCP client sends one byte every 2 ms to a local server, and each captured packet's delay
from its capture timestamp to its arrival at this replayer is measured (same host, same clock).
Usage: relay-delay-probe.py AGENT_PORT TOKEN_FILE PROTOCOL_VERSION TARGET_PORT [PACKETS]"""
import socket, struct, sys, threading, time

agent_port, token_file, version, target_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
packets = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
token = open(token_file).read().strip().encode()

def frame(kind, body):
    return struct.pack('>IB', len(body) + 1, kind) + body

hello = b'PRAG' + struct.pack('>HH', version, len(token)) + token + bytes([5]) + b'probe' + struct.pack('>i', -1)
replayer = socket.create_connection(('127.0.0.1', agent_port))
replayer.sendall(frame(0x01, hello) + frame(0x10, struct.pack('>IH', 1, 1) + bytes([4, 8, 127, 0, 0, 0])))
delays = []

def read():
    pending = b''
    while True:
        data = replayer.recv(1 << 16)
        if not data:
            return
        now = time.time_ns()
        pending += data
        while len(pending) >= 5:
            length, kind = struct.unpack('>IB', pending[:5])
            if len(pending) < 4 + length:
                break
            body, pending = pending[5:4 + length], pending[4 + length:]
            if kind == 0x20:
                count, offset = struct.unpack('>H', body[:2])[0], 2
                for _ in range(count):
                    stamp, _original, carried = struct.unpack('>qII', body[offset:offset + 16])
                    offset += 16 + carried
                    delays.append((now - stamp) / 1000)

threading.Thread(target=read, daemon=True).start()
time.sleep(0.5)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', target_port))
server.listen(1)
client = socket.create_connection(('127.0.0.1', target_port))
client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
accepted, _ = server.accept()
warm = 200
for i in range(packets + warm):
    if i == warm:
        delays.clear()
    client.send(b'x')
    time.sleep(0.002)
    if i % 500 == 0:
        replayer.sendall(frame(0x13, struct.pack('>q', 0)))
time.sleep(0.5)
values = sorted(delays)
pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
print('packets %d capture->replayer p50 %.0f p90 %.0f p99 %.0f us' % (len(values), pick(0.5), pick(0.9), pick(0.99)))
