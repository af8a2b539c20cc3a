#!/usr/bin/env python3
"""HTTP request/reply client for bench/run-http.sh that writes each request
(headers and body) in one send, over one kept-alive connection, to the
service of bench/request_reply.c.  It separates the service's own time from
the client's: Wine's WinHTTP writes the headers and the body of a POST in two
sends, so Nagle's algorithm holds the body back until the service's delayed
ACK (about 40 ms on Linux).

usage: http_raw_client.py PORT COUNT   (prints round_trips_per_sec, latency_p50_us, latency_p99_us)
"""
import socket
import sys
import time
import uuid

TEXT = "0123456789abcdef" * 4


def envelope(port, number):
    return ('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>'
            '<a:Action s:mustUnderstand="1">http://example.org/bench/request</a:Action>'
            '<a:MessageID>urn:uuid:%s</a:MessageID>'
            '<a:To s:mustUnderstand="1">http://localhost:%d/bench</a:To></s:Header>'
            '<s:Body><payload xmlns="http://example.org/bench"><text>%s</text>'
            '<number>%d</number></payload></s:Body></s:Envelope>'
            % (uuid.uuid4(), port, TEXT, number)).encode()


def exchange(sock, port, number):
    body = envelope(port, number)
    head = ('POST /bench HTTP/1.1\r\nHost: localhost:%d\r\n'
            'Content-Type: application/soap+xml; charset=utf-8; action="http://example.org/bench/request"\r\n'
            'Content-Length: %d\r\n\r\n' % (port, len(body))).encode()
    sock.sendall(head + body)
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError('connection closed')
        data += chunk
    head, rest = data.split(b'\r\n\r\n', 1)
    lines = head.split(b'\r\n')
    if lines[0] != b'HTTP/1.1 200 OK':
        raise RuntimeError('status %r' % lines[0])
    length = [int(l.split(b':', 1)[1]) for l in lines if l.lower().startswith(b'content-length:')][0]
    while len(rest) < length:
        rest += sock.recv(65536)
    if ('<number>%d</number>' % number).encode() not in rest or TEXT.encode() not in rest:
        raise RuntimeError('unexpected reply')


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    for _ in range(300):
        try:
            sock = socket.create_connection(('127.0.0.1', port))
            break
        except OSError:
            time.sleep(0.1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(200):
        exchange(sock, port, i)
    latencies = []
    start = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        exchange(sock, port, i)
        latencies.append((time.perf_counter() - t0) * 1e6)
    elapsed = time.perf_counter() - start
    exchange(sock, port, -1)
    latencies.sort()
    print('dll: none (raw client)')
    print('round_trips_per_sec: %.0f' % (count / elapsed))
    print('latency_p50_us: %.0f' % latencies[count // 2])
    print('latency_p99_us: %.0f' % latencies[count * 99 // 100])


main()
