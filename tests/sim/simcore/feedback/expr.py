"""DynamoDB expressions: condition/filter, key condition and projection.

A tokenizer and recursive-descent parser for the documented grammar:

    condition ::= operand comparator operand | operand BETWEEN operand AND operand
                | operand IN ( operand (, operand)* ) | function
                | condition AND condition | condition OR condition | NOT condition | ( condition )
    comparator ::= = | <> | < | <= | > | >=
    function ::= attribute_exists(path) | attribute_not_exists(path) | attribute_type(path, type)
               | begins_with(path, substr) | contains(path, operand) | size(path)

Precedence (high to low): comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR.
Paths are names or #placeholders joined by '.' and '[n]'. Errors are ValidationExceptions
worded like DynamoDB's.
"""
import base64
from decimal import Decimal

from .ddb import DdbError, check_value, number, validation

RESERVED = frozenset('''
ABORT ABSOLUTE ACTION ADD AFTER AGENT AGGREGATE ALL ALLOCATE ALTER ANALYZE AND ANY ARCHIVE ARE
ARRAY AS ASC ASCII ASENSITIVE ASSERTION ASYMMETRIC AT ATOMIC ATTACH ATTRIBUTE AUTH AUTHORIZATION
AUTHORIZE AUTO AVG BACK BACKUP BASE BATCH BEFORE BEGIN BETWEEN BIGINT BINARY BIT BLOB BLOCK BOOLEAN
BOTH BREADTH BUCKET BULK BY BYTE CALL CALLED CALLING CAPACITY CASCADE CASCADED CASE CAST CATALOG
CHAR CHARACTER CHECK CLASS CLOB CLOSE CLUSTER CLUSTERED CLUSTERING CLUSTERS COALESCE COLLATE
COLLATION COLLECTION COLUMN COLUMNS COMBINE COMMENT COMMIT COMPACT COMPILE COMPRESS CONDITION
CONFLICT CONNECT CONNECTION CONSISTENCY CONSISTENT CONSTRAINT CONSTRAINTS CONSTRUCTOR CONSUMED
CONTINUE CONVERT COPY CORRESPONDING COUNT COUNTER CREATE CROSS CUBE CURRENT CURSOR CYCLE DATA
DATABASE DATE DATETIME DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED DEFINE
DEFINED DEFINITION DELETE DELIMITED DEPTH DEREF DESC DESCRIBE DESCRIPTOR DETACH DETERMINISTIC
DIAGNOSTICS DIRECTORIES DISABLE DISCONNECT DISTINCT DISTRIBUTE DO DOMAIN DOUBLE DROP DUMP DURATION
DYNAMIC EACH ELEMENT ELSE ELSEIF EMPTY ENABLE END EQUAL EQUALS ERROR ESCAPE ESCAPED EVAL EVALUATE
EXCEEDED EXCEPT EXCEPTION EXCEPTIONS EXCLUSIVE EXEC EXECUTE EXISTS EXIT EXPLAIN EXPLODE EXPORT
EXPRESSION EXTENDED EXTERNAL EXTRACT FAIL FALSE FAMILY FETCH FIELDS FILE FILTER FILTERING FINAL
FINISH FIRST FIXED FLATTERN FLOAT FOR FORCE FOREIGN FORMAT FORWARD FOUND FREE FROM FULL FUNCTION
FUNCTIONS GENERAL GENERATE GET GLOB GLOBAL GO GOTO GRANT GREATER GROUP GROUPING HANDLER HASH HAVE
HAVING HEAP HIDDEN HOLD HOUR IDENTIFIED IDENTITY IF IGNORE IMMEDIATE IMPORT IN INCLUDING INCLUSIVE
INCREMENT INCREMENTAL INDEX INDEXED INDEXES INDICATOR INFINITE INITIALLY INLINE INNER INNTER INOUT
INPUT INSENSITIVE INSERT INSTEAD INT INTEGER INTERSECT INTERVAL INTO INVALIDATE IS ISOLATION ITEM
ITEMS ITERATE JOIN KEY KEYS LAG LANGUAGE LARGE LAST LATERAL LEAD LEADING LEAVE LEFT LENGTH LESS
LEVEL LIKE LIMIT LIMITED LINES LIST LOAD LOCAL LOCALTIME LOCALTIMESTAMP LOCATION LOCATOR LOCK LOCKS
LOG LOGED LONG LOOP LOWER MAP MATCH MATERIALIZED MAX MAXLEN MEMBER MERGE METHOD METRICS MIN MINUS
MINUTE MISSING MOD MODE MODIFIES MODIFY MODULE MONTH MULTI MULTISET NAME NAMES NATIONAL NATURAL
NCHAR NCLOB NEW NEXT NO NONE NOT NULL NULLIF NUMBER NUMERIC OBJECT OF OFFLINE OFFSET OLD ON ONLINE
ONLY OPAQUE OPEN OPERATOR OPTION OR ORDER ORDINALITY OTHER OTHERS OUT OUTER OUTPUT OVER OVERLAPS
OVERRIDE OWNER PAD PARALLEL PARAMETER PARAMETERS PARTIAL PARTITION PARTITIONED PARTITIONS PATH
PERCENT PERCENTILE PERMISSION PERMISSIONS PIPE PIPELINED PLAN POOL POSITION PRECISION PREPARE
PRESERVE PRIMARY PRIOR PRIVATE PRIVILEGES PROCEDURE PROCESSED PROJECT PROJECTION PROPERTY
PROVISIONING PUBLIC PUT QUERY QUIT QUORUM RAISE RANDOM RANGE RANK RAW READ READS REAL REBUILD
RECORD RECURSIVE REDUCE REF REFERENCE REFERENCES REFERENCING REGEXP REGION REINDEX RELATIVE RELEASE
REMAINDER RENAME REPEAT REPLACE REQUEST RESET RESIGNAL RESOURCE RESPONSE RESTORE RESTRICT RESULT
RETURN RETURNING RETURNS REVERSE REVOKE RIGHT ROLE ROLES ROLLBACK ROLLUP ROUTINE ROW ROWS RULE RULES
SAMPLE SATISFIES SAVE SAVEPOINT SCAN SCHEMA SCOPE SCROLL SEARCH SECOND SECTION SEGMENT SEGMENTS
SELECT SELF SEMI SENSITIVE SEPARATE SEQUENCE SERIALIZABLE SESSION SET SETS SHARD SHARE SHARED SHORT
SHOW SIGNAL SIMILAR SIZE SKEWED SMALLINT SNAPSHOT SOME SOURCE SPACE SPACES SPARSE SPECIFIC
SPECIFICTYPE SPLIT SQL SQLCODE SQLERROR SQLEXCEPTION SQLSTATE SQLWARNING START STATE STATIC STATUS
STORAGE STORE STORED STREAM STRING STRUCT STYLE SUB SUBMULTISET SUBPARTITION SUBSTRING SUBTYPE SUM
SUPER SYMMETRIC SYNONYM SYSTEM TABLE TABLESAMPLE TEMP TEMPORARY TERMINATED TEXT THAN THEN THROUGHPUT
TIME TIMESTAMP TIMEZONE TINYINT TO TOKEN TOTAL TOUCH TRAILING TRANSACTION TRANSFORM TRANSLATE
TRANSLATION TREAT TRIGGER TRIM TRUE TRUNCATE TTL TUPLE TYPE UNDER UNDO UNION UNIQUE UNIT UNKNOWN
UNLOGGED UNNEST UNPROCESSED UNSIGNED UNTIL UPDATE UPPER URL USAGE USE USER USERS USING UUID VACUUM
VALUE VALUED VALUES VARCHAR VARIABLE VARIANCE VARINT VARYING VIEW VIEWS VIRTUAL VOID WAIT WHEN
WHENEVER WHERE WHILE WINDOW WITH WITHIN WITHOUT WORK WRAPPED WRITE YEAR ZONE
'''.split())

FUNCTIONS = ('attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with',
             'contains', 'size')
COMPARATORS = ('=', '<>', '<', '<=', '>', '>=')
TYPE_NAMES = ('B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'N', 'NS', 'S', 'M')
MAX_IN = 100


# ---------------------------------------------------------------- tokens

class Tok:
    __slots__ = ('kind', 'text', 'pos')

    def __init__(self, kind, text, pos):
        self.kind, self.text, self.pos = kind, text, pos


def _ident_char(c):
    return c.isalnum() or c == '_'


class Context:
    """Placeholders of one request, shared by all its expressions to find unused ones."""

    def __init__(self, names, values):
        if names is not None and not isinstance(names, dict):
            raise validation('ExpressionAttributeNames must be a map')
        if values is not None and not isinstance(values, dict):
            raise validation('ExpressionAttributeValues must be a map')
        if names is not None and not names:
            raise validation('ExpressionAttributeNames must not be empty')
        if values is not None and not values:
            raise validation('ExpressionAttributeValues must not be empty')
        self.names = names or {}
        self.values = values or {}
        for key in self.names:
            if not key.startswith('#') or len(key) < 2 or not all(_ident_char(c) for c in key[1:]):
                raise validation(f'ExpressionAttributeNames contains invalid key: Syntax error; '
                                 f'key: "{key}"')
        for key, av in self.values.items():
            if not key.startswith(':') or len(key) < 2 or not all(_ident_char(c) for c in key[1:]):
                raise validation(f'ExpressionAttributeValues contains invalid key: Syntax error; '
                                 f'key: "{key}"')
            try:
                check_value(av)
            except DdbError as exc:
                raise validation(f'ExpressionAttributeValues contains invalid value: '
                                 f'{exc.message} for key {key}') from None
        self.used_names = set()
        self.used_values = set()
        self.any_expression = False

    def check_unused(self):
        if (self.names or self.values) and not self.any_expression:
            which = 'ExpressionAttributeNames' if self.names else 'ExpressionAttributeValues'
            raise validation(f'{which} can only be specified when using expressions')
        unused = [k for k in self.names if k not in self.used_names]
        if unused:
            raise validation('Value provided in ExpressionAttributeNames unused in expressions: '
                             f'keys: {{{", ".join(unused)}}}')
        unused = [k for k in self.values if k not in self.used_values]
        if unused:
            raise validation('Value provided in ExpressionAttributeValues unused in expressions: '
                             f'keys: {{{", ".join(unused)}}}')


class Parser:
    def __init__(self, text, ctx, label):
        if not isinstance(text, str):
            raise validation(f'Invalid {label}: The expression must be a string')
        self.text = text
        self.ctx = ctx
        self.label = label  # e.g. 'FilterExpression'
        self.toks = self._tokenize(text)
        self.i = 0
        ctx.any_expression = True

    def fail(self, message):
        return validation(f'Invalid {self.label}: {message}')

    def syntax(self, tok=None):
        tok = tok or self.peek()
        i = self.toks.index(tok) if tok in self.toks else len(self.toks) - 1
        near = ' '.join(t.text for t in self.toks[max(0, i - 1):i + 2] if t.kind != 'eof')
        text = '<EOF>' if tok.kind == 'eof' else tok.text
        return self.fail(f'Syntax error; token: "{text}", near: "{near}"')

    def _tokenize(self, text):
        toks = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c.isspace():
                i += 1
                continue
            start = i
            if c in '#:':
                i += 1
                while i < n and _ident_char(text[i]):
                    i += 1
                if i == start + 1:
                    raise self.fail(f'Syntax error; token: "{c}", near: "{text[max(0, start - 8):start + 8]}"')
                toks.append(Tok('name' if c == '#' else 'value', text[start:i], start))
                continue
            if c.isalpha() or c == '_':
                while i < n and _ident_char(text[i]):
                    i += 1
                toks.append(Tok('ident', text[start:i], start))
                continue
            if c.isdigit():
                while i < n and text[i].isdigit():
                    i += 1
                toks.append(Tok('int', text[start:i], start))
                continue
            two = text[i:i + 2]
            if two in ('<>', '<=', '>='):
                toks.append(Tok('op', two, start))
                i += 2
                continue
            if c in '=<>':
                toks.append(Tok('op', c, start))
                i += 1
                continue
            if c in '(),.[]':
                toks.append(Tok(c, c, start))
                i += 1
                continue
            raise self.fail(f'Syntax error; token: "{c}", near: "{text[max(0, start - 8):start + 8].strip()}"')
        toks.append(Tok('eof', '', n))
        return toks

    def peek(self, k=0):
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, kind):
        tok = self.peek()
        if tok.kind != kind:
            raise self.syntax(tok)
        return self.take()

    def keyword(self, word, k=0):
        tok = self.peek(k)
        return tok.kind == 'ident' and tok.text.upper() == word

    def done(self):
        if self.peek().kind != 'eof':
            raise self.syntax()

    # ---------------------------------------------------------- conditions
    def condition(self):
        node = self._and()
        while self.keyword('OR'):
            self.take()
            node = ('or', node, self._and())
        return node

    def _and(self):
        node = self._not()
        while self.keyword('AND'):
            self.take()
            node = ('and', node, self._not())
        return node

    def _not(self):
        if self.keyword('NOT'):
            self.take()
            return ('not', self._not())
        return self._primary()

    def _primary(self):
        tok = self.peek()
        if tok.kind == '(':
            self.take()
            node = self.condition()
            self.expect(')')
            return node
        if tok.kind == 'ident' and self.peek(1).kind == '(' and tok.text != 'size':
            node = self._function()
            return node
        left = self.operand()
        tok = self.peek()
        if tok.kind == 'op':
            self.take()
            right = self.operand()
            return ('cmp', tok.text, left, right)
        if self.keyword('BETWEEN'):
            self.take()
            low = self.operand()
            if not self.keyword('AND'):
                raise self.syntax()
            self.take()
            high = self.operand()
            self._check_between(low, high)
            return ('between', left, low, high)
        if self.keyword('IN'):
            self.take()
            self.expect('(')
            options = [self.operand()]
            while self.peek().kind == ',':
                self.take()
                options.append(self.operand())
            self.expect(')')
            if len(options) > MAX_IN:
                raise self.fail('The IN operator is provided with too many operands; '
                                f'number of operands: {len(options)}')
            return ('in', left, options)
        if left[0] == 'size':
            raise self.fail('The function is not allowed to be used this way in an expression; '
                            'function: size')
        raise self.syntax()

    def _function(self):
        name_tok = self.take()
        name = name_tok.text
        if name not in FUNCTIONS:
            raise self.fail(f'Invalid function name; function: {name}')
        self.expect('(')
        args = [self.operand()]
        while self.peek().kind == ',':
            self.take()
            args.append(self.operand())
        self.expect(')')
        arity = {'attribute_exists': 1, 'attribute_not_exists': 1, 'attribute_type': 2,
                 'begins_with': 2, 'contains': 2}[name]
        if len(args) != arity:
            raise self.fail(f'Incorrect number of operands for operator or function; '
                            f'operator or function: {name}, number of operands: {len(args)}')
        if args[0][0] != 'path':
            raise self.fail(f'Operator or function requires a document path; '
                            f'operator or function: {name}')
        if name == 'attribute_type':
            if args[1][0] != 'value' or 'S' not in args[1][1]:
                raise self.fail('Incorrect operand type for operator or function; '
                                'operator or function: attribute_type, operand type: '
                                f'{_operand_type(args[1])}')
            if args[1][1]['S'] not in TYPE_NAMES:
                raise self.fail(f'Invalid attribute type name found; type: {args[1][1]["S"]}, '
                                'valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}')
        if name == 'begins_with' and args[1][0] == 'value' and not ({'S', 'B'} & set(args[1][1])):
            raise self.fail('Incorrect operand type for operator or function; operator or '
                            f'function: begins_with, operand type: {_operand_type(args[1])}')
        return ('fn', name, args)

    def _check_between(self, low, high):
        if low[0] == 'value' and high[0] == 'value':
            (lk, lv), = low[1].items()
            (hk, hv), = high[1].items()
            if lk != hk:
                raise self.fail('The BETWEEN operator requires same data type for lower and upper '
                                f'bounds; lower bound operand: AttributeValue: {{{lk}:{lv}}}, '
                                f'upper bound operand: AttributeValue: {{{hk}:{hv}}}')
            if lk in ('S', 'N', 'B') and _scalar(lk, lv) > _scalar(hk, hv):
                raise self.fail('The BETWEEN operator requires upper bound to be greater than or '
                                f'equal to lower bound; lower bound operand: AttributeValue: '
                                f'{{{lk}:{lv}}}, upper bound operand: AttributeValue: {{{hk}:{hv}}}')

    # ---------------------------------------------------------- operands
    def operand(self):
        tok = self.peek()
        if tok.kind == 'value':
            self.take()
            if tok.text not in self.ctx.values:
                raise self.fail('An expression attribute value used in expression is not '
                                f'defined; attribute value: {tok.text}')
            self.ctx.used_values.add(tok.text)
            return ('value', self.ctx.values[tok.text])
        if tok.kind == 'ident' and tok.text == 'size' and self.peek(1).kind == '(':
            self.take()
            self.take()
            arg = self.operand()
            self.expect(')')
            if arg[0] != 'path':
                raise self.fail('Operator or function requires a document path; '
                                'operator or function: size')
            return ('size', arg)
        if tok.kind == 'ident' and self.peek(1).kind == '(':
            if tok.text in FUNCTIONS:
                raise self.fail('The function is not allowed to be used this way in an '
                                f'expression; function: {tok.text}')
            raise self.fail(f'Invalid function name; function: {tok.text}')
        if tok.kind in ('ident', 'name'):
            return self.path()
        raise self.syntax(tok)

    def path(self):
        parts = [self._element()]
        while True:
            tok = self.peek()
            if tok.kind == '.':
                self.take()
                parts.append(self._element())
            elif tok.kind == '[':
                self.take()
                idx = self.expect('int')
                self.expect(']')
                parts.append(int(idx.text))
            else:
                return ('path', tuple(parts))

    def _element(self):
        tok = self.take()
        if tok.kind == 'name':
            if tok.text not in self.ctx.names:
                raise self.fail('An expression attribute name used in the document path is not '
                                f'defined; attribute name: {tok.text}')
            self.ctx.used_names.add(tok.text)
            return self.ctx.names[tok.text]
        if tok.kind == 'ident':
            if tok.text.upper() in RESERVED:
                raise self.fail(f'Attribute name is a reserved keyword; reserved keyword: {tok.text}')
            return tok.text
        raise self.syntax(tok)

    def projection(self):
        paths = [self.path()[1]]
        while self.peek().kind == ',':
            self.take()
            paths.append(self.path()[1])
        self.done()
        for i, a in enumerate(paths):
            for b in paths[i + 1:]:
                short, long_ = (a, b) if len(a) <= len(b) else (b, a)
                if long_[:len(short)] == short:
                    raise self.fail('Two document paths overlap with each other; must remove or '
                                    'rewrite one of these paths; path one: '
                                    f'[{", ".join(map(str, a))}], path two: [{", ".join(map(str, b))}]')
        return paths


def _operand_type(node):
    if node[0] == 'value':
        return next(iter(node[1]))
    return {'path': 'document path', 'size': 'N'}.get(node[0], node[0])


def parse_condition(text, ctx, label):
    parser = Parser(text, ctx, label)
    if parser.peek().kind == 'eof':
        raise validation(f'Invalid {label}: The expression can not be empty;')
    node = parser.condition()
    parser.done()
    return node


def parse_projection(text, ctx):
    parser = Parser(text, ctx, 'ProjectionExpression')
    if parser.peek().kind == 'eof':
        raise validation('Invalid ProjectionExpression: The expression can not be empty;')
    return parser.projection()


# ---------------------------------------------------------------- evaluation

def _scalar(kind, value):
    if kind == 'N':
        return Decimal(value)
    if kind == 'B':
        return base64.b64decode(value)
    return value.encode('utf-8') if isinstance(value, str) else value


def resolve(item, path):
    """The AttributeValue at a document path, or None."""
    cur = {'M': item}
    for part in path:
        if isinstance(part, int):
            if 'L' not in cur or part >= len(cur['L']):
                return None
            cur = cur['L'][part]
        else:
            if 'M' not in cur or part not in cur['M']:
                return None
            cur = cur['M'][part]
    return cur


def _operand(item, node):
    kind = node[0]
    if kind == 'value':
        return node[1]
    if kind == 'path':
        return resolve(item, node[1])
    av = resolve(item, node[1][1])  # size(path)
    if av is None:
        return None
    (t, v), = av.items()
    if t == 'S':
        return {'N': str(len(v.encode('utf-8')))}
    if t == 'B':
        return {'N': str(len(base64.b64decode(v)))}
    if t in ('SS', 'NS', 'BS', 'L'):
        return {'N': str(len(v))}
    if t == 'M':
        return {'N': str(len(v))}
    return None


def _canon(av):
    (t, v), = av.items()
    if t == 'N':
        return (t, Decimal(v))
    if t == 'B':
        return (t, base64.b64decode(v))
    if t == 'NS':
        return (t, frozenset(Decimal(x) for x in v))
    if t == 'BS':
        return (t, frozenset(base64.b64decode(x) for x in v))
    if t == 'SS':
        return (t, frozenset(v))
    if t == 'L':
        return (t, tuple(_canon(x) for x in v))
    if t == 'M':
        return (t, frozenset((k, _canon(x)) for k, x in v.items()))
    return (t, v)


def equal(a, b):
    return a is not None and b is not None and _canon(a) == _canon(b)


def _compare(op, a, b):
    if op == '=':
        return equal(a, b)
    if op == '<>':
        return not equal(a, b)
    if a is None or b is None:
        return False
    (ta, va), = a.items()
    (tb, vb), = b.items()
    if ta != tb or ta not in ('S', 'N', 'B'):
        return False
    x, y = _scalar(ta, va), _scalar(tb, vb)
    return {'<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y}[op]


def evaluate(node, item):
    kind = node[0]
    if kind == 'and':
        return evaluate(node[1], item) and evaluate(node[2], item)
    if kind == 'or':
        return evaluate(node[1], item) or evaluate(node[2], item)
    if kind == 'not':
        return not evaluate(node[1], item)
    if kind == 'cmp':
        return _compare(node[1], _operand(item, node[2]), _operand(item, node[3]))
    if kind == 'between':
        x = _operand(item, node[1])
        return _compare('>=', x, _operand(item, node[2])) and _compare('<=', x, _operand(item, node[3]))
    if kind == 'in':
        x = _operand(item, node[1])
        return any(equal(x, _operand(item, o)) for o in node[2])
    name, args = node[1], node[2]
    target = _operand(item, args[0])
    if name == 'attribute_exists':
        return target is not None
    if name == 'attribute_not_exists':
        return target is None
    if target is None:
        return False
    arg = _operand(item, args[1])
    if arg is None:
        return False
    (tt, tv), = target.items()
    (at, av), = arg.items()
    if name == 'attribute_type':
        return at == 'S' and tt == av
    if name == 'begins_with':
        return tt == at and tt in ('S', 'B') and _scalar(tt, tv).startswith(_scalar(at, av))
    # contains
    if tt == 'S' and at == 'S':
        return av in tv
    if tt == 'B' and at == 'B':
        return _scalar(at, av) in _scalar(tt, tv)
    if tt in ('SS', 'NS', 'BS') and at == tt[0]:
        return _canon(arg)[1] in _canon(target)[1]
    if tt == 'L':
        return any(equal(x, arg) for x in tv)
    return False


def paths_in(node, out=None):
    """Top-level attribute names a condition refers to."""
    out = set() if out is None else out
    if not isinstance(node, tuple):
        return out
    if node[0] == 'path':
        out.add(node[1][0])
        return out
    if node[0] == 'value':
        return out
    for part in node[1:]:
        if isinstance(part, tuple):
            paths_in(part, out)
        elif isinstance(part, list):
            for p in part:
                paths_in(p, out)
    return out


def project(item, paths):
    """A new item holding only the given document paths (list elements compacted)."""
    out = {}
    for path in paths:
        av = resolve(item, path)
        if av is None:
            continue
        _insert(out, path, av)
    return out


def _insert(out, path, av):
    head = path[0]
    if len(path) == 1:
        out[head] = av
        return
    container = out.setdefault(head, {'L': []} if isinstance(path[1], int) else {'M': {}})
    _insert_inner(container, path[1:], av)


def _insert_inner(container, path, av):
    head = path[0]
    if isinstance(head, int):
        lst = container.setdefault('L', [])
        if len(path) == 1:
            lst.append(av)
            return
        child = {'L': []} if isinstance(path[1], int) else {'M': {}}
        lst.append(child)
        _insert_inner(child, path[1:], av)
    else:
        mp = container.setdefault('M', {})
        if len(path) == 1:
            mp[head] = av
            return
        child = mp.setdefault(head, {'L': []} if isinstance(path[1], int) else {'M': {}})
        _insert_inner(child, path[1:], av)


# ---------------------------------------------------------------- key conditions

def key_condition(text, ctx, hash_key, range_key, types):
    """Split a KeyConditionExpression into (hash value, range predicate or None).

    The range predicate is (op, values) with op in = < <= > >= between begins_with.
    """
    label = 'KeyConditionExpression'
    node = parse_condition(text, ctx, label)
    parts = []

    def flatten(n):
        if n[0] == 'and':
            flatten(n[1])
            flatten(n[2])
        elif n[0] in ('or', 'not'):
            raise validation(f'Invalid operator used in KeyConditionExpression: {n[0].upper()}')
        else:
            parts.append(n)
    flatten(node)
    conds = {}
    for part in parts:
        if part[0] == 'fn':
            if part[1] != 'begins_with':
                raise validation(f'Invalid operator used in KeyConditionExpression: {part[1]}')
            path, value = part[2]
            op, values = 'begins_with', [value]
        elif part[0] == 'cmp':
            op, path, value = part[1], part[2], part[3]
            if op == '<>':
                raise validation('Unsupported operator on KeyConditionExpression: operator: <>')
            if path[0] != 'path' and value[0] == 'path':
                path, value = value, path
                op = {'<': '>', '<=': '>=', '>': '<', '>=': '<='}.get(op, op)
            values = [value]
        elif part[0] == 'between':
            op, path, values = 'between', part[1], [part[2], part[3]]
        elif part[0] == 'in':
            raise validation('Invalid operator used in KeyConditionExpression: IN')
        else:
            raise validation('Query key condition not supported')
        if path[0] != 'path' or len(path[1]) != 1:
            raise validation('Query key condition not supported')
        if any(v[0] != 'value' for v in values):
            raise validation('Query key condition not supported')
        name = path[1][0]
        if name in conds:
            raise validation('KeyConditionExpressions must only contain one condition per key')
        conds[name] = (op, [v[1] for v in values])
    if hash_key not in conds:
        raise validation(f'Query condition missed key schema element: {hash_key}')
    extra = set(conds) - {hash_key, range_key}
    if extra:
        raise validation(f'Query condition missed key schema element: {range_key}'
                         if range_key else 'Query key condition not supported')
    op, values = conds[hash_key]
    if op != '=':
        raise validation('Query key condition not supported')
    for name, (op, vals) in conds.items():
        for v in vals:
            (kind, _), = v.items()
            if kind != types[name]:
                raise validation('One or more parameter values were invalid: Condition parameter '
                                 'type does not match schema type')
        if op == 'begins_with' and types[name] == 'N':
            raise validation('Invalid KeyConditionExpression: Incorrect operand type for operator '
                             'or function; operator or function: begins_with, operand type: N')
    range_pred = conds.get(range_key) if range_key else None
    return values[0], range_pred


def range_matches(pred, av):
    if pred is None:
        return True
    op, vals = pred
    if op == 'between':
        return _compare('>=', av, vals[0]) and _compare('<=', av, vals[1])
    if op == 'begins_with':
        (t, v), = av.items()
        (vt, vv), = vals[0].items()
        return t == vt and _scalar(t, v).startswith(_scalar(vt, vv))
    return _compare(op, av, vals[0])


def numeric(av):
    return number(av['N'])
