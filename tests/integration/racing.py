"""Race helpers for concurrency tests on PostgreSQL: release threads at the same moment."""

import threading

from django.db import connection


def race(count, work):
    """Run ``work(i)`` in ``count`` threads released at the same moment; their results (or errors)."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # reported below, as a result
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
