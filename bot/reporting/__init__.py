"""The weekly picture for the staff: what volunteers asked, what the bot did with it, how fast
the staff answered, and which questions the knowledge base still lacks.

Pure: `build_report` takes plain records (records.py) and returns a `Report` of counts, entry
ids and anonymised texts; the charts and the HTML page are drawn in
`bot/adapters/report/`, the data is read in `bot/storage/reporting_sql.py`.
"""
