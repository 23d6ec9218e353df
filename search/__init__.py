"""The Elasticsearch index, its mapping, indexing tasks, queries, the database fallback and search analytics."""
