#!/usr/bin/python3
"""wire_tap: kernel timestamps of the HTTP messages between the calls driver (playing
Telnyx), the api and the workers, for the calls benchmark (bench/calls_load.py starts
and stops it).

Any process that records its own times (a webhook's acknowledgement, a command's
arrival) shares the machine's cores, and its records include its waits for them. This
tap reads loopback packets from an AF_PACKET socket with SO_TIMESTAMPNS: the kernel
stamps each packet when it crosses `lo`, however late this process reads it. A classic
BPF filter passes only TCP segments to or from the api's and Telnyx's ports.

Runs (root: AF_PACKET needs CAP_NET_RAW) until SIGTERM, then writes to --out a JSON list
of [kernel time (s), kind, call_control_id, detail] in wire order, kind being
  "webhook"   a webhook POST reached the api (detail: event type, "+final" if is_final)
  "ack"       the api's 2xx to it left (detail: as the webhook's)
  "command"   a Call Control request reached Telnyx (detail: the action)
and the packets the kernel dropped for this socket (PACKET_STATISTICS).
"""
import argparse
import json
import re
import signal
import socket
import struct
import sys
import urllib.parse

SO_ATTACH_FILTER = 26
SO_RCVBUFFORCE = 33
SO_TIMESTAMPNS = 35
SOL_PACKET = 263
PACKET_STATISTICS = 6
PACKET_OUTGOING = 4
ETH_P_ALL = 0x0003

COMMAND = re.compile(rb"^POST /v2/calls/([^/ ]+)/actions/([A-Za-z_]+) HTTP/1\.1\r\n")
EVENT_TYPE = re.compile(rb'"event_type":"([^"]+)"')
CALL_ID = re.compile(rb'"call_control_id":"([^"]+)"')
IS_FINAL = re.compile(rb'"is_final":(true|false)')


def bpf_filter(ports):
    """cBPF: IPv4, TCP, not a fragment, source or destination port in ports."""
    A, R = "accept", "reject"
    prog = [
        (0x28, 0, 0, 12),                 # ldh [12]           ethertype
        (0x15, 0, R, 0x0800),             # jeq IPv4
        (0x30, 0, 0, 23),                 # ldb [23]           protocol
        (0x15, 0, R, 6),                  # jeq TCP
        (0x28, 0, 0, 20),                 # ldh [20]           fragment offset
        (0x45, R, 0, 0x1fff),             # jset
        (0xb1, 0, 0, 14),                 # ldxb 4*([14]&0xf)  IP header length
        (0x48, 0, 0, 14),                 # ldh [x+14]         source port
    ]
    prog += [(0x15, A, 0, p) for p in ports]
    prog.append((0x48, 0, 0, 16))         # ldh [x+16]         destination port
    prog += [(0x15, A, 0, p) for p in ports]
    prog.append((0x06, 0, 0, 0))          # reject: ret 0
    prog.append((0x06, 0, 0, 0x40000))   # accept: ret 256 KiB
    at = {R: len(prog) - 2, A: len(prog) - 1}
    return [(c, at[jt] - i - 1 if jt in at else jt, at[jf] - i - 1 if jf in at else jf, k)
            for i, (c, jt, jf, k) in enumerate(prog)]


def attach_filter(sock, prog):
    import ctypes
    buf = ctypes.create_string_buffer(b"".join(struct.pack("HBBI", *ins) for ins in prog))
    fprog = struct.pack("HL", len(prog), ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    return buf          # must outlive the setsockopt call


def segments(sock, stop):
    """(kernel time, src port, dst port, payload) of each TCP segment with data."""
    while not stop[0]:
        try:
            data, anc, _, addr = sock.recvmsg(65600, 64)
        except InterruptedError:
            continue
        except OSError:
            if stop[0]:
                return
            raise
        if addr[2] == PACKET_OUTGOING:        # lo shows each packet twice
            continue
        ts = None
        for level, typ, cdata in anc:
            if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", cdata[:16])
                ts = sec + nsec / 1e9
        if ts is None or len(data) < 34:
            continue
        ihl = (data[14] & 0x0F) * 4
        total = struct.unpack("!H", data[16:18])[0]
        t0 = 14 + ihl
        sport, dport = struct.unpack("!HH", data[t0:t0 + 4])
        doff = (data[t0 + 12] >> 4) * 4
        payload = data[t0 + doff:14 + total]
        if payload:
            yield ts, sport, dport, payload


def analyse(raw, api_port, telnyx_port):
    """Turns captured segments into the event list (see the module comment)."""
    out = []
    pending = {}        # (client port) -> [bytes of the webhook request so far, first ts]
    for ts, sport, dport, payload in raw:
        if dport == telnyx_port:
            m = COMMAND.match(payload)
            if m:
                out.append([ts, "command", urllib.parse.unquote(m.group(1).decode()), m.group(2).decode()])
        elif dport == api_port:
            if payload.startswith(b"POST "):
                pending[sport] = [payload, ts]
            elif sport in pending:
                pending[sport][0] += payload
        elif sport == api_port and payload.startswith(b"HTTP/1.1 2") and dport in pending:
            req, t_req = pending.pop(dport)
            et, cid, fin = EVENT_TYPE.search(req), CALL_ID.search(req), IS_FINAL.search(req)
            if not et or not cid:
                continue
            detail = et.group(1).decode() + ("+final" if fin and fin.group(1) == b"true" else "")
            out.append([t_req, "webhook", cid.group(1).decode(), detail])
            out.append([ts, "ack", cid.group(1).decode(), detail])
    out.sort(key=lambda e: e[0])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--api-port", type=int, required=True)
    ap.add_argument("--telnyx-port", type=int, required=True)
    ap.add_argument("--out", required=True)
    o = ap.parse_args()
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    keep = attach_filter(sock, bpf_filter([o.api_port, o.telnyx_port]))
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind(("lo", 0))
    # packets queued before the filter was attached may not match it: drop them
    sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
    stop = [False]

    def on_term(*_):
        stop[0] = True
        sock.shutdown(socket.SHUT_RDWR)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    print("ready", flush=True)
    raw = []
    try:
        for seg in segments(sock, stop):
            raw.append(seg)
    finally:
        packets, drops = struct.unpack("II", sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
        del keep
        with open(o.out, "w") as f:
            json.dump({"events": analyse(raw, o.api_port, o.telnyx_port), "segments": len(raw),
                       "drops": drops}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
