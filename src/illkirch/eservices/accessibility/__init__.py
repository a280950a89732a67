"""The site's accessibility statement: its facts computed from the browser
tests' audit (statement.py, audit.json)."""
