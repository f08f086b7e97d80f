"""awsQuery helpers shared by CloudWatch and CloudFormation: turning flattened form
parameters into nested values, and nested values into AWS-style XML."""
import calendar
import re
import time
from xml.sax.saxutils import escape

from ..wire import Response


class Stamp(float):
    """A timestamp (epoch seconds): a number in JSON, ISO 8601 in XML."""


class XmlMap(dict):
    """A map: an object in JSON, <entry><key/><value/></entry> elements in XML."""


def iso(ts):
    ms = int(round(float(ts) * 1000))
    base = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ms // 1000))
    return base + ('.%03dZ' % (ms % 1000) if ms % 1000 else 'Z')


def unflatten(params):
    """{'A.member.1.B': 'x', 'C': 'y'} -> {'A': [{'B': 'x'}], 'C': 'y'} (Action/Version dropped).
    Maps (`Name.entry.N.key/value`) become dicts."""
    root = {}
    for key, value in params.items():
        if key in ('Action', 'Version'):
            continue
        parts = key.split('.')
        _put(root, parts, value)
    return _finish(root)


def _put(node, parts, value):
    head = parts[0]
    if len(parts) == 1:
        node[head] = value
        return
    if parts[1] in ('member', 'entry') and len(parts) >= 3 and parts[2].isdigit():
        bucket = node.setdefault(head, {'__list__': parts[1]})
        if not isinstance(bucket, dict) or '__list__' not in bucket:
            bucket = node[head] = {'__list__': parts[1]}
        index = int(parts[2])
        if len(parts) == 3:
            bucket[index] = value
        else:
            child = bucket.setdefault(index, {})
            if not isinstance(child, dict):
                child = bucket[index] = {}
            _put(child, parts[3:], value)
        return
    child = node.setdefault(head, {})
    if not isinstance(child, dict):
        child = node[head] = {}
    _put(child, parts[1:], value)


def _finish(node):
    if isinstance(node, dict):
        if '__list__' in node:
            kind = node.pop('__list__')
            items = [_finish(node[k]) for k in sorted(k for k in node if isinstance(k, int))]
            if kind == 'entry':
                return {i.get('key'): i.get('value') for i in items if isinstance(i, dict)}
            return items
        return {k: _finish(v) for k, v in node.items()}
    return node


def to_xml(value, depth):
    pad = '  ' * depth
    out = []
    for tag, item in value.items():
        if item is None:
            continue
        if isinstance(item, XmlMap):
            out.append(f'{pad}<{tag}>\n')
            for key, val in item.items():
                out.append(f'{pad}  <entry>\n{pad}    <key>{_scalar(key)}</key>\n'
                           f'{pad}    <value>{_scalar(val)}</value>\n{pad}  </entry>\n')
            out.append(f'{pad}</{tag}>\n')
        elif isinstance(item, dict):
            inner = to_xml(item, depth + 1)
            out.append(f'{pad}<{tag}>\n{inner}{pad}</{tag}>\n' if inner else f'{pad}<{tag}/>\n')
        elif isinstance(item, list):
            if not item:
                out.append(f'{pad}<{tag}/>\n')
                continue
            out.append(f'{pad}<{tag}>\n')
            for member in item:
                if isinstance(member, dict):
                    out.append(f'{pad}  <member>\n{to_xml(member, depth + 2)}{pad}  </member>\n')
                else:
                    out.append(f'{pad}  <member>{_scalar(member)}</member>\n')
            out.append(f'{pad}</{tag}>\n')
        else:
            out.append(f'{pad}<{tag}>{_scalar(item)}</{tag}>\n')
    return ''.join(out)


def _scalar(value):
    if isinstance(value, Stamp):
        return iso(value)
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        return repr(value)
    return escape(str(value))


def query_response(action, result, request_id, xmlns):
    inner = to_xml(result, 2)
    body = (f'<{action}Response xmlns="{xmlns}">\n'
            f'  <{action}Result>\n{inner}  </{action}Result>\n'
            f'  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n'
            f'</{action}Response>\n')
    return Response(200, body.encode('utf-8'), 'text/xml')


_ISO_RE = re.compile(r'^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$')


def parse_time(value):
    """Epoch seconds from a JSON number or an ISO 8601 string; None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    m = _ISO_RE.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    ts = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s), 0, 0, 0))
    if frac:
        ts += float(frac)
    if zone and zone != 'Z':
        sign = 1 if zone[0] == '+' else -1
        zone = zone[1:].replace(':', '')
        ts -= sign * (int(zone[:2]) * 3600 + int(zone[2:]) * 60)
    return float(ts)
