"""Simulator clock.

Everything time-dependent (Date headers, skew checks, credential expiry) reads this clock
so a test can make the server look skewed or make credentials expire without sleeping.
"""
import threading
import time
from email.utils import formatdate

AMZ_DATE_FORMAT = '%Y%m%dT%H%M%SZ'
ISO8601_FORMAT = '%Y-%m-%dT%H:%M:%SZ'


class Clock:
    def __init__(self):
        self._lock = threading.Lock()
        self._offset = 0.0

    @property
    def offset(self):
        with self._lock:
            return self._offset

    def set_offset(self, seconds):
        with self._lock:
            self._offset = float(seconds)

    def now(self):
        return time.time() + self.offset


def amz_date(ts):
    return time.strftime(AMZ_DATE_FORMAT, time.gmtime(ts))


def iso8601(ts):
    return time.strftime(ISO8601_FORMAT, time.gmtime(ts))


def http_date(ts):
    return formatdate(ts, usegmt=True)
