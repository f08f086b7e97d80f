"""Small deterministic helpers shared by the feedback scenario: hashing to numbers,
ids that look like AWS ids, time formats, and the caller's region."""
import base64
import hashlib
import json
import re
import struct
import time
import uuid

ACCOUNT = '111122223333'
DEFAULT_REGION = 'us-east-1'
SEED = 20261126

_SCOPE_RE = re.compile(r'Credential=[^/,\s]*/\d{8}/([^/,\s]+)/')
_B36 = '0123456789abcdefghijklmnopqrstuvwxyz'


def h64(*parts):
    """Stable 64-bit number for any parts (same on every run and platform)."""
    data = '\x1f'.join(str(p) for p in parts).encode()
    return struct.unpack('>Q', hashlib.blake2b(data, digest_size=8).digest())[0]


def unit(*parts):
    """Stable number in [0, 1)."""
    return h64(*parts) / 18446744073709551616.0


def det_uuid(*parts):
    return str(uuid.UUID(bytes=hashlib.md5('\x1f'.join(map(str, parts)).encode()).digest(), version=4))


def hex32(*parts):
    return hashlib.md5('\x1f'.join(map(str, parts)).encode()).hexdigest()


def b36(n, width):
    out = []
    for _ in range(width):
        n, r = divmod(n, 36)
        out.append(_B36[r])
    return ''.join(out)


def region_of(req):
    """Signing region of a request (resources are reported in the caller's region)."""
    match = _SCOPE_RE.search(req.header('Authorization') or '')
    return match.group(1) if match else DEFAULT_REGION


def iso_ms(ts):
    """2026-11-26T10:00:00.123Z"""
    ms = int(round(ts * 1000))
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ms // 1000)) + '.%03dZ' % (ms % 1000)


def iso_s(ts):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(ts))


def lambda_time(ts):
    """Lambda's LastModified format: 2026-11-26T10:00:00.000+0000"""
    ms = int(round(ts * 1000))
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ms // 1000)) + '.%03d+0000' % (ms % 1000)


def encode_token(obj):
    """Opaque pagination token, like the long base64 strings AWS hands out."""
    raw = json.dumps(obj, separators=(',', ':'), sort_keys=True).encode()
    return base64.b64encode(b'tiertop-sim\x00' + raw).decode()


def decode_token(token, kind=None):
    """The object inside a token, or None if it is not one of ours (or of another kind)."""
    if not isinstance(token, str):
        return None
    try:
        raw = base64.b64decode(token.encode(), validate=True)
        if not raw.startswith(b'tiertop-sim\x00'):
            return None
        obj = json.loads(raw[12:])
    except (ValueError, UnicodeError):
        return None
    if kind is not None and (not isinstance(obj, dict) or obj.get('k') != kind):
        return None
    return obj
