"""How long a browser test waits for the app: one figure for every wait (Playwright, ms).

The slowest thing a test waits for is a fresh server's first page on a busy 2-core machine: it
imports everything, seeds its database and sends Streamlit's front end, which took minutes
while other test suites ran. Every wait polls, so a passing test never waits this long; a
failing one fails with Playwright's message before pytest-timeout's 300 s end the test.
"""
TIMEOUT_MS = 240_000
