"""The Python exceptions are exactly the server's catalogue (io.runcast.protocol.ErrorCode)."""

import re

from conftest import ROOT

import runcast
from runcast.errors import ERRORS, error_for, from_http

ERROR_CODE_JAVA = ROOT / "api" / "src" / "main" / "java" / "io" / "runcast" / "protocol" / "ErrorCode.java"


def test_errors_listExactlyTheJavaCatalogue_withItsHttpStatus() -> None:
    java = dict(re.findall(r"^\s+([A-Z_]+)\((\d{3}),", ERROR_CODE_JAVA.read_text(), re.M))
    assert java, "no codes parsed from ErrorCode.java"
    assert {c.upper(): str(cls.status) for c, cls in ERRORS.items()} == java


def test_everyCode_isARuncastErrorExportedByThePackage() -> None:
    for code, cls in ERRORS.items():
        assert issubclass(cls, runcast.RuncastError)
        assert getattr(runcast, cls.__name__) is cls
        assert error_for(code, "m").code == code


def test_httpErrorBody_becomesItsClass_andABare413_isTooLarge() -> None:
    e = from_http(409, b'{"error":{"code":"run_closed","message":"ended"}}')
    assert isinstance(e, runcast.RunClosedError) and e.message == "ended"
    assert isinstance(from_http(413, b"Request Entity Too Large"), runcast.TooLargeError)
