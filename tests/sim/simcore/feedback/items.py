"""Deterministic seed data for the Feedback and FeedbackStats tables.

Items are DynamoDB JSON (AttributeValue objects) and between them use every
AttributeValue type. Messages include hostile text (quotes, newlines, UTF-8, terminal
escape sequences) that a console must sanitize before display.
"""
import base64
import random
import time

from .util import SEED

FIRST_CREATED = 1790812800   # 2026-10-01T00:00:00Z
LAST_CREATED = 1795564800    # 2026-11-25T00:00:00Z
STATUSES = ('new', 'reviewed', 'spam')

_MESSAGES = [
    'Great app, the new dashboard is much faster.',
    'Checkout failed twice before it worked.',
    'Love it! Ça marche très bien — merci 🙂',
    'The "export" button does nothing on Safari.',
    'Line one\nLine two\nLine three',
    'Please add dark mode.',
    'Red alert: \u001b[31mthis text is red\u001b[0m and this is not',
    '日本語のフィードバック: とても使いやすいです。',
    'Tab\tseparated\tvalues and a backslash \\ here',
    "It's fine, I guess. Quotes: 'single' and \"double\".",
    'Clear screen attempt \u001b[2J\u001b[H done',
    'Emoji overload 🚀🔥💯 and a zero width joiner 👩\u200d💻',
    'Bell \u0007 and backspace \u0008 characters',
    'Buy now! Cheap casino bonus at http://spam.example',
    '',
]
_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy']
_SOURCES = ['web', 'ios', 'android', 'email']
_LABELS = ['ui', 'performance', 'billing', 'bug', 'feature', 'praise', 'mobile']
_BROWSERS = ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Macintosh)', 'curl/8.5.0',
             'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)']


def _score(rng, i):
    pick = i % 7
    if pick == 0:
        return '12345678901234567890.123456789'
    if pick == 1:
        return '-%d.%d' % (rng.randrange(1, 500), rng.randrange(1, 10))
    if pick == 2:
        return '0.%06d' % rng.randrange(1, 999999)  # small decimal, no exponent
    if pick == 3:
        return str(rng.randrange(0, 100))
    if pick == 4:
        return '99999999999999999999999999999999999999'  # 38 digits, the maximum precision
    return '%d.%02d' % (rng.randrange(0, 100), rng.randrange(0, 100))


def generate(count, seed=SEED):
    """`count` Feedback items; item i (1-based) is fb-000i. Fast enough for 100,000
    (shared pieces are built once; the caller should keep the cyclic GC off meanwhile)."""
    rng = random.Random(seed)
    span_ms = (LAST_CREATED - FIRST_CREATED) * 1000
    step = span_ms // max(count, 1)
    base_ms = FIRST_CREATED * 1000
    nmsg = len(_MESSAGES)
    spammy = {k for k, m in enumerate(_MESSAGES) if 'casino' in m.lower()}
    messages = [{'S': m} for m in _MESSAGES]
    statuses = {s: {'S': s} for s in STATUSES}
    ratings = [{'N': str(r)} for r in range(1, 6)]
    bools = ({'BOOL': False}, {'BOOL': True})
    null = {'NULL': True}
    assignees = [{'S': n} for n in _NAMES]
    labels_cache, votes_cache, attach_cache, blobs_cache = {}, {}, {}, {}
    meta_cache, tags_cache = {}, {}
    out = []
    append = out.append
    for i in range(1, count + 1):
        r = rng.random()
        created = base_ms + (i - 1) * step + int(r * step)
        secs, ms = divmod(created, 1000)
        nm = i % 10
        msg_index = (i * 7 + int(r * 1000)) % nmsg
        status = 'spam' if msg_index in spammy else STATUSES[(i * 3) % 2]
        lk = (i % 7, (i * 5 + 1) % 7)
        labels = labels_cache.get(lk)
        if labels is None:
            labels = labels_cache[lk] = {'SS': sorted({_LABELS[lk[0]], _LABELS[lk[1]]})}
        vk = (i % 11, (i * 3) % 17)
        votes = votes_cache.get(vk)
        if votes is None:
            votes = votes_cache[vk] = {'NS': sorted({str(vk[0]), str(vk[1]), '-1.5'})}
        mk = (i % 4, i % 250)
        meta = meta_cache.get(mk)
        if meta is None:
            meta = meta_cache[mk] = {'M': {
                'source': {'S': _SOURCES[i % 4]},
                'client': {'M': {'ua': {'S': _BROWSERS[i % 4]},
                                 'ip': {'S': '198.51.100.%d' % (i % 250 + 1)}}},
                'history': {'L': [{'S': 'created'}, {'N': str(i % 4)}]},
            }}
        tk = (i % 7, i % 10)
        tags = tags_cache.get(tk)
        if tags is None:
            tags = tags_cache[tk] = {'L': [{'S': _LABELS[i % 7]}, {'N': str(i % 10)}, {'S': 'v2'}]}
        item = {
            'feedbackId': {'S': 'fb-%04d' % i},
            'createdAt': {'S': time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(secs)) + '.%03dZ' % ms},
            'status': statuses[status],
            'message': messages[msg_index],
            'email': {'S': '%s.%d@example.com' % (_NAMES[nm], i)},
            'rating': ratings[(i * 13 + int(r * 97)) % 5],
            'score': {'N': _score(rng, i)},
            'followUp': bools[i % 3 == 0],
            'meta': meta,
            'tags': tags,
            'labels': labels,
            'votes': votes,
            'assignee': null if i % 4 == 0 else assignees[nm],
        }
        if i % 5:
            b = i % 256
            attachment = attach_cache.get(b)
            if attachment is None:
                attachment = attach_cache[b] = {'B': base64.b64encode(bytes([b, 0, 255, 10, 27])).decode()}
                blobs_cache[b] = {'BS': [base64.b64encode(b'\x00\x01').decode(),
                                         base64.b64encode(bytes([b or 1, 2, 3])).decode()]}
            item['attachment'] = attachment
            item['blobs'] = blobs_cache[b]
        append(item)
    return out


def stats_items():
    """FeedbackStats: one item per day of the seed data."""
    out = []
    day = FIRST_CREATED
    n = 0
    while day < LAST_CREATED:
        n += 1
        out.append({
            'day': {'S': time.strftime('%Y-%m-%d', time.gmtime(day))},
            'submitted': {'N': str(3 + (n * 7) % 11)},
            'spam': {'N': str(n % 3)},
            'avgRating': {'N': '%d.%d' % (3 + n % 2, n % 10)},
        })
        day += 86400
    return out
