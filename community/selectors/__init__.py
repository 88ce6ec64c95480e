"""Read paths: one function per page, a fixed number of queries whatever the data size."""
