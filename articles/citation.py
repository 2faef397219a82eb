"""Plain-text citations of articles and quotes, with their permalinks."""

from articles.models import Article, QuoteOccurrence


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "n.d."


def article_citation(article: Article, permalink: str) -> str:
    source = article.source.name if article.source else "Unknown source"
    return f"{source}. “{article.title}”. {_date(article.date)}. {permalink}"


def quote_citation(occurrence: QuoteOccurrence, article_permalink: str) -> str:
    quote = occurrence.quote
    speaker = quote.person.name if quote.person else "Unattributed"
    if quote.role:
        speaker = f"{speaker} ({quote.role})"
    event = f", {quote.event.name}" if quote.event else ""
    article = occurrence.article
    return (
        f"{speaker}: “{quote.text}”{event}, {_date(quote.date)}. "
        f"In: {article_citation(article, article_permalink)}#quote-{quote.pk}"
    )
