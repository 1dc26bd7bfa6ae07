"""Full-text search over published articles and pages: one interface, two engines
(SQLite FTS5 on the embedded default, PostgreSQL full-text search in production)."""
