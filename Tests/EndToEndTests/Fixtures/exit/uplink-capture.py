# A capture on the gateway's uplink (AF_PACKET, as tcpdump reads it): counts the exit tunnel's outer packets (udp
# to or from the endpoint) and every packet of a client flow (a mesh client's address, the internet server, or the
# host's web port). Arguments: INTERFACE ENDPOINT_IP ENDPOINT_PORT HOST_WEB_PORT SECONDS. Prints "tunnel=N client=N".
import signal
import socket
import struct
import sys
import time

interface, endpoint, endpoint_port, web_port, seconds = sys.argv[1], socket.inet_aton(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
server = socket.inet_aton("198.51.100.80")
capture = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
capture.bind((interface, 0))
capture.settimeout(0.2)
tunnel = client = 0
stopped = False


def stop(*_):
    global stopped
    stopped = True


# SIGTERM ends the capture early and still prints the counts.
signal.signal(signal.SIGTERM, stop)
print("listening", flush=True)
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and not stopped:
    try:
        frame = capture.recv(65535)
    except socket.timeout:
        continue
    if frame[12:14] != b"\x08\x00":
        continue
    packet = frame[14:]
    header = (packet[0] & 15) * 4
    protocol, source, destination = packet[9], packet[12:16], packet[16:20]
    ports = struct.unpack("!HH", packet[header:header + 4]) if protocol in (6, 17) else (0, 0)
    if protocol == 17 and endpoint in (source, destination) and endpoint_port in ports:
        tunnel += 1
    elif server in (source, destination) or source[:2] == b"\x0a\x63" or destination[:2] == b"\x0a\x63" or (protocol == 6 and web_port in ports):
        client += 1
print(f"tunnel={tunnel} client={client}", flush=True)
