"""DynamoDB table storage: items in DynamoDB JSON, key order, item sizes.

Scan order follows a hash of the partition key (as DynamoDB's does), so parallel scan
segments are contiguous hash ranges; items of one partition are in sort-key order.
"""
import base64
import bisect
import hashlib
import threading
from decimal import Decimal, InvalidOperation

MAX_ITEM_BYTES = 400 * 1024
PAGE_BYTES = 1024 * 1024


class DdbError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def validation(message):
    return DdbError('ValidationException', message)


def number(text):
    """Decimal of an N value, validated like DynamoDB (38 digits of precision)."""
    if not isinstance(text, str):
        raise validation('NUMBER_VALUE cannot be converted to String')
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise validation('A value provided cannot be converted into a number') from None
    if not value.is_finite():
        raise validation('A value provided cannot be converted into a number')
    if len(significant(value)) > 38:
        raise validation('Attempting to store more than 38 significant digits in a Number')
    if value and not (Decimal('1E-130') <= abs(value) < Decimal('1E126')):
        raise validation('Number overflow. Attempting to store a number with magnitude larger '
                         'than supported range' if abs(value) >= 1 else
                         'Number underflow. Attempting to store a number with magnitude '
                         'smaller than supported range')
    return value


def significant(value):
    """Significant digits of a Decimal, exactly (normalize() would round to 28 digits)."""
    digits = ''.join(map(str, value.as_tuple().digits)).lstrip('0').rstrip('0')
    return digits or '0'


def canonical_number(text):
    """One spelling per numeric value (1, 1.0 and 1E0 are the same N)."""
    value = Decimal(text)
    if not value:
        return '0'
    sign, digits, exp = value.as_tuple()
    raw = ''.join(map(str, digits)).lstrip('0')
    stripped = raw.rstrip('0')
    exp += len(raw) - len(stripped)
    return ('-' if sign else '') + stripped + 'E' + str(exp)


def binary(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise validation('Invalid Binary value: not valid base64') from None


_TYPES = ('S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL')


def check_value(av, where='item'):
    """Validate one AttributeValue (as received) the way DynamoDB does."""
    if not isinstance(av, dict) or len(av) != 1:
        raise validation('Supplied AttributeValue has more than one datatypes set, must '
                         'contain exactly one of the supported datatypes' if isinstance(av, dict) and av
                         else 'Supplied AttributeValue is empty, must contain exactly one of '
                              'the supported datatypes')
    (kind, value), = av.items()
    if kind not in _TYPES:
        raise validation(f'Supplied AttributeValue has an invalid data type: {kind}')
    if kind == 'S':
        if not isinstance(value, str):
            raise validation('Supplied AttributeValue for S is not a string')
    elif kind == 'N':
        number(value)
    elif kind == 'B':
        binary(value)
    elif kind in ('SS', 'NS', 'BS'):
        if not isinstance(value, list) or not value:
            raise validation('One or more parameter values were invalid: An string set  may not be empty'
                             if kind == 'SS' else
                             f'One or more parameter values were invalid: An {kind[0].lower()}'
                             f'{"umber" if kind == "NS" else "inary"} set  may not be empty')
        seen = set()
        for member in value:
            key = number(member) if kind == 'NS' else binary(member) if kind == 'BS' else member
            if kind == 'SS' and not isinstance(member, str):
                raise validation('Supplied AttributeValue for SS is not a list of strings')
            if key in seen:
                raise validation(f'One or more parameter values were invalid: Input collection '
                                 f'{value} contains duplicates.')
            seen.add(key)
    elif kind == 'M':
        if not isinstance(value, dict):
            raise validation('Supplied AttributeValue for M is not a map')
        for v in value.values():
            check_value(v, where)
    elif kind == 'L':
        if not isinstance(value, list):
            raise validation('Supplied AttributeValue for L is not a list')
        for v in value:
            check_value(v, where)
    elif kind == 'NULL':
        if value is not True:
            raise validation('One or more parameter values were invalid: Null attribute value '
                             'types must have the value of true')
    elif kind == 'BOOL':
        if not isinstance(value, bool):
            raise validation('Supplied AttributeValue for BOOL is not a boolean')


def _num_size(text):
    t = text.lstrip('+-')
    if 'e' in t or 'E' in t:
        digits = len(significant(Decimal(t)))
    else:
        digits = len(t.replace('.', '').strip('0')) or 1
    return (digits + 1) // 2 + 1


def value_size(av):
    (kind, value), = av.items()
    if kind == 'S':
        return len(value.encode('utf-8'))
    if kind == 'N':
        return _num_size(value)
    if kind == 'B':
        return len(base64.b64decode(value))
    if kind == 'SS':
        return sum(len(v.encode('utf-8')) for v in value)
    if kind == 'NS':
        return sum(_num_size(v) for v in value)
    if kind == 'BS':
        return sum(len(base64.b64decode(v)) for v in value)
    if kind == 'M':
        return 3 + sum(len(k.encode('utf-8')) + value_size(v) + 1 for k, v in value.items())
    if kind == 'L':
        return 3 + sum(value_size(v) + 1 for v in value)
    return 1  # NULL, BOOL


def item_size(item):
    """Bytes as DynamoDB counts them: attribute names plus values."""
    return sum(len(name.encode('utf-8')) + value_size(av) for name, av in item.items())


def key_sort_value(av):
    """Orderable form of a key attribute: S by UTF-8 bytes, N numerically, B by bytes."""
    (kind, value), = av.items()
    if kind == 'S':
        return value.encode('utf-8')
    if kind == 'N':
        return Decimal(value)
    return base64.b64decode(value)


def partition_hash(av):
    (kind, value), = av.items()
    raw = kind.encode() + b':' + (canonical_number(value).encode() if kind == 'N'
                                  else value.encode('utf-8'))
    return int.from_bytes(hashlib.md5(raw).digest()[:8], 'big')


class Index:
    def __init__(self, name, hash_key, range_key=None, projection='ALL', non_key=()):
        self.name = name
        self.hash_key = hash_key
        self.range_key = range_key
        self.projection = projection
        self.non_key = list(non_key)


class Table:
    def __init__(self, name, attribute_types, hash_key, range_key=None, billing='PAY_PER_REQUEST',
                 read_units=0, write_units=0, indexes=(), stream=False, created=0.0, table_id=''):
        self.name = name
        self.attribute_types = dict(attribute_types)  # key attributes only, like AttributeDefinitions
        self.hash_key = hash_key
        self.range_key = range_key
        self.billing = billing
        self.read_units = read_units
        self.write_units = write_units
        self.indexes = {ix.name: ix for ix in indexes}
        self.stream = stream
        self.created = created
        self.table_id = table_id
        self.lock = threading.RLock()
        self.items = {}          # (hash sort value, range sort value or None) -> item
        self._order = None       # cached list of (order key, item key)
        self._index_order = {}   # index name -> cached list
        self.bytes = 0

    # keys
    def key_schema(self, index=None):
        if index is None:
            return self.hash_key, self.range_key
        ix = self.indexes[index]
        return ix.hash_key, ix.range_key

    def primary_key_of(self, item):
        return {k: item[k] for k in (self.hash_key, self.range_key) if k}

    def storage_key(self, key):
        rk = self.range_key
        return (key_sort_value(key[self.hash_key]), key_sort_value(key[rk]) if rk else None)

    def check_key(self, key, message='The provided key element does not match the schema'):
        """Validate a Key map (exactly the key attributes, with their declared types)."""
        wanted = [k for k in (self.hash_key, self.range_key) if k]
        if not isinstance(key, dict) or sorted(key) != sorted(wanted):
            raise validation(message)
        for name in wanted:
            av = key[name]
            check_value(av)
            (kind, value), = av.items()
            if kind != self.attribute_types[name]:
                raise validation(message)
            if kind in ('S', 'B') and not value:
                raise validation('One or more parameter values are not valid. The AttributeValue '
                                 'for a key attribute cannot contain an empty string value. '
                                 f'Key: {name}')

    # reads
    def get(self, key):
        with self.lock:
            return self.items.get(self.storage_key(key))

    def put(self, item):
        """Store a validated item; returns the old one (or None). Cached orders are
        updated in place so a large table is not re-sorted after every write."""
        with self.lock:
            skey = self.storage_key(item)
            old = self.items.get(skey)
            self.items[skey] = item
            if self.bytes is not None:
                self.bytes += item_size(item) - (item_size(old) if old is not None else 0)
            if old is None and self._order is not None:
                row = (self._row_key(item, skey), skey)
                bisect.insort(self._order, row)
            for name, rows in list(self._index_order.items()):
                if old is not None:
                    okey = self._index_row_key(name, old, skey)
                    if okey is not None:
                        pos = bisect.bisect_left(rows, (okey, skey))
                        if pos < len(rows) and rows[pos][1] == skey:
                            del rows[pos]
                nkey = self._index_row_key(name, item, skey)
                if nkey is not None:
                    bisect.insort(rows, (nkey, skey))
            return old

    def _row_key(self, item, skey):
        return (partition_hash(item[self.hash_key]), skey[0], skey[1] if skey[1] is not None else b'')

    def _index_row_key(self, name, item, skey):
        ix = self.indexes[name]
        if ix.hash_key not in item or (ix.range_key and ix.range_key not in item):
            return None
        hv = item[ix.hash_key]
        rv = key_sort_value(item[ix.range_key]) if ix.range_key else b''
        return (partition_hash(hv), key_sort_value(hv), rv, skey[0],
                skey[1] if skey[1] is not None else b'')

    def load(self, items):
        with self.lock:
            self.items = {self.storage_key(item): item for item in items}
            self.bytes = None  # computed when first asked for (DescribeTable)
            self._order = None
            self._index_order = {}

    def order(self):
        """Item keys in scan order: [(order key, storage key)], sorted."""
        with self.lock:
            if self._order is None:
                rows = [(self._row_key(item, skey), skey) for skey, item in self.items.items()]
                rows.sort(key=lambda r: r[0])
                self._order = rows
            return self._order

    def index_order(self, name):
        """Like order() for a GSI: only items having the index keys; ties broken by table key."""
        with self.lock:
            rows = self._index_order.get(name)
            if rows is None:
                rows = []
                for skey, item in self.items.items():
                    okey = self._index_row_key(name, item, skey)
                    if okey is not None:
                        rows.append((okey, skey))
                rows.sort(key=lambda r: r[0])
                self._index_order[name] = rows
            return rows

    def order_key_for(self, key, index=None):
        """Order key of an ExclusiveStartKey (the item it names need not exist)."""
        if index is None:
            hv = key[self.hash_key]
            rv = key_sort_value(key[self.range_key]) if self.range_key else b''
            return (partition_hash(hv), key_sort_value(hv), rv)
        ix = self.indexes[index]
        hv = key[ix.hash_key]
        rv = key_sort_value(key[ix.range_key]) if ix.range_key else b''
        trv = key_sort_value(key[self.range_key]) if self.range_key else b''
        return (partition_hash(hv), key_sort_value(hv), rv, key_sort_value(key[self.hash_key]), trv)

    def size_bytes(self):
        with self.lock:
            if self.bytes is None:
                self.bytes = sum(item_size(item) for item in self.items.values())
            return self.bytes

    def item_count(self):
        return len(self.items)


def bisect_after(rows, order_key):
    """Position of the first row whose order key is greater than order_key."""
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid][0] <= order_key:
            lo = mid + 1
        else:
            hi = mid
    return lo
