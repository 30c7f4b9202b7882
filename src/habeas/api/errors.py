"""The API's exception handler: DRF's, plus a 400 for a number the database cannot hold.

A query parameter or path id past the database's integer range (``?lab_result=10**20``,
``/api/cases/99999999999999999999/``) makes SQLite raise ``OverflowError`` and PostgreSQL
``DataError`` (numeric value out of range) while the query runs — a client error, not a server
one (found by schemathesis, tests/security/test_api_schemathesis.py).
"""

from __future__ import annotations

from django.db import DataError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, (OverflowError, DataError)):
        return Response({"detail": "A number in the request is out of range."}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
