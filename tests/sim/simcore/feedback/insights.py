"""A small CloudWatch Logs Insights engine over the simulated log groups.

Commands: fields / display, filter, sort, limit, stats (count, count_distinct, sum, avg,
min, max, pct; grouped by fields and bin(N[smhd])), parse (glob pattern). Expressions in
filter: comparisons (= != < <= > >=), like /regex/ or "substring", not like, in [...],
ispresent(), and/or/not, parentheses. Discovered fields: @timestamp, @message, @logStream,
@log, @ingestionTime, @ptr, Lambda's @type/@requestId/@duration/@billedDuration/
@memorySize/@maxMemoryUsed/@initDuration, and the members of JSON messages.
"""
import base64
import json
import re
import time

MAX_RESULTS = 10000

_REPORT = re.compile(r'^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+'
                     r'Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB(?:\s+Init Duration: ([\d.]+) ms)?')
_START_END = re.compile(r'^(START|END) RequestId: (\S+)')


class QueryError(ValueError):
    def __init__(self, message, offset=0, end=0):
        super().__init__(message)
        self.message, self.offset, self.end = message, offset, end


def ts_text(ms):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(ms // 1000)) + '.%03d' % (ms % 1000)


def discover(group, event, account):
    rec = {'@timestamp': event.ts, '@message': event.message, '@logStream': event.stream,
           '@log': f'{account}:{group}', '@ingestionTime': event.ingest}
    msg = event.message
    m = _REPORT.match(msg)
    if m:
        rec.update({'@type': 'REPORT', '@requestId': m.group(1), '@duration': float(m.group(2)),
                    '@billedDuration': float(m.group(3)), '@memorySize': float(m.group(4)) * 1e6,
                    '@maxMemoryUsed': float(m.group(5)) * 1e6})
        if m.group(6):
            rec['@initDuration'] = float(m.group(6))
    else:
        m = _START_END.match(msg)
        if m:
            rec['@type'], rec['@requestId'] = m.group(1), m.group(2)
        elif msg.lstrip().startswith('{'):
            try:
                doc = json.loads(msg)
            except ValueError:
                doc = None
            if isinstance(doc, dict):
                _flatten(doc, '', rec)
    return rec


def _flatten(obj, prefix, out):
    for key, value in obj.items():
        name = prefix + key
        if isinstance(value, dict):
            _flatten(value, name + '.', out)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _flatten(item, f'{name}.{i}.', out)
                else:
                    out[f'{name}.{i}'] = item
        else:
            out[name] = value


# ---------------------------------------------------------------- parsing

_TOKEN = re.compile(r'''\s*(?:
    (?P<regex>/(?:[^/\\]|\\.)*/[a-z]*) |
    (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*') |
    (?P<num>-?\d+(?:\.\d+)?) |
    (?P<op>!=|<=|>=|=|<|>|\(|\)|\[|\]|,|\*|\+|-|/) |
    (?P<name>@?[A-Za-z_][A-Za-z0-9_.@$-]*|`[^`]+`)
)''', re.X)


def _split_pipes(text):
    parts, buf, quote, i = [], [], None, 0
    while i < len(text):
        c = text[i]
        if quote:
            buf.append(c)
            if c == '\\' and i + 1 < len(text):
                buf.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in '"\'':
            quote = c
            buf.append(c)
        elif c == '/' and _regex_context(buf):
            quote = '/'
            buf.append(c)
        elif c == '|':
            parts.append(''.join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    parts.append(''.join(buf))
    return [p.strip() for p in parts if p.strip()]


def _regex_context(buf):
    text = ''.join(buf).rstrip()
    return text.lower().endswith(' like') or text.endswith('=~')


class _Tokens:
    def __init__(self, text, offset):
        self.toks = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if not text[pos:].strip():
                    break
                raise QueryError(f'unexpected symbol found {text[pos:pos + 1]!r}', offset + pos,
                                 offset + pos + 1)
            kind = m.lastgroup
            value = m.group(kind)
            if kind == 'name' and value.startswith('`'):
                value = value[1:-1]
            self.toks.append((kind, value, offset + m.start(kind)))
            pos = m.end()
        self.i = 0
        self.end = offset + len(text)

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else (None, None, self.end)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value is not None and tok[1].lower() != value):
            raise QueryError(f'mismatched input {tok[1]!r}' if tok[0] else 'unexpected end of query',
                             tok[2], tok[2] + len(tok[1] or ''))
        self.i += 1
        return tok

    def word(self, value):
        tok = self.peek()
        return tok[0] == 'name' and tok[1].lower() == value

    def done(self):
        return self.i >= len(self.toks)


def parse(query):
    if not isinstance(query, str) or not query.strip():
        raise QueryError('Query string is empty')
    commands = []
    offset = 0
    for part in _split_pipes(query):
        at = query.find(part, offset)
        offset = at + len(part)
        head, _, rest = part.partition(' ')
        name = head.lower()
        base = at + len(head) + 1
        toks = _Tokens(rest, base)
        if name in ('fields', 'display'):
            commands.append((name, _field_list(toks)))
        elif name == 'filter':
            expr = _expr(toks)
            if not toks.done():
                raise QueryError(f'mismatched input {toks.peek()[1]!r}', toks.peek()[2])
            commands.append(('filter', expr))
        elif name == 'sort':
            keys = []
            while True:
                field = toks.take('name')[1]
                desc = False
                if toks.word('desc') or toks.word('asc'):
                    desc = toks.take()[1].lower() == 'desc'
                keys.append((field, desc))
                if toks.peek()[1] != ',':
                    break
                toks.take()
            commands.append(('sort', keys))
        elif name == 'limit':
            n = int(float(toks.take('num')[1]))
            if not 1 <= n <= MAX_RESULTS:
                raise QueryError(f'limit must be between 1 and {MAX_RESULTS}', base)
            commands.append(('limit', n))
        elif name == 'stats':
            commands.append(('stats',) + _stats(toks))
        elif name == 'parse':
            field = toks.take('name')[1]
            pattern = toks.take('str')[1][1:-1]
            toks.take('name', 'as')
            names = [toks.take('name')[1]]
            while toks.peek()[1] == ',':
                toks.take()
                names.append(toks.take('name')[1])
            rx = '^.*?' + '(.*?)'.join(re.escape(p) for p in pattern.split('*')) + '.*$' \
                if pattern.count('*') == len(names) else None
            if rx is None:
                raise QueryError('the number of wildcards does not match the number of fields', base)
            commands.append(('parse', field, re.compile(rx, re.S), names))
        elif name == 'dedup':
            commands.append(('dedup', _field_list(toks)))
        else:
            raise QueryError(f'unexpected symbol found {head}', at, at + len(head))
        if not toks.done() and name not in ('filter',):
            tok = toks.peek()
            raise QueryError(f'mismatched input {tok[1]!r}', tok[2], tok[2] + len(tok[1]))
    return commands


def _field_list(toks):
    out = []
    while True:
        field = toks.take('name')[1]
        alias = field
        if toks.word('as'):
            toks.take()
            alias = toks.take('name')[1]
        out.append((field, alias))
        if toks.peek()[1] != ',':
            return out
        toks.take()


def _expr(toks):
    node = _and(toks)
    while toks.word('or'):
        toks.take()
        node = ('or', node, _and(toks))
    return node


def _and(toks):
    node = _not(toks)
    while toks.word('and'):
        toks.take()
        node = ('and', node, _not(toks))
    return node


def _not(toks):
    if toks.word('not'):
        toks.take()
        return ('not', _not(toks))
    return _cmp(toks)


def _cmp(toks):
    if toks.peek()[1] == '(':
        toks.take()
        node = _expr(toks)
        toks.take('op', ')')
        return node
    if toks.word('ispresent') and toks.peek(1)[1] == '(':
        toks.take()
        toks.take('op', '(')
        field = toks.take('name')[1]
        toks.take('op', ')')
        return ('present', field)
    left = _operand(toks)
    tok = toks.peek()
    negate = False
    if toks.word('not') and toks.peek(1)[0] == 'name' and toks.peek(1)[1].lower() in ('like', 'in'):
        toks.take()
        negate = True
        tok = toks.peek()
    if tok[0] == 'name' and tok[1].lower() == 'like' or tok[1] == '=~':
        toks.take()
        kind, value, pos = toks.take()
        if kind == 'regex':
            body, _, flags = value[1:].rpartition('/')
            try:
                rx = re.compile(body, re.I if 'i' in flags else 0)
            except re.error:
                raise QueryError('invalid regular expression', pos) from None
            node = ('like', left, rx)
        elif kind == 'str':
            node = ('like', left, re.compile(re.escape(_unquote(value))))
        else:
            raise QueryError(f'mismatched input {value!r}', pos)
        return ('not', node) if negate else node
    if tok[0] == 'name' and tok[1].lower() == 'in':
        toks.take()
        toks.take('op', '[')
        options = [_operand(toks)]
        while toks.peek()[1] == ',':
            toks.take()
            options.append(_operand(toks))
        toks.take('op', ']')
        node = ('in', left, options)
        return ('not', node) if negate else node
    if tok[0] == 'op' and tok[1] in ('=', '!=', '<', '<=', '>', '>='):
        toks.take()
        return ('cmp', tok[1], left, _operand(toks))
    return ('truthy', left)


def _operand(toks):
    kind, value, pos = toks.take()
    if kind == 'num':
        return ('lit', float(value))
    if kind == 'str':
        return ('lit', _unquote(value))
    if kind == 'name':
        return ('field', value)
    raise QueryError(f'mismatched input {value!r}', pos, pos + len(value))


def _unquote(text):
    return re.sub(r'\\(.)', r'\1', text[1:-1])


_AGGS = ('count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'pct', 'earliest', 'latest')


def _stats(toks):
    aggs = []
    while True:
        kind, name, pos = toks.take('name')
        fn = name.lower()
        if fn not in _AGGS:
            raise QueryError(f'unknown function {name}', pos, pos + len(name))
        toks.take('op', '(')
        if toks.peek()[1] == '*':
            toks.take()
            arg = '*'
        else:
            arg = toks.take('name')[1]
        extra = None
        if fn == 'pct':
            toks.take('op', ',')
            extra = float(toks.take('num')[1])
        toks.take('op', ')')
        label = f'{fn}({arg}' + (f', {extra:g}' if extra is not None else '') + ')'
        if toks.word('as'):
            toks.take()
            label = toks.take('name')[1]
        aggs.append((fn, arg, extra, label))
        if toks.peek()[1] != ',':
            break
        toks.take()
    groups = []
    if toks.word('by'):
        toks.take()
        while True:
            if toks.word('bin') and toks.peek(1)[1] == '(':
                toks.take()
                toks.take('op', '(')
                kind, value, pos = toks.take()
                unit = 'm'
                if kind == 'num' and toks.peek()[0] == 'name':
                    unit = toks.take('name')[1]
                elif kind == 'name':
                    m = re.match(r'^(\d+)([smhd]|ms)$', value)
                    if not m:
                        raise QueryError(f'invalid bin period {value}', pos)
                    value, unit = m.groups()
                toks.take('op', ')')
                seconds = float(value) * {'ms': 0.001, 's': 1, 'm': 60, 'h': 3600, 'd': 86400}.get(unit, 60)
                label = f'bin({value}{unit})'
                if toks.word('as'):
                    toks.take()
                    label = toks.take('name')[1]
                groups.append(('bin', seconds, label))
            else:
                field = toks.take('name')[1]
                label = field
                if toks.word('as'):
                    toks.take()
                    label = toks.take('name')[1]
                groups.append(('field', field, label))
            if toks.peek()[1] != ',':
                break
            toks.take()
    return aggs, groups


# ---------------------------------------------------------------- running

def _value(rec, node):
    if node[0] == 'lit':
        return node[1]
    return rec.get(node[1])


def _num(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _eval(rec, node):
    kind = node[0]
    if kind == 'and':
        return _eval(rec, node[1]) and _eval(rec, node[2])
    if kind == 'or':
        return _eval(rec, node[1]) or _eval(rec, node[2])
    if kind == 'not':
        return not _eval(rec, node[1])
    if kind == 'present':
        return node[1] in rec
    if kind == 'truthy':
        return bool(_value(rec, node[1]))
    if kind == 'like':
        value = _value(rec, node[1])
        return value is not None and node[2].search(str(value)) is not None
    if kind == 'in':
        value = _value(rec, node[1])
        return any(_equal(value, _value(rec, o)) for o in node[2])
    op, left, right = node[1], _value(rec, node[2]), _value(rec, node[3])
    if left is None or right is None:
        return op == '!=' and (left is None) != (right is None)
    if op in ('=', '!='):
        same = _equal(left, right)
        return same if op == '=' else not same
    a, b = _num(left), _num(right)
    if a is None or b is None:
        a, b = str(left), str(right)
    return {'<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b}[op]


def _equal(a, b):
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None:
        return na == nb
    return str(a) == str(b)


def _text(value, field=None):
    if field in ('@timestamp', '@ingestionTime') and isinstance(value, (int, float)):
        return ts_text(int(value))
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        return ('%d' % value) if value == int(value) and abs(value) < 1e15 else repr(value)
    if value is None:
        return ''
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def ptr(group, event):
    return base64.b64encode(f'{group}|{event.stream}|{event.ts}|{event.seq}'.encode()).decode()


def run(commands, records, default_limit):
    """Rows of [{field, value}] for records (dicts from discover(), carrying '_ptr')."""
    stats = None
    matched = 0
    limit = default_limit
    rows = records
    projection = None
    sorts = None
    for cmd in commands:
        kind = cmd[0]
        if kind == 'filter':
            rows = [r for r in rows if _eval(r, cmd[1])]
        elif kind == 'parse':
            _, field, rx, names = cmd
            out = []
            for r in rows:
                m = rx.match(str(r.get(field, '')))
                if m:
                    r = dict(r)
                    r.update(zip(names, m.groups()))
                out.append(r)
            rows = out
        elif kind in ('fields', 'display'):
            if kind == 'fields':
                rows = [dict(r, **{alias: r.get(field) for field, alias in cmd[1] if field != alias})
                        for r in rows]
                projection = (projection or []) + [alias for _, alias in cmd[1]]
            else:
                projection = [alias for _, alias in cmd[1]]
        elif kind == 'sort':
            sorts = cmd[1]
            rows = _sorted(rows, sorts)
        elif kind == 'limit':
            limit = cmd[1]
        elif kind == 'dedup':
            seen, out = set(), []
            for r in rows:
                key = tuple(_text(r.get(f)) for f, _ in cmd[1])
                if key not in seen:
                    seen.add(key)
                    out.append(r)
            rows = out
        elif kind == 'stats':
            matched = len(rows)
            stats = cmd
            rows = _aggregate(rows, cmd[1], cmd[2])
            projection = [g[2] for g in cmd[2]] + [a[3] for a in cmd[1]]
    if stats is None:
        matched = len(rows)
    if stats is None and sorts is None:
        rows = sorted(rows, key=lambda r: (r.get('@timestamp', 0), r.get('_seq', 0)), reverse=True)
    if stats is not None and sorts is None and stats[2] and stats[2][0][0] == 'bin':
        rows = sorted(rows, key=lambda r: r.get(stats[2][0][2], 0))
    rows = rows[:limit]
    out = []
    for r in rows:
        if projection is None:
            fields = ['@timestamp', '@message', '@logStream', '@log']
        else:
            fields = projection
        row = [{'field': f, 'value': _text(r.get(f), f)} for f in fields if f in r]
        if stats is None and '_ptr' in r:
            row.append({'field': '@ptr', 'value': r['_ptr']})
        out.append(row)
    return out, matched


def _sorted(rows, keys):
    out = list(rows)
    for field, desc in reversed(keys):
        present = [r for r in out if r.get(field) is not None]
        missing = [r for r in out if r.get(field) is None]
        numeric = all(_num(r.get(field)) is not None for r in present)
        present.sort(key=(lambda r: _num(r.get(field))) if numeric else (lambda r: str(r.get(field))),
                     reverse=desc)
        out = present + missing
    return out


def _aggregate(rows, aggs, groups):
    buckets = {}
    for r in rows:
        key = []
        for g in groups:
            if g[0] == 'bin':
                ms = r.get('@timestamp', 0)
                width = g[1] * 1000
                key.append(int(ms // width * width))
            else:
                key.append(_text(r.get(g[1])))
        buckets.setdefault(tuple(key), []).append(r)
    out = []
    for key, members in buckets.items():
        row = {}
        for g, k in zip(groups, key):
            row[g[2]] = ts_text(k) if g[0] == 'bin' else k
            if g[0] == 'bin':
                row[g[2]] = k  # numeric until rendered, so bins sort in time order
        for fn, arg, extra, label in aggs:
            row[label] = _agg(fn, arg, extra, members)
        out.append(row)
    for row in out:
        for g in groups:
            if g[0] == 'bin':
                row[g[2]] = _BinStamp(row[g[2]])
    return out


class _BinStamp(int):
    def __str__(self):
        return ts_text(int(self))


def _agg(fn, arg, extra, members):
    if fn == 'count':
        return float(len(members) if arg == '*' else sum(1 for m in members if arg in m))
    values = [m.get(arg) for m in members if arg in m]
    if fn == 'count_distinct':
        return float(len({_text(v) for v in values}))
    if fn in ('earliest', 'latest'):
        pick = sorted((m for m in members if arg in m), key=lambda m: m.get('@timestamp', 0))
        if not pick:
            return None
        return (pick[0] if fn == 'earliest' else pick[-1]).get(arg)
    nums = [n for n in (_num(v) for v in values) if n is not None]
    if not nums:
        return None
    if fn == 'sum':
        return sum(nums)
    if fn == 'avg':
        return sum(nums) / len(nums)
    if fn == 'min':
        return min(nums)
    if fn == 'max':
        return max(nums)
    nums.sort()
    k = max(0, min(len(nums) - 1, int(round(extra / 100 * len(nums) + 0.5)) - 1))
    return nums[k]
