"""Run one function in several threads at once, for race tests."""

import threading
from collections.abc import Callable

from django.db import connection


def run_together(target: Callable[[], None], count: int) -> None:
    """Start ``count`` threads that call ``target`` at the same moment.

    Each thread closes its own database connection when done; the test must
    use ``django_db(transaction=True)`` so the threads see committed rows.
    """
    barrier = threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            target()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
