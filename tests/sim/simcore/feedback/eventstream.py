"""application/vnd.amazon.eventstream message encoder (Live Tail).

    uint32 total length | uint32 headers length | uint32 prelude CRC32 (of the 8 bytes before)
    headers | payload | uint32 message CRC32 (of everything before it)

A header is: uint8 name length, name, uint8 type, value; this encoder writes the types
the service uses: 7 = string (uint16 length + UTF-8) and 6 = bytes.
"""
import json
import struct
import zlib

_STRING = 7
_BYTES = 6


def _header(name, value):
    raw_name = name.encode('ascii')
    if isinstance(value, bytes):
        return bytes([len(raw_name)]) + raw_name + bytes([_BYTES]) + struct.pack('>H', len(value)) + value
    raw = value.encode('utf-8')
    return bytes([len(raw_name)]) + raw_name + bytes([_STRING]) + struct.pack('>H', len(raw)) + raw


def encode(headers, payload, corrupt=False):
    """One message; headers is a list of (name, value) in order. `corrupt` garbles the
    message CRC (to test a client's checks)."""
    head = b''.join(_header(name, value) for name, value in headers)
    total = 12 + len(head) + len(payload) + 4
    prelude = struct.pack('>II', total, len(head))
    prelude += struct.pack('>I', zlib.crc32(prelude) & 0xffffffff)
    body = prelude + head + payload
    crc = zlib.crc32(body) & 0xffffffff
    if corrupt:
        crc ^= 0x5A5A5A5A
    return body + struct.pack('>I', crc)


def event(event_type, obj, corrupt=False):
    return encode([(':event-type', event_type), (':content-type', 'application/json'),
                   (':message-type', 'event')], json.dumps(obj).encode('utf-8'), corrupt)


def exception(exception_type, message):
    return encode([(':exception-type', exception_type), (':content-type', 'application/json'),
                   (':message-type', 'exception')], json.dumps({'message': message}).encode('utf-8'))
