"""JUnit XML, as CI systems read it: one test suite per file, one failing test case per
diagnostic, one passing case for a clean file and an erroring case for a file planlint could
not read. A failure's text is the diagnostic as the text format prints it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from planlint.api import FileResult


class JunitReporter:
    def write(self, results: Sequence[FileResult], out: TextIO) -> None:
        root = ET.Element("testsuites", name="planlint")
        totals = {"tests": 0, "failures": 0, "errors": 0}
        for result in results:
            path = result.path.as_posix()
            suite = ET.SubElement(root, "testsuite", name=path)
            counts = {"tests": 0, "failures": 0, "errors": 0}
            if result.error is not None:
                case = ET.SubElement(suite, "testcase", name="read", classname=path)
                error = ET.SubElement(case, "error", message=result.error.message, type="InputError")
                error.text = str(result.error)
                counts["tests"], counts["errors"] = 1, 1
            elif not result.diagnostics:
                ET.SubElement(suite, "testcase", name="planlint", classname=path)
                counts["tests"] = 1
            for diagnostic in result.diagnostics:
                line, column, _, _ = result.locate(diagnostic.span)
                where = f"{diagnostic.span.path.as_posix()}:{line}:{column}"
                case = ET.SubElement(
                    suite,
                    "testcase",
                    name=f"{diagnostic.code} {diagnostic.name} ({where})",
                    classname=path,
                    file=diagnostic.span.path.as_posix(),
                    line=str(line),
                )
                failure = ET.SubElement(case, "failure", message=diagnostic.message, type=diagnostic.code)
                label = diagnostic.severity.label
                failure.text = f"{where}: {label}: {diagnostic.code} {diagnostic.message}"
                counts["tests"] += 1
                counts["failures"] += 1
            for name, value in counts.items():
                suite.set(name, str(value))
                totals[name] += value
        for name, value in totals.items():
            root.set(name, str(value))
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode"))
        out.write("\n")
