"""Helpers shared by the test suites and the benchmarks.

Test modules and conftests import from here, never from one another: `engine` (engine
builders for unit tests), `webhooks` (RevenueCat webhook bodies and a write key),
`segment_server` (the real loopback Segment), `cli` (the CLI in-process and as a real
process), `qt` (driving the window's qasync loop).
"""
