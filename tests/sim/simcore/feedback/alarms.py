"""CloudWatch alarms of the feedback application, evaluated from the metrics on demand.

A metric alarm's state at time t comes from its last EvaluationPeriods complete periods
(M out of N); StateUpdatedTimestamp is when that state last changed, found by walking
back period by period (at most a day). Composite alarms evaluate their rule over their
children's states at the same moment.
"""
import json
import re
import threading
import time

from . import resources as res
from .metrics import series_of

LOOKBACK = 86400
EVALUATION_DELAY = 30  # seconds after a period ends that it gets evaluated

_OPS = {
    'GreaterThanThreshold': (lambda v, t: v > t, 'greater than'),
    'GreaterThanOrEqualToThreshold': (lambda v, t: v >= t, 'greater than or equal to'),
    'LessThanThreshold': (lambda v, t: v < t, 'less than'),
    'LessThanOrEqualToThreshold': (lambda v, t: v <= t, 'less than or equal to'),
}


def _fmt_dp(ts):
    return time.strftime('%d/%m/%y %H:%M:%S', time.gmtime(ts))


def _iso(ts):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ts)) + '.000+0000'


class Alarms:
    def __init__(self, metrics):
        self.metrics = metrics
        self.lock = threading.Lock()
        self.cache = {}

    def reset(self):
        with self.lock:
            self.cache = {}

    # ------------------------------------------------------------ metric alarms
    def _evaluate(self, alarm, end, now):
        """(state, [(ts, value)] used, missing count) for the periods ending at `end`."""
        key = (alarm['name'], end)
        with self.lock:
            hit = self.cache.get(key)
        if hit is not None and end < now - 120:
            return hit
        period = alarm['period']
        n = alarm['evaluation_periods']
        start = end - n * period
        stat = alarm.get('extended') or alarm['stat']
        points = series_of(self.metrics, alarm['namespace'], alarm['metric'], alarm['dims'], stat,
                           period, start, end, now, aligned=start)
        check = _OPS[alarm['op']][0]
        breaching = sum(1 for _, v in points if check(v, alarm['threshold']))
        missing = n - len(points)
        if alarm['missing'] == 'breaching':
            breaching += missing
        if len(points) == 0 and alarm['missing'] == 'missing':
            state = 'INSUFFICIENT_DATA'
        elif breaching >= alarm['datapoints']:
            state = 'ALARM'
        else:
            state = 'OK'
        out = (state, points, missing)
        with self.lock:
            if len(self.cache) > 100000:
                self.cache.clear()
            self.cache[key] = out
        return out

    def state_only(self, alarm, now):
        period = alarm['period']
        return self._evaluate(alarm, int((now - EVALUATION_DELAY) // period * period), now)[0]

    def metric_state(self, alarm, now):
        period = alarm['period']
        end = int((now - EVALUATION_DELAY) // period * period)
        state, points, missing = self._evaluate(alarm, end, now)
        changed = end - LOOKBACK
        t = end - period
        while t > end - LOOKBACK:
            if self._evaluate(alarm, t, now)[0] != state:
                changed = t + period
                break
            t -= period
        return state, points, missing, changed + EVALUATION_DELAY, end

    def describe_metric(self, alarm, region, now):
        state, _, _, updated, _ = self.metric_state(alarm, now)
        # The reason describes the evaluation that made the state change (AWS keeps it
        # until the next change).
        end = int(updated - EVALUATION_DELAY)
        _, points, missing = self._evaluate(alarm, end, now)
        op_text = _OPS[alarm['op']][1]
        n = alarm['evaluation_periods']
        recent = [v for _, v in sorted(points, reverse=True)]
        shown = ', '.join(f'{v} ({_fmt_dp(ts)})' for ts, v in sorted(points, reverse=True))
        if state == 'INSUFFICIENT_DATA':
            reason = f'Insufficient Data: {n} datapoint{"s were" if n > 1 else " was"} unknown.'
        elif not points:
            treated = 'Breaching' if alarm['missing'] == 'breaching' else 'NonBreaching'
            reason = (f'Threshold Crossed: no datapoints were received for {n} period'
                      f'{"s" if n > 1 else ""} and {n} missing datapoint{"s were" if n > 1 else " was"} '
                      f'treated as [{treated}].')
        else:
            verb = 'was' if len(points) == 1 else 'were'
            negation = '' if state == 'ALARM' else 'not '
            transition = 'OK -> ALARM' if state == 'ALARM' else 'ALARM -> OK'
            reason = (f'Threshold Crossed: {len(points)} out of the last {n} datapoints [{shown}] '
                      f'{verb} {negation}{op_text} the threshold ({alarm["threshold"]}) (minimum '
                      f'{alarm["datapoints"]} datapoint{"s" if alarm["datapoints"] > 1 else ""} '
                      f'for {transition} transition).')
        data = {'version': '1.0', 'queryDate': _iso(updated),
                'startDate': _iso(end - n * alarm['period']),
                'period': alarm['period'], 'recentDatapoints': recent,
                'threshold': alarm['threshold'],
                'evaluatedDatapoints': [{'timestamp': _iso(ts), 'value': v}
                                        for ts, v in sorted(points, reverse=True)]}
        if alarm.get('extended'):
            data['extendedStatistic'] = alarm['extended']
        else:
            data['statistic'] = alarm['stat']
        out = {
            'AlarmName': alarm['name'],
            'AlarmArn': res.alarm_arn(region, alarm['name']),
            'AlarmDescription': alarm['description'],
            'AlarmConfigurationUpdatedTimestamp': res.DEPLOYED_AT + 300,
            'ActionsEnabled': True,
            'OKActions': [res.sns_topic_arn(region)],
            'AlarmActions': [res.sns_topic_arn(region)],
            'InsufficientDataActions': [],
            'StateValue': state,
            'StateReason': reason,
            'StateReasonData': json.dumps(data, separators=(',', ':')),
            'StateUpdatedTimestamp': float(updated),
            'MetricName': alarm['metric'],
            'Namespace': alarm['namespace'],
        }
        if alarm.get('extended'):
            out['ExtendedStatistic'] = alarm['extended']
        else:
            out['Statistic'] = alarm['stat']
        out.update({
            'Dimensions': [{'Name': k, 'Value': v} for k, v in alarm['dims']],
            'Period': alarm['period'],
            'EvaluationPeriods': alarm['evaluation_periods'],
            'DatapointsToAlarm': alarm['datapoints'],
            'Threshold': alarm['threshold'],
            'ComparisonOperator': alarm['op'],
            'TreatMissingData': alarm['missing'],
            'StateTransitionedTimestamp': float(updated),
        })
        return out

    # ------------------------------------------------------------ composite alarms
    def composite_state(self, composite, now):
        children = {a['name']: a for a in res.ALARMS}

        def state_at(t):
            states = {}
            for name in _children(composite['rule']):
                states[name] = self.state_only(children[name], t) if name in children else \
                    'INSUFFICIENT_DATA'
            return _rule(composite['rule'], states), states
        state, states = state_at(now)
        changed = now - LOOKBACK
        t = (int(now) // 60) * 60
        while t > now - LOOKBACK:
            t -= 60
            if state_at(t)[0] != state:
                changed = t + 60
                break
        return state, states, changed

    def describe_composite(self, composite, region, now):
        state, states, updated = self.composite_state(composite, now)
        triggering = [n for n, s in states.items() if s == 'ALARM']
        if state == 'ALARM':
            reason = ('arn:aws:cloudwatch:' + region + f':{res.ACCOUNT}:alarm:' + triggering[0] +
                      ' transitioned to ALARM at ' + time.strftime('%A %d %B, %Y %H:%M:%S UTC',
                                                                     time.gmtime(updated)))
        else:
            reason = f'{composite["rule"]} was evaluated as {state == "OK" and "False" or "Unknown"}'
        data = {'triggeringAlarms': [{'arn': res.alarm_arn(region, n), 'state': {
            'value': states[n], 'timestamp': _iso(updated)}} for n in triggering]}
        return {
            'ActionsEnabled': True,
            'AlarmActions': [res.sns_topic_arn(region)],
            'AlarmArn': res.alarm_arn(region, composite['name']),
            'AlarmConfigurationUpdatedTimestamp': res.DEPLOYED_AT + 320,
            'AlarmDescription': composite['description'],
            'AlarmName': composite['name'],
            'AlarmRule': composite['rule'],
            'InsufficientDataActions': [],
            'OKActions': [res.sns_topic_arn(region)],
            'StateReason': reason,
            'StateReasonData': json.dumps(data, separators=(',', ':')),
            'StateUpdatedTimestamp': float(updated),
            'StateValue': state,
            'StateTransitionedTimestamp': float(updated),
        }


_CHILD_RE = re.compile(r'(ALARM|OK|INSUFFICIENT_DATA)\(\s*"?([^")]+?)"?\s*\)')


def _children(rule):
    return [m.group(2) for m in _CHILD_RE.finditer(rule)]


def _rule(rule, states):
    """Evaluate an AlarmRule (ALARM("x"), OK(...), AND, OR, NOT, TRUE, FALSE, parentheses)."""
    tokens = re.findall(r'ALARM\([^)]*\)|OK\([^)]*\)|INSUFFICIENT_DATA\([^)]*\)|AND|OR|NOT|TRUE|FALSE|\(|\)',
                        rule)
    pos = 0

    def atom():
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok == '(':
            value = expr()
            pos += 1
            return value
        if tok == 'NOT':
            return not atom()
        if tok in ('TRUE', 'FALSE'):
            return tok == 'TRUE'
        m = _CHILD_RE.match(tok)
        return states.get(m.group(2)) == m.group(1)

    def conj():
        nonlocal pos
        value = atom()
        while pos < len(tokens) and tokens[pos] == 'AND':
            pos += 1
            value = atom() and value
        return value

    def expr():
        nonlocal pos
        value = conj()
        while pos < len(tokens) and tokens[pos] == 'OR':
            pos += 1
            value = conj() or value
        return value
    result = expr()
    if result:
        return 'ALARM'
    if any(s == 'INSUFFICIENT_DATA' for s in states.values()) and \
            all(s != 'ALARM' for s in states.values()):
        return 'INSUFFICIENT_DATA' if all(s == 'INSUFFICIENT_DATA' for s in states.values()) else 'OK'
    return 'OK'
