"""DynamoDB (awsJson1_0, X-Amz-Target DynamoDB_20120810.<Op>): ListTables, DescribeTable,
Scan, Query, GetItem, BatchGetItem, PutItem, ListTagsOfResource, DescribeTimeToLive.

Responses carry x-amz-crc32 (CRC32 of the body bytes as sent). Numbers keep their exact
decimal text. Scan and Query stop at Limit evaluated items or 1 MB of data read.
"""
import json
import math
import zlib

from ..feedback import resources as res
from ..feedback.ddb import (MAX_ITEM_BYTES, PAGE_BYTES, DdbError, bisect_after, check_value,
                            item_size, key_sort_value, partition_hash, validation)
from ..feedback.metrics import sample
from ..feedback.expr import (Context, evaluate, key_condition, parse_condition,
                             parse_projection, paths_in, project, range_matches)
from ..feedback.util import region_of
from ..protocols import JSON
from ..wire import Response

SERVICE = 'dynamodb'
PROTOCOL = JSON
TARGET = 'DynamoDB_20120810'

BATCH_GET_MAX = 100
_DDB_NS = 'com.amazonaws.dynamodb.v20120810#'
_DDB_ERRORS = ('ResourceNotFoundException', 'ConditionalCheckFailedException',
               'ProvisionedThroughputExceededException', 'RequestLimitExceeded',
               'ItemCollectionSizeLimitExceededException', 'InternalServerError',
               'TransactionConflictException', 'ResourceInUseException', 'LimitExceededException')
_DATA_OPS = ('GetItem', 'PutItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
             'UpdateItem', 'DeleteItem', 'TransactGetItems', 'TransactWriteItems')


def _with_crc(resp):
    resp.headers = [h for h in resp.headers if h[0].lower() != 'x-amz-crc32']
    resp.headers.append(('x-amz-crc32', str(zlib.crc32(resp.body) & 0xffffffff)))
    return resp


def shape_error(reply, status, code, message, headers):
    if code == 'ValidationException':
        type_ = 'com.amazon.coral.validate#ValidationException'
    elif code in _DDB_ERRORS:
        type_ = _DDB_NS + code
    elif code == 'ThrottlingException':
        type_ = 'com.amazon.coral.availability#ThrottlingException'
    else:
        type_ = 'com.amazon.coral.service#' + code
    body = json.dumps({'__type': type_, 'message': message}).encode()
    return _with_crc(Response(status, body, 'application/x-amz-json-1.0', headers))


def throttle_error(action):
    if action in _DATA_OPS:
        return (400, 'ProvisionedThroughputExceededException',
                'The level of configured provisioned throughput for the table was exceeded. '
                'Consider increasing your provisioning level with the UpdateTable API.')
    return 400, 'ThrottlingException', 'Rate of requests exceeds the allowed throughput.'


def action_of(req):
    target = req.header('X-Amz-Target') or ''
    prefix, _, op = target.partition('.')
    return op if prefix == TARGET and op else None


def handle(sim, req, reply, action, identity):
    try:
        if action is None:
            raise DdbError('UnknownOperationException', '', 400)
        op = _OPERATIONS.get(action)
        if op is None:
            raise DdbError('UnknownOperationException', '', 400)
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            raise DdbError('SerializationException', 'Start of structure or map found where not '
                                                    'expected.') from None
        out = op(sim, body, region_of(req))
        data = json.dumps(out, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
        return _with_crc(Response(200, data, 'application/x-amz-json-1.0', []))
    except DdbError as exc:
        resp = reply.error(exc.status, exc.code, exc.message)
        item = getattr(exc, 'item', None)
        if item is not None:  # ReturnValuesOnConditionCheckFailure=ALL_OLD
            obj = json.loads(resp.body)
            obj['Item'] = item
            resp.body = json.dumps(obj, ensure_ascii=False).encode('utf-8')
            _with_crc(resp)
        return resp


# ---------------------------------------------------------------- validation helpers

def _null(member):
    return validation(f"1 validation error detected: Value null at '{member}' failed to satisfy "
                      'constraint: Member must not be null')


def _table(sim, body, member='tableName'):
    name = body.get('TableName')
    if name is None:
        raise _null(member)
    _check_table_name(name, member)
    table = sim.app.tables.get(name)
    if table is None:
        raise DdbError('ResourceNotFoundException', 'Requested resource not found')
    return table


def _check_table_name(name, member='tableName'):
    if not isinstance(name, str):
        raise validation('Start of structure or map found where not expected.')
    if len(name) < 3:
        raise validation(f"1 validation error detected: Value '{name}' at '{member}' failed to "
                         'satisfy constraint: Member must have length greater than or equal to 3')
    if len(name) > 255:
        raise validation(f"1 validation error detected: Value '{name}' at '{member}' failed to "
                         'satisfy constraint: Member must have length less than or equal to 255')
    if not all(c.isalnum() or c in '_.-' for c in name) or not name.isascii():
        raise validation(f"1 validation error detected: Value '{name}' at '{member}' failed to "
                         'satisfy constraint: Member must satisfy regular expression pattern: '
                         '[a-zA-Z0-9_.-]+')


def _int(body, name, member, low=None, high=None):
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DdbError('SerializationException', 'NUMBER_VALUE cannot be converted to Integer'
                       if not isinstance(value, str) else 'STRING_VALUE can not be converted to an Integer')
    if low is not None and value < low:
        raise validation(f"1 validation error detected: Value '{value}' at '{member}' failed to "
                         f'satisfy constraint: Member must have value greater than or equal to {low}')
    if high is not None and value > high:
        raise validation(f"1 validation error detected: Value '{value}' at '{member}' failed to "
                         f'satisfy constraint: Member must have value less than or equal to {high}')
    return value


def _enum(body, name, member, allowed, default):
    value = body.get(name, default)
    if value not in allowed:
        raise validation(f"1 validation error detected: Value '{value}' at '{member}' failed to "
                         f'satisfy constraint: Member must satisfy enum value set: [{", ".join(allowed)}]')
    return value


def _legacy(body, names):
    for name in names:
        if name in body:
            raise validation(f'The simulator does not implement the legacy parameter {name}; '
                             'use the expression parameters instead')


def _capacity(body, table, size, consistent, index=None, write=False):
    mode = _enum(body, 'ReturnConsumedCapacity', 'returnConsumedCapacity',
                 ('INDEXES', 'TOTAL', 'NONE'), 'NONE')
    if mode == 'NONE':
        return None
    if write:
        units = float(max(1, math.ceil(size / 1024)))
    else:
        units = max(1, math.ceil(size / 4096)) * (1.0 if consistent else 0.5)
    out = {'TableName': table.name, 'CapacityUnits': units}
    if mode == 'INDEXES':
        if index:
            out['Table'] = {'CapacityUnits': 0.0}
            out['GlobalSecondaryIndexes'] = {index: {'CapacityUnits': units}}
        else:
            out['Table'] = {'CapacityUnits': units}
            if write and table.indexes:
                out['GlobalSecondaryIndexes'] = {n: {'CapacityUnits': units} for n in table.indexes}
                out['CapacityUnits'] = units * (1 + len(table.indexes))
    return out


def _read_capacity_units(table):
    return {'NumberOfDecreasesToday': 0, 'ReadCapacityUnits': table.read_units,
            'WriteCapacityUnits': table.write_units}


# ---------------------------------------------------------------- tables

def _list_tables(sim, body, region):
    limit = _int(body, 'Limit', 'limit', 1, 100) or 100
    start = body.get('ExclusiveStartTableName')
    if start is not None:
        _check_table_name(start, 'exclusiveStartTableName')
    names = sorted(sim.app.tables)
    if start is not None:
        names = [n for n in names if n > start]
    out = {'TableNames': names[:limit]}
    if len(names) > limit:
        out['LastEvaluatedTableName'] = names[limit - 1]
    return out


def _describe_table(sim, body, region):
    name = body.get('TableName')
    if name is None:
        raise _null('tableName')
    _check_table_name(name)
    table = sim.app.tables.get(name)
    if table is None:
        raise DdbError('ResourceNotFoundException', f'Requested resource not found: Table: {name} not found')
    return {'Table': describe(table, region)}


def describe(table, region):
    arn = res.table_arn(region, table.name)
    keys = [{'AttributeName': table.hash_key, 'KeyType': 'HASH'}]
    if table.range_key:
        keys.append({'AttributeName': table.range_key, 'KeyType': 'RANGE'})
    with table.lock:
        count = len(table.items)
        size = table.size_bytes()
    out = {
        'AttributeDefinitions': [{'AttributeName': n, 'AttributeType': t}
                                 for n, t in sorted(table.attribute_types.items())],
        'TableName': table.name,
        'KeySchema': keys,
        'TableStatus': 'ACTIVE',
        'CreationDateTime': table.created,
        'ProvisionedThroughput': _read_capacity_units(table),
        'TableSizeBytes': size,
        'ItemCount': count,
        'TableArn': arn,
        'TableId': table.table_id,
    }
    if table.billing == 'PAY_PER_REQUEST':
        out['BillingModeSummary'] = {'BillingMode': 'PAY_PER_REQUEST',
                                     'LastUpdateToPayPerRequestDateTime': table.created}
    if table.indexes:
        out['GlobalSecondaryIndexes'] = []
        for ix in table.indexes.values():
            ix_keys = [{'AttributeName': ix.hash_key, 'KeyType': 'HASH'}]
            if ix.range_key:
                ix_keys.append({'AttributeName': ix.range_key, 'KeyType': 'RANGE'})
            rows = len(table.index_order(ix.name))
            out['GlobalSecondaryIndexes'].append({
                'IndexName': ix.name, 'KeySchema': ix_keys,
                'Projection': {'ProjectionType': ix.projection},
                'IndexStatus': 'ACTIVE',
                'ProvisionedThroughput': _read_capacity_units(table),
                'IndexSizeBytes': size if rows == count else int(size * rows / max(count, 1)),
                'ItemCount': rows,
                'IndexArn': f'{arn}/index/{ix.name}',
                'WarmThroughput': {'ReadUnitsPerSecond': 12000, 'WriteUnitsPerSecond': 4000,
                                   'Status': 'ACTIVE'},
            })
    if table.stream:
        out['StreamSpecification'] = {'StreamEnabled': True, 'StreamViewType': 'NEW_AND_OLD_IMAGES'}
        out['LatestStreamLabel'] = res.FEEDBACK_STREAM_LABEL
        out['LatestStreamArn'] = res.stream_arn(region)
    out['DeletionProtectionEnabled'] = False
    out['WarmThroughput'] = {'ReadUnitsPerSecond': 12000 if table.billing == 'PAY_PER_REQUEST' else 5,
                             'WriteUnitsPerSecond': 4000 if table.billing == 'PAY_PER_REQUEST' else 5,
                             'Status': 'ACTIVE'}
    return out


def _list_tags(sim, body, region):
    arn = body.get('ResourceArn')
    if arn is None:
        raise _null('resourceArn')
    for name in sim.app.tables:
        if arn == res.table_arn(region, name):
            tags = res.WORKER_TAGS if name.startswith('worker-table-') else res.TAGS
            return {'Tags': [{'Key': k, 'Value': v} for k, v in tags.items()]}
    raise DdbError('ResourceNotFoundException', f'Requested resource not found: ResourcArn: {arn} not found')


def _describe_ttl(sim, body, region):
    _table(sim, body)
    return {'TimeToLiveDescription': {'TimeToLiveStatus': 'DISABLED'}}


# ---------------------------------------------------------------- expressions in a request

class _Request:
    """Parsed expressions of one read request."""

    def __init__(self, body, table, index, kind):
        self.ctx = Context(body.get('ExpressionAttributeNames'), body.get('ExpressionAttributeValues'))
        self.filter = None
        self.projection = None
        self.key = None
        if kind == 'Query':
            kce = body.get('KeyConditionExpression')
            if kce is None:
                raise validation('Either the KeyConditions or KeyConditionExpression parameter '
                                 'must be specified in the request.')
            hk, rk = table.key_schema(index)
            types = dict(table.attribute_types)
            self.key = key_condition(kce, self.ctx, hk, rk, types)
        if body.get('FilterExpression') is not None:
            self.filter = parse_condition(body['FilterExpression'], self.ctx, 'FilterExpression')
            if kind == 'Query':
                hk, rk = table.key_schema(index)
                for name in paths_in(self.filter):
                    if name in (hk, rk):
                        raise validation('Filter Expression can only contain non-primary key '
                                         f'attributes: Primary key attribute: {name}')
        if body.get('ProjectionExpression') is not None:
            self.projection = parse_projection(body['ProjectionExpression'], self.ctx)
        self.ctx.check_unused()


def _select(body, index, projection):
    select = body.get('Select')
    allowed = ('ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT')
    if select is None:
        return 'SPECIFIC_ATTRIBUTES' if projection is not None else 'ALL_ATTRIBUTES'
    _enum(body, 'Select', 'select', allowed, None)
    if select == 'ALL_PROJECTED_ATTRIBUTES' and index is None:
        raise validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName')
    if projection is not None and select != 'SPECIFIC_ATTRIBUTES':
        raise validation('Cannot specify the ProjectionExpression when choosing to get '
                         f'{select}')
    if select == 'SPECIFIC_ATTRIBUTES' and projection is None:
        raise validation('Must specify the AttributesToGet or ProjectionExpression when choosing '
                         'to get SPECIFIC_ATTRIBUTES')
    return select


def _start_key(body, table, index):
    esk = body.get('ExclusiveStartKey')
    if esk is None:
        return None
    names = [table.hash_key] + ([table.range_key] if table.range_key else [])
    if index:
        ix = table.indexes[index]
        names += [n for n in (ix.hash_key, ix.range_key) if n and n not in names]
    bad = validation('The provided starting key is invalid: The provided key element does not '
                     'match the schema')
    if not isinstance(esk, dict) or sorted(esk) != sorted(names):
        raise bad
    for name in names:
        try:
            check_value(esk[name])
        except DdbError:
            raise bad from None
        if next(iter(esk[name])) != table.attribute_types.get(name):
            raise bad
    return esk


def _last_key(table, index, item):
    key = table.primary_key_of(item)
    if index:
        ix = table.indexes[index]
        for name in (ix.hash_key, ix.range_key):
            if name:
                key[name] = item[name]
    return key


def _index(body, table):
    name = body.get('IndexName')
    if name is None:
        return None
    if name not in table.indexes:
        raise validation(f'The table does not have the specified index: {name}')
    if body.get('ConsistentRead'):
        raise validation('Consistent reads are not supported on global secondary indexes')
    return name


def _read(sim, body, kind):
    table = _table(sim, body)
    _legacy(body, ('AttributesToGet', 'ScanFilter', 'QueryFilter', 'KeyConditions',
                   'ConditionalOperator'))
    index = _index(body, table)
    limit = _int(body, 'Limit', 'limit', 1)
    parsed = _Request(body, table, index, kind)
    select = _select(body, index, parsed.projection)
    consistent = bool(body.get('ConsistentRead'))
    esk = _start_key(body, table, index)
    rows = table.index_order(index) if index else table.order()
    lo, hi = 0, len(rows)
    forward = True
    if kind == 'Scan':
        segment = _int(body, 'Segment', 'segment', 0, 999999)
        total = _int(body, 'TotalSegments', 'totalSegments', 1, 1000000)
        if segment is not None and total is None:
            raise validation('The TotalSegments parameter is required but was not present in the '
                             'request when Segment parameter is present')
        if total is not None and segment is None:
            raise validation('The Segment parameter is required but was not present in the request '
                             'when parameter TotalSegments is present')
        if total is not None:
            if segment >= total:
                raise validation('The Segment parameter is zero-based and must be less than '
                                 f'parameter TotalSegments: Segment: {segment} is not less than '
                                 f'TotalSegments: {total}')
            space = 1 << 64
            lo = _first_at_or_after(rows, segment * space // total)
            hi = _first_at_or_after(rows, (segment + 1) * space // total)
        order_positions = range(lo, hi)
        if esk is not None:
            start = bisect_after(rows, table.order_key_for(esk, index))
            order_positions = range(max(lo, start), hi)
    else:
        forward = body.get('ScanIndexForward', True) is not False
        hv, range_pred = parsed.key
        lo = _first_at_or_after(rows, partition_hash(hv), _sort_prefix(hv))
        hi = _first_after_partition(rows, partition_hash(hv), _sort_prefix(hv), lo)
        if esk is not None:
            pos = bisect_after(rows, table.order_key_for(esk, index))
            if forward:
                lo = max(lo, pos)
            else:
                # Rows strictly before the start key: those at positions < its own.
                hi = min(hi, _position_of(rows, table.order_key_for(esk, index)))
        order_positions = range(lo, hi) if forward else range(hi - 1, lo - 1, -1)
    items, scanned, size, last = [], 0, 0, None
    cut = False
    hk_name, rk_name = table.key_schema(index)
    with table.lock:
        positions = list(order_positions)
        for n, pos in enumerate(positions):
            skey = rows[pos][1]
            item = table.items.get(skey)
            if item is None:
                continue
            if kind == 'Query' and rk_name and parsed.key[1] is not None:
                if not range_matches(parsed.key[1], item[rk_name]):
                    continue
            scanned += 1
            size += item_size(item)
            last = item
            if parsed.filter is None or evaluate(parsed.filter, item):
                items.append(item)
            if (limit is not None and scanned >= limit) or size >= PAGE_BYTES:
                cut = n + 1 < len(positions) or (limit is not None and scanned >= limit)
                break
    out = {}
    if select != 'COUNT':
        if parsed.projection is not None:
            out['Items'] = [project(it, parsed.projection) for it in items]
        else:
            out['Items'] = items
    out['Count'] = len(items)
    out['ScannedCount'] = scanned
    if cut and last is not None:
        out['LastEvaluatedKey'] = _last_key(table, index, last)
    capacity = _capacity(body, table, size, consistent, index)
    if capacity:
        out['ConsumedCapacity'] = capacity
    return out


def _sort_prefix(av):
    return key_sort_value(av)


def _first_at_or_after(rows, phash, hv=None):
    lo, hi = 0, len(rows)
    probe = (phash,) if hv is None else (phash, hv)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid][0][:len(probe)] < probe:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _first_after_partition(rows, phash, hv, lo):
    hi = len(rows)
    probe = (phash, hv)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid][0][:2] <= probe:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _position_of(rows, order_key):
    lo, hi = 0, len(rows)
    while lo < hi:
        mid = (lo + hi) // 2
        if rows[mid][0] < order_key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _scan(sim, body, region):
    return _read(sim, body, 'Scan')


def _query(sim, body, region):
    return _read(sim, body, 'Query')


# ---------------------------------------------------------------- items

def _key_arg(table, key, member='key'):
    if key is None:
        raise _null(member)
    table.check_key(key)
    return key


def _get_item(sim, body, region):
    table = _table(sim, body)
    _legacy(body, ('AttributesToGet',))
    key = _key_arg(table, body.get('Key'))
    ctx = Context(body.get('ExpressionAttributeNames'), body.get('ExpressionAttributeValues'))
    projection = None
    if body.get('ProjectionExpression') is not None:
        projection = parse_projection(body['ProjectionExpression'], ctx)
    if ctx.values:
        raise validation('ExpressionAttributeValues can only be specified when using expressions: '
                         'ProjectionExpression does not use expression attribute values'
                         if projection is not None else
                         'ExpressionAttributeValues can only be specified when using expressions')
    ctx.check_unused()
    item = table.get(key)
    out = {}
    if item is not None:
        out['Item'] = project(item, projection) if projection is not None else item
    capacity = _capacity(body, table, item_size(item) if item else 1, bool(body.get('ConsistentRead')))
    if capacity:
        out['ConsumedCapacity'] = capacity
    return out


def _batch_get(sim, body, region):
    requests = body.get('RequestItems')
    if requests is None:
        raise _null('requestItems')
    if not isinstance(requests, dict) or not requests:
        raise validation("1 validation error detected: Value '{}' at 'requestItems' failed to "
                         'satisfy constraint: Member must have length greater than or equal to 1')
    total = 0
    plan = []
    for name, spec in requests.items():
        _check_table_name(name, 'requestItems')
        if not isinstance(spec, dict) or not isinstance(spec.get('Keys'), list) or not spec['Keys']:
            raise validation(f"1 validation error detected: Value '{{{name}={spec}}}' at "
                             "'requestItems' failed to satisfy constraint: Map value must satisfy "
                             'constraint: [Member must have length less than or equal to 100, '
                             'Member must have length greater than or equal to 1]')
        total += len(spec['Keys'])
        if total > BATCH_GET_MAX:
            raise validation('Too many items requested for the BatchGetItem call')
        table = sim.app.tables.get(name)
        if table is None:
            raise DdbError('ResourceNotFoundException', 'Requested resource not found')
        seen = set()
        for key in spec['Keys']:
            table.check_key(key)
            skey = table.storage_key(key)
            if skey in seen:
                raise validation('Provided list of item keys contains duplicates')
            seen.add(skey)
        ctx = Context(spec.get('ExpressionAttributeNames'), None)
        projection = None
        if spec.get('ProjectionExpression') is not None:
            projection = parse_projection(spec['ProjectionExpression'], ctx)
        ctx.check_unused()
        plan.append((name, table, spec, projection))
    budget = sim.state.config().get('dynamodb_batch_max_keys')
    responses, unprocessed, capacity = {}, {}, []
    served = 0
    for name, table, spec, projection in plan:
        found = []
        left = []
        # Each key is read as a GetItem would be: its item rounded up to 4 KB
        # on its own, a key that matches nothing at the minimum (browser).
        blocks = 0
        for key in spec['Keys']:
            if budget is not None and served >= budget:
                left.append(key)
                continue
            served += 1
            item = table.get(key)
            blocks += max(1, math.ceil(item_size(item) / 4096)) if item is not None else 1
            if item is not None:
                found.append(project(item, projection) if projection is not None else item)
        size = blocks * 4096
        responses[name] = found
        if left:
            entry = {'Keys': left}
            for extra in ('ProjectionExpression', 'ExpressionAttributeNames', 'ConsistentRead'):
                if extra in spec:
                    entry[extra] = spec[extra]
            unprocessed[name] = entry
        cap = _capacity(body, table, size, bool(spec.get('ConsistentRead')))
        if cap:
            capacity.append(cap)
    out = {'Responses': responses, 'UnprocessedKeys': unprocessed}
    if capacity:
        out['ConsumedCapacity'] = capacity
    return out


def _put_item(sim, body, region):
    table = _table(sim, body)
    _legacy(body, ('Expected', 'ConditionalOperator'))
    item = body.get('Item')
    if item is None:
        raise _null('item')
    if not isinstance(item, dict):
        raise validation('Start of structure or map found where not expected.')
    for name, av in item.items():
        check_value(av)
    for name in (table.hash_key, table.range_key):
        if not name:
            continue
        if name not in item:
            raise validation(f'One or more parameter values were invalid: Missing the key {name} in the item')
        kind = next(iter(item[name]))
        if kind != table.attribute_types[name]:
            raise validation(f'One or more parameter values were invalid: Type mismatch for key '
                             f'{name} expected: {table.attribute_types[name]} actual: {kind}')
        value = item[name][kind]
        if kind in ('S', 'B') and not value:
            raise validation('One or more parameter values are not valid. The AttributeValue for '
                             f'a key attribute cannot contain an empty string value. Key: {name}')
    for ix in table.indexes.values():
        for name in (ix.hash_key, ix.range_key):
            if name and name in item:
                kind = next(iter(item[name]))
                want = table.attribute_types[name]
                if kind != want:
                    raise validation('One or more parameter values were invalid: Type mismatch for '
                                     f'Index Key {name} Expected: {want} Actual: {kind} '
                                     f'IndexName: {ix.name}')
    size = item_size(item)
    if size > MAX_ITEM_BYTES:
        raise validation('Item size has exceeded the maximum allowed size')
    returns = _enum(body, 'ReturnValues', 'returnValues',
                    ('NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'), 'NONE')
    if returns not in ('NONE', 'ALL_OLD'):
        raise validation('ReturnValues can only be ALL_OLD or NONE')
    on_fail = _enum(body, 'ReturnValuesOnConditionCheckFailure',
                    'returnValuesOnConditionCheckFailure', ('ALL_OLD', 'NONE'), 'NONE')
    ctx = Context(body.get('ExpressionAttributeNames'), body.get('ExpressionAttributeValues'))
    condition = None
    if body.get('ConditionExpression') is not None:
        condition = parse_condition(body['ConditionExpression'], ctx, 'ConditionExpression')
    ctx.check_unused()
    with table.lock:
        old = table.get(item)
        if condition is not None and not evaluate(condition, old or {}):
            err = DdbError('ConditionalCheckFailedException', 'The conditional request failed')
            if on_fail == 'ALL_OLD' and old is not None:
                err.item = old
            raise err
        table.put(item)
    sim.app.metrics.add('AWS/DynamoDB', 'SuccessfulRequestLatency',
                        (('Operation', 'PutItem'), ('TableName', table.name)),
                        int(sim.now()) // 60, sample(4.2))
    out = {}
    if returns == 'ALL_OLD' and old is not None:
        out['Attributes'] = old
    capacity = _capacity(body, table, size, True, write=True)
    if capacity:
        out['ConsumedCapacity'] = capacity
    return out


_OPERATIONS = {
    'ListTables': _list_tables,
    'DescribeTable': _describe_table,
    'Scan': _scan,
    'Query': _query,
    'GetItem': _get_item,
    'BatchGetItem': _batch_get,
    'PutItem': _put_item,
    'ListTagsOfResource': _list_tags,
    'DescribeTimeToLive': _describe_ttl,
}
