"""Reads a JUnit XML report with junitparser (the parser of GitHub's test-result actions) and
prints what it understood as JSON, for compiler/tests/ruletest.rs to compare: the suites, the
totals, and every test case with its results. Fails when the totals a suite declares are not
what its test cases hold."""

import json
import sys

from junitparser import JUnitXml

xml = JUnitXml.fromfile(sys.argv[1])
suites = list(xml)
cases = []
for suite in suites:
    declared = (suite.tests, suite.failures, suite.errors)
    suite_cases = list(suite)
    kinds = [type(r).__name__ for case in suite_cases for r in case.result]
    counted = (len(suite_cases), kinds.count("Failure"), kinds.count("Error"))
    if declared[0] != counted[0] or declared[2] != counted[2]:
        sys.exit(f"suite {suite.name}: declares {declared}, holds {counted}")
    if declared[1] != sum(1 for c in suite_cases if any(type(r).__name__ == "Failure" for r in c.result)):
        sys.exit(f"suite {suite.name}: declares {declared[1]} failed tests")
    for case in suite_cases:
        cases.append(
            {
                "name": case.name,
                "classname": case.classname,
                "time": case.time,
                "results": [[type(r).__name__.lower(), r.message] for r in case.result],
                "text": [r.text for r in case.result],
            }
        )
print(
    json.dumps(
        {
            "suites": len(suites),
            "tests": xml.tests,
            "failures": xml.failures,
            "errors": xml.errors,
            "cases": cases,
        }
    )
)
