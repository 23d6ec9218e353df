"""What writes in elearning, one module per use case: ``runtime`` (launches, commits, moving attempts)."""
