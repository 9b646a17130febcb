#!/usr/bin/env python3
"""Real TCP connections on loopback for the test captures (run by make-captures.sh inside a
private network namespace, while tcpdump records port 9000). One scenario per argument."""
import socket
import struct
import sys
import threading
import time

PORT = 9000


def listener(family, host):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, PORT))
    s.listen(8)
    return s


def read_all(sock):
    out = b''
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return out
        out += chunk


def normal(family=socket.AF_INET, host='127.0.0.1'):
    """Client asks, server answers, client closes first, then the server."""
    srv = listener(family, host)

    def serve():
        conn, _ = srv.accept()
        conn.recv(100)
        conn.sendall(b'200 OK\n')
        read_all(conn)  # until the client's FIN
        time.sleep(0.05)
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection((host, PORT))
    c.sendall(b'GET /\n')
    c.recv(100)
    time.sleep(0.05)
    c.close()
    t.join()


def server_first():
    """The server answers and closes at once; the client sees EOF and closes after it."""
    srv = listener(socket.AF_INET, '127.0.0.1')

    def serve():
        conn, _ = srv.accept()
        conn.recv(100)
        conn.sendall(b'bye\n')
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection(('127.0.0.1', PORT))
    c.sendall(b'hi\n')
    read_all(c)
    time.sleep(0.05)
    c.close()
    t.join()


def half_close():
    """The client sends its request and shuts down its sending side (FIN); the server keeps
    sending three chunks after that FIN, then closes."""
    srv = listener(socket.AF_INET, '127.0.0.1')

    def serve():
        conn, _ = srv.accept()
        read_all(conn)  # the request, then the client's FIN
        for chunk in (b'one\n', b'two\n', b'three\n'):
            conn.sendall(chunk)
            time.sleep(0.05)
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection(('127.0.0.1', PORT))
    c.sendall(b'send me three lines\n')
    c.shutdown(socket.SHUT_WR)
    read_all(c)
    c.close()
    t.join()


def refused():
    """Nothing listens on the port: the SYN is answered with RST+ACK."""
    try:
        socket.create_connection(('127.0.0.1', PORT))
    except ConnectionRefusedError:
        pass


def abort():
    """SO_LINGER with a zero timeout: close() aborts the connection with a RST."""
    srv = listener(socket.AF_INET, '127.0.0.1')
    got = threading.Event()

    def serve():
        conn, _ = srv.accept()
        conn.recv(100)
        got.set()
        try:
            conn.recv(100)
        except ConnectionResetError:
            pass
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection(('127.0.0.1', PORT))
    c.sendall(b'x\n')
    got.wait()
    time.sleep(0.05)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()
    t.join()


def retransmit():
    """The client's first data segment (333 bytes, dropped once by iptables at the receiver's
    INPUT, after tcpdump saw it) is lost; a second segment goes out behind it at once
    (TCP_NODELAY), and the stack retransmits the first."""
    srv = listener(socket.AF_INET, '127.0.0.1')

    def serve():
        conn, _ = srv.accept()
        got = b''
        while len(got) < 383:
            got += conn.recv(1000)
        conn.sendall(b'ok\n')
        read_all(conn)
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection(('127.0.0.1', PORT))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.sendall(b'A' * 333)
    time.sleep(0.005)
    c.sendall(b'B' * 50)
    c.recv(100)
    time.sleep(0.05)
    c.close()
    t.join()


def ipv6():
    normal(socket.AF_INET6, '::1')


def interleaved():
    """Two connections to the same server at once, their segments interleaved."""
    srv = listener(socket.AF_INET, '127.0.0.1')
    conns = []

    def serve():
        for _ in range(2):
            conns.append(srv.accept()[0])

    t = threading.Thread(target=serve)
    t.start()
    c1 = socket.create_connection(('127.0.0.1', PORT))
    time.sleep(0.02)
    c2 = socket.create_connection(('127.0.0.1', PORT))
    t.join()
    s1, s2 = conns
    c1.sendall(b'first\n')
    time.sleep(0.02)
    c2.sendall(b'second\n')
    time.sleep(0.02)
    s1.recv(100)
    s2.recv(100)
    s2.sendall(b'to second\n')
    time.sleep(0.02)
    s1.sendall(b'to first\n')
    time.sleep(0.02)
    c1.recv(100)
    c2.recv(100)
    c2.close()
    time.sleep(0.02)
    c1.close()
    time.sleep(0.02)
    s1.close()
    time.sleep(0.02)
    s2.close()


def keepalive():
    """An idle connection with TCP keep-alive after one second: the client probes twice
    (seq one below its next), the server answers each with a duplicate ACK."""
    srv = listener(socket.AF_INET, '127.0.0.1')

    def serve():
        conn, _ = srv.accept()
        conn.recv(100)
        conn.sendall(b'ok\n')
        read_all(conn)
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    c = socket.create_connection(('127.0.0.1', PORT))
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    c.sendall(b'hello\n')
    c.recv(100)
    time.sleep(2.5)
    c.close()
    t.join()


SCENARIOS = {
    'normal': normal, 'server-first': server_first, 'half-close': half_close,
    'refused': refused, 'abort': abort, 'retransmit': retransmit, 'ipv6': ipv6,
    'interleaved': interleaved, 'keepalive': keepalive,
}

if __name__ == '__main__':
    SCENARIOS[sys.argv[1]]()
    time.sleep(0.3)  # let the last ACKs go out before the capture stops
