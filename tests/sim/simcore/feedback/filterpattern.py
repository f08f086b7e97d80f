"""CloudWatch Logs filter patterns, compiled to predicates over a message.

Supported, as documented for FilterLogEvents / metric filters / Live Tail:
  * ""                         every event
  * ERROR Exception            all terms (case-sensitive substrings)
  * "quoted phrase"            an exact phrase, punctuation and spaces included
  * ERROR -DEBUG               exclusion
  * ?ERROR ?WARN               at least one of the ?-terms
  * %regex%                    a regular expression term
  * { $.level = "ERROR" }      JSON events: = != on strings (with * wildcards), = != < <= > >=
                               on numbers, IS TRUE/FALSE/NULL, NOT EXISTS, && || and parentheses
  * [ip, user, ..., status = 404, size > 1000]   space-delimited fields
"""
import json
import re
from decimal import Decimal, InvalidOperation


class PatternError(ValueError):
    pass


def compile_pattern(pattern):
    if pattern is None:
        return None
    if not isinstance(pattern, str):
        raise PatternError('Invalid filter pattern')
    text = pattern.strip()
    if not text:
        return None
    if text.startswith('{'):
        return _JsonPattern(text).predicate()
    if text.startswith('['):
        return _spaced(text)
    return _terms(text)


# ---------------------------------------------------------------- terms

def _terms(text):
    required, excluded, optional = [], [], []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        sign = ''
        if text[i] in '-?':
            sign = text[i]
            i += 1
        if i < n and text[i] == '"':
            j = i + 1
            buf = []
            while j < n and text[j] != '"':
                if text[j] == '\\' and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                raise PatternError('Invalid filter pattern: unterminated quoted term')
            term = ('text', ''.join(buf))
            i = j + 1
        elif i < n and text[i] == '%':
            j = text.find('%', i + 1)
            if j < 0:
                raise PatternError('Invalid filter pattern: unterminated regular expression')
            try:
                term = ('re', re.compile(text[i + 1:j]))
            except re.error:
                raise PatternError('Invalid filter pattern: bad regular expression') from None
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            word = text[i:j]
            if not word or not all(c.isalnum() or c in '_-.:/@' for c in word):
                raise PatternError(f'Invalid character(s) in term \'{word}\'')
            term = ('text', word)
            i = j
        (excluded if sign == '-' else optional if sign == '?' else required).append(term)

    def hit(term, message):
        return term[1] in message if term[0] == 'text' else term[1].search(message) is not None

    def predicate(message):
        if any(not hit(t, message) for t in required):
            return False
        if any(hit(t, message) for t in excluded):
            return False
        return not optional or any(hit(t, message) for t in optional)
    return predicate


# ---------------------------------------------------------------- JSON

_MISSING = object()


class _JsonPattern:
    _TOKEN = re.compile(r'''\s*(?:
        (?P<sel>\$(?:\.[A-Za-z0-9_@$\-]+|\[\d+\]|\[\*\])*) |
        (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)|\{|\}) |
        (?P<str>"(?:[^"\\]|\\.)*") |
        (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?) |
        (?P<word>[A-Za-z_][A-Za-z0-9_.*\-]*|\*[A-Za-z0-9_.*\-]*)
    )''', re.X)

    def __init__(self, text):
        self.toks = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = self._TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip() == '':
                    break
                raise PatternError('Invalid filter pattern')
            kind = m.lastgroup
            self.toks.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise PatternError('Invalid filter pattern')
        self.i += 1
        return tok

    def predicate(self):
        self.take('{')
        node = self._or()
        self.take('}')
        if self.i != len(self.toks):
            raise PatternError('Invalid filter pattern')

        def pred(message):
            text = message.strip()
            if not text.startswith('{') and not text.startswith('['):
                return False
            try:
                doc = json.loads(text, parse_float=Decimal, parse_int=Decimal)
            except ValueError:
                return False
            return node(doc)
        return pred

    def _or(self):
        left = self._and()
        while self.peek() == ('op', '||'):
            self.take()
            right = self._and()
            left = (lambda a, b: lambda d: a(d) or b(d))(left, right)
        return left

    def _and(self):
        left = self._atom()
        while self.peek() == ('op', '&&'):
            self.take()
            right = self._atom()
            left = (lambda a, b: lambda d: a(d) and b(d))(left, right)
        return left

    def _atom(self):
        if self.peek() == ('op', '('):
            self.take()
            node = self._or()
            self.take(')')
            return node
        kind, sel = self.take()
        if kind != 'sel':
            raise PatternError('Invalid filter pattern')
        path = _selector(sel)
        kind, op = self.peek()
        if kind == 'word' and op.upper() in ('IS', 'NOT'):
            self.take()
            word = self.take()[1].upper()
            if op.upper() == 'NOT' and word == 'EXISTS':
                return lambda d: not _values(d, path)
            if op.upper() == 'IS' and word in ('TRUE', 'FALSE', 'NULL'):
                want = {'TRUE': True, 'FALSE': False, 'NULL': None}[word]
                return lambda d: any(v is want for v in _values(d, path))
            raise PatternError('Invalid filter pattern')
        if kind != 'op' or op not in ('=', '!=', '<', '<=', '>', '>='):
            raise PatternError('Invalid filter pattern')
        self.take()
        vkind, raw = self.take()
        if vkind == 'num':
            target = Decimal(raw)
            return lambda d: any(_num_cmp(v, op, target) for v in _values(d, path))
        if vkind in ('str', 'word'):
            if op not in ('=', '!='):
                raise PatternError('Invalid filter pattern')
            text = json.loads(raw) if vkind == 'str' else raw
            rx = re.compile('^' + '.*'.join(re.escape(p) for p in text.split('*')) + '$', re.S)

            def match(d):
                vals = _values(d, path)
                hit = any(isinstance(v, str) and rx.match(v) for v in vals)
                return hit if op == '=' else (not hit and bool(vals))
            return match
        raise PatternError('Invalid filter pattern')


def _selector(sel):
    parts = []
    for m in re.finditer(r'\.([A-Za-z0-9_@$\-]+)|\[(\d+|\*)\]', sel[1:]):
        if m.group(1) is not None:
            parts.append(m.group(1))
        else:
            parts.append('*' if m.group(2) == '*' else int(m.group(2)))
    return parts


def _values(doc, path):
    cur = [doc]
    for part in path:
        nxt = []
        for node in cur:
            if part == '*' and isinstance(node, list):
                nxt.extend(node)
            elif isinstance(part, int) and isinstance(node, list) and part < len(node):
                nxt.append(node[part])
            elif isinstance(part, str) and isinstance(node, dict) and part in node:
                nxt.append(node[part])
        cur = nxt
    return cur


def _num_cmp(value, op, target):
    if isinstance(value, bool) or not isinstance(value, Decimal):
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except InvalidOperation:
                return False
        else:
            return False
    return {'=': value == target, '!=': value != target, '<': value < target,
            '<=': value <= target, '>': value > target, '>=': value >= target}[op]


# ---------------------------------------------------------------- space-delimited

def _spaced(text):
    if not text.endswith(']'):
        raise PatternError('Invalid filter pattern')
    fields = []
    for raw in _split_commas(text[1:-1]):
        raw = raw.strip()
        if raw == '...':
            fields.append(('...', None))
            continue
        m = re.match(r'^([A-Za-z_][A-Za-z0-9_]*|\w*)\s*(?:(=|!=|<=|>=|<|>)\s*(.+))?$', raw)
        if not m:
            raise PatternError('Invalid filter pattern')
        name, op, value = m.groups()
        cond = None
        if op:
            value = value.strip()
            if value.startswith('"') and value.endswith('"'):
                value = value[1:-1]
            cond = (op, value)
        fields.append((name, cond))

    def pred(message):
        words = _split_message(message)
        return _match_fields(fields, words)
    return pred


def _split_commas(text):
    out, buf, quoted = [], [], False
    for c in text:
        if c == '"':
            quoted = not quoted
        if c == ',' and not quoted:
            out.append(''.join(buf))
            buf = []
        else:
            buf.append(c)
    out.append(''.join(buf))
    return out


def _split_message(message):
    words, i, n = [], 0, len(message)
    while i < n:
        if message[i].isspace():
            i += 1
            continue
        if message[i] in '"[':
            close = '"' if message[i] == '"' else ']'
            j = message.find(close, i + 1)
            j = n if j < 0 else j
            words.append(message[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and not message[j].isspace():
                j += 1
            words.append(message[i:j])
            i = j
    return words


def _field_ok(cond, word):
    if cond is None:
        return True
    op, value = cond
    try:
        a, b = Decimal(word), Decimal(value)
        numeric = True
    except InvalidOperation:
        numeric = False
    if numeric:
        return {'=': a == b, '!=': a != b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b}[op]
    rx = re.compile('^' + '.*'.join(re.escape(p) for p in value.split('*')) + '$', re.S)
    if op == '=':
        return bool(rx.match(word))
    if op == '!=':
        return not rx.match(word)
    return False


def _match_fields(fields, words):
    if not fields:
        return not words
    name, cond = fields[0]
    if name == '...':
        return any(_match_fields(fields[1:], words[k:]) for k in range(len(words) + 1))
    if not words:
        return False
    return _field_ok(cond, words[0]) and _match_fields(fields[1:], words[1:])
