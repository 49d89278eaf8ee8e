#!/bin/sh
# tests/check_part2.sh - the second half of tests/check_benchrun's suites
# (tests/check_main.c: part2), run by make check beside the first half:
# most of the runner's time is spent waiting on benchrun runs, so the two
# halves side by side take about half as long on any machine.  By hand,
# tests/check_benchrun without BR_TEST_PART runs every suite.
BR_TEST_PART=2
export BR_TEST_PART
exec "${BR_TEST_BUILDDIR:-.}/tests/check_benchrun"
