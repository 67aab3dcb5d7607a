"""The permission matrix (tests/permission_matrix.csv) run through the pages and the API.

``world`` builds one world with a row of every kind for every role; ``rows`` reads the CSV; ``specs``
says, per (object, action) and channel, which requests perform the action and what an allowed one
changes; ``probes`` sends them and judges the answers.
"""
