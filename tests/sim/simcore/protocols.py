"""Response and error shapes of the AWS wire protocols (awsQuery, awsJson, restJson).

Codes and HTTP statuses follow what real services send, because the C client decides
between retrying, refreshing credentials and correcting its clock from exactly these.
"""
import json
from xml.sax.saxutils import escape

from .wire import Response

QUERY = 'query'
JSON = 'json'
REST_JSON = 'rest-json'

STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/'

# awsJson version per signing name (each service's model metadata.jsonVersion); the answer
# carries the service's own, whatever the request sent.
JSON_VERSIONS = {'dynamodb': '1.0', 'monitoring': '1.0', 'logs': '1.1', 'tagging': '1.1'}
QUERY_CONTENT_TYPE = 'text/xml'
REST_JSON_CONTENT_TYPE = 'application/json'
_JSON_FAMILY = ('application/json', 'application/x-amz-json-')
_XML_FAMILY = ('text/xml', 'application/xml')


def json_content_type(service):
    return 'application/x-amz-json-' + JSON_VERSIONS.get(service, '1.1')


def json_request_type_ok(req):
    """awsJson services read a body only under their protocol's Content-Type."""
    ctype = (req.header('Content-Type') or '').partition(';')[0].strip().lower()
    return ctype in ('application/x-amz-json-1.0', 'application/x-amz-json-1.1')


def unknown_operation_xml():
    """What an awsJson service answers a request with another Content-Type: it finds no
    operation, and says so in its framework's default XML (seen from Kinesis and SES)."""
    return Response(404, b'<UnknownOperationException/>\n', 'application/xml')


def content_type(service, protocol, current):
    """The Content-Type a service speaking `protocol` answers with, in place of `current`
    when that is of the protocol's family; anything else (an event stream, a Lambda
    payload, an emulator's HTML page) is left alone."""
    current = current or ''
    if protocol == JSON and current.startswith(_JSON_FAMILY):
        return json_content_type(service)
    if protocol == REST_JSON and current.startswith(_JSON_FAMILY):
        return REST_JSON_CONTENT_TYPE
    if protocol == QUERY and current.startswith(_XML_FAMILY):
        return QUERY_CONTENT_TYPE
    return current

# kind -> protocol -> (HTTP status, error code). awsJson services (DynamoDB, Logs) answer
# auth failures with 400; query and REST services (STS, Lambda) with 403, except the
# query-protocol ExpiredToken which is 400.
_AUTH_ERRORS = {
    'missing': {QUERY: (403, 'MissingAuthenticationToken'),
                JSON: (400, 'MissingAuthenticationTokenException'),
                REST_JSON: (403, 'MissingAuthenticationTokenException')},
    'incomplete': {QUERY: (403, 'IncompleteSignature'),
                   JSON: (400, 'IncompleteSignatureException'),
                   REST_JSON: (403, 'IncompleteSignatureException')},
    'invalid_token': {QUERY: (403, 'InvalidClientTokenId'),
                      JSON: (400, 'UnrecognizedClientException'),
                      REST_JSON: (403, 'UnrecognizedClientException')},
    'signature': {QUERY: (403, 'SignatureDoesNotMatch'),
                  JSON: (400, 'InvalidSignatureException'),
                  REST_JSON: (403, 'InvalidSignatureException')},
    'expired': {QUERY: (400, 'ExpiredToken'),
                JSON: (400, 'ExpiredTokenException'),
                REST_JSON: (403, 'ExpiredTokenException')},
}

_THROTTLE = {QUERY: (400, 'Throttling'),
             JSON: (400, 'ThrottlingException'),
             REST_JSON: (429, 'TooManyRequestsException')}


def detect(req):
    """Guess the protocol of a request whose service the simulator may not know."""
    if req.header('X-Amz-Target'):
        return JSON
    ctype = (req.header('Content-Type') or '').lower()
    if ctype.startswith('application/x-www-form-urlencoded'):
        return QUERY
    return REST_JSON


def guess_action(req, protocol):
    """Operation name for RPC-style protocols; REST services name it from their routes."""
    if protocol == JSON:
        return req.header('X-Amz-Target', '').rpartition('.')[2] or None
    if protocol == QUERY:
        return req.form().get('Action')
    return None


def xml_body(root, content, xmlns):
    """Indented XML like AWS sends, so the client's parser meets real-world whitespace."""
    return f'<{root} xmlns="{xmlns}">\n{_xml(content, 1)}</{root}>\n'.encode()


def _xml(content, depth):
    pad = '  ' * depth
    out = []
    for tag, value in content.items():
        if isinstance(value, dict):
            out.append(f'{pad}<{tag}>\n{_xml(value, depth + 1)}{pad}</{tag}>\n')
        else:
            out.append(f'{pad}<{tag}>{escape(str(value))}</{tag}>\n')
    return ''.join(out)


class Reply:
    """Builds responses for one request in the protocol its service speaks.

    A service module may shape its own errors (DynamoDB's `__type` namespaces, Lambda's
    `Type` member, CloudWatch's `x-amzn-query-error`) with
    `shape_error(reply, status, code, message, headers)` returning a Response or None,
    and name its throttling error with `throttle_error(action)` -> (status, code, message).
    """

    def __init__(self, req, protocol, xmlns=STS_XMLNS, module=None, action=None):
        self.req = req
        self.protocol = protocol
        self.xmlns = xmlns
        self.module = module
        self.action = action

    def _json_type(self):
        if self.protocol == JSON:
            return json_content_type(getattr(self.module, 'SERVICE', None))
        return REST_JSON_CONTENT_TYPE

    def json(self, obj, status=200, headers=()):
        return Response(status, json.dumps(obj).encode(), self._json_type(), list(headers))

    def query_result(self, action, result):
        body = xml_body(f'{action}Response', {
            f'{action}Result': result,
            'ResponseMetadata': {'RequestId': self.req.request_id},
        }, self.xmlns)
        return Response(200, body, 'text/xml')

    def error(self, status, code, message, headers=()):
        headers = list(headers)
        shape = getattr(self.module, 'shape_error', None)
        if shape is not None:
            resp = shape(self, status, code, message, headers)
            if resp is not None:
                return resp
        if self.protocol == QUERY:
            body = xml_body('ErrorResponse', {
                'Error': {'Type': 'Receiver' if status >= 500 else 'Sender',
                          'Code': code, 'Message': message},
                'RequestId': self.req.request_id,
            }, self.xmlns)
            return Response(status, body, 'text/xml', headers)
        if self.protocol == JSON:
            obj = {'__type': f'com.amazon.coral.service#{code}', 'message': message}
        else:
            headers.append(('x-amzn-ErrorType', code))
            obj = {'message': message}
        return self.json(obj, status, headers)

    def auth_error(self, kind, message):
        status, code = _AUTH_ERRORS[kind][self.protocol]
        return self.error(status, code, message)

    def throttle(self):
        custom = getattr(self.module, 'throttle_error', None)
        if custom is not None:
            status, code, message = custom(self.action)
        else:
            status, code = _THROTTLE[self.protocol]
            message = 'Rate exceeded'
        # Lambda and API Gateway say when to come back (TooManyRequestsException.retryAfterSeconds).
        headers = [('Retry-After', '1')] if status == 429 else []
        return self.error(status, code, message, headers)

    def server_error(self, status=500):
        if status == 503:
            return self.error(503, 'ServiceUnavailable', 'Service is unavailable. Please try again later.')
        return self.error(status, 'InternalFailure', 'The request processing has failed because '
                                                     'of an unknown error, exception or failure.')

    def sample_success(self, action):
        """A plausible 200 body, used where a fault must mangle a successful response."""
        if self.protocol == QUERY:
            return self.query_result(action or 'Unknown', {})
        return self.json({'RequestId': self.req.request_id, 'Padding': 'x' * 64})
