"""Links that change part of the current page's query string (pages, years, months)."""

from django.http import QueryDict


def with_params(query: QueryDict, **changes) -> str:
    """`query` with `changes` applied (None drops a parameter), as "?…"; the other parameters are kept."""
    query = query.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return f"?{query.urlencode()}" if query else "?"
