"""The library: search with type-ahead, facets and pages (``search``), one asset and its download (``asset``)."""
