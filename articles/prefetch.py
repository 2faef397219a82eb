"""Work done ahead in a background thread while the caller waits on the database.

Ingest alternates between extraction (pure Python) and storing batches, and
while a batch is stored the ingest process mostly waits for PostgreSQL to
compute search vectors and index entries. A thread extracting the next files
meanwhile uses that wait: the GIL is released while psycopg waits on its
socket. The database stays in the caller's thread (its connection and
transaction are the caller's).
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ahead(function: Callable[[Item], Result], items: Iterable[Item], *, depth: int = 64) -> Iterator[Result]:
    """`function(item)` for each item, in order, computed up to `depth` items ahead of the consumer.

    An exception raised by `function` is raised here, at its item. Stopping
    early (break, an error in the consumer) cancels what was queued.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ahead") as pool:
        pending = deque()
        source = iter(items)
        try:
            for item in source:
                pending.append(pool.submit(function, item))
                if len(pending) >= depth:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
