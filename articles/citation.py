"""Plain-text citations of articles and quotes, with their permalinks, in the reader's language."""

from django.utils.translation import gettext as _

from articles.models import Article, QuoteOccurrence


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else _("undated")


def article_citation(article: Article, permalink: str) -> str:
    # A source the archive does not know is left out rather than named "unknown".
    source = f"{article.source.name}. " if article.source else ""
    return f"{source}“{article.title}”. {_date(article.date)}. {permalink}"


def quote_citation(occurrence: QuoteOccurrence, article_permalink: str) -> str:
    quote = occurrence.quote
    speaker = quote.person.name if quote.person else _("Unattributed")
    if quote.role:
        speaker = f"{speaker} ({quote.role})"
    event = f", {quote.event.name}" if quote.event else ""
    article = occurrence.article
    return _("%(speaker)s: “%(text)s”%(event)s, %(date)s. In: %(article)s") % {
        "speaker": speaker,
        "text": occurrence.text or quote.text,  # the words as this article prints them
        "event": event,
        "date": _date(quote.date),
        "article": f"{article_citation(article, article_permalink)}#quote-{quote.pk}",
    }


def _bibtex_escape(text: str) -> str:
    return text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}").replace("%", "\\%")


def _csl_date(value) -> dict | None:
    return {"date-parts": [[value.year, value.month, value.day]]} if value else None


def article_formats(article: Article, permalink: str) -> dict:
    source = article.source.name if article.source else ""
    bibtex = (
        f"@article{{archive-article-{article.pk},\n"
        f"  title = {{{_bibtex_escape(article.title)}}},\n"
        f"  journal = {{{_bibtex_escape(source)}}},\n"
        + (f"  year = {{{article.date.year}}},\n  date = {{{article.date.isoformat()}}},\n" if article.date else "")
        + f"  url = {{{permalink}}},\n"
        f"  language = {{vietnamese}}\n}}"
    )
    csl = {
        "id": f"archive-article-{article.pk}",
        "type": "article-newspaper",
        "title": article.title,
        "container-title": source or None,
        "issued": _csl_date(article.date),
        "URL": permalink,
        "language": "vi",
    }
    return {"text": article_citation(article, permalink), "bibtex": bibtex, "csl": {k: v for k, v in csl.items() if v}}


def quote_formats(occurrence: QuoteOccurrence, article_permalink: str) -> dict:
    quote = occurrence.quote
    article = occurrence.article
    url = f"{article_permalink}#quote-{quote.pk}"
    speaker = quote.person.name if quote.person else "Unattributed"
    bibtex = (
        f"@misc{{archive-quote-{quote.pk},\n"
        f"  author = {{{_bibtex_escape(speaker)}}},\n"
        f"  title = {{{_bibtex_escape(quote.text)}}},\n"
        f"  howpublished = {{{_bibtex_escape(article.source.name if article.source else '')}: "
        f"{_bibtex_escape(article.title)}}},\n"
        + (f"  year = {{{quote.date.year}}},\n  date = {{{quote.date.isoformat()}}},\n" if quote.date else "")
        + f"  url = {{{url}}},\n"
        f"  language = {{vietnamese}}\n}}"
    )
    csl = {
        "id": f"archive-quote-{quote.pk}",
        "type": "speech",
        "author": [{"literal": speaker}],
        "title": quote.text,
        "event-title": quote.event.name if quote.event else None,
        "container-title": article.title,
        "publisher": article.source.name if article.source else None,
        "issued": _csl_date(quote.date),
        "URL": url,
        "language": "vi",
    }
    return {
        "text": quote_citation(occurrence, article_permalink),
        "bibtex": bibtex,
        "csl": {k: v for k, v in csl.items() if v},
    }
