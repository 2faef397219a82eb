"""schema.org JSON-LD for the HTML pages (NewsArticle, Quotation, Person, Event)."""

from articles.models import Article, Event, Person


def _date(value):
    return value.isoformat() if value else None


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def person_ld(person: Person, url: str) -> dict:
    roles = [str(role) for role in person.roles.all()]
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": person.name,
            "url": url,
            "alternateName": person.aliases,
            "jobTitle": roles,
        }
    )


def event_ld(event: Event, url: str) -> dict:
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.name,
            "url": url,
            "startDate": _date(event.date),
            "location": event.place and {"@type": "Place", "name": event.place},
            "organizer": event.organiser and {"@type": "Organization", "name": event.organiser},
        }
    )


def article_ld(article: Article, url: str, quotes) -> dict:
    return _clean(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title[:110],
            "url": url,
            "datePublished": _date(article.date),
            "inLanguage": "vi",
            "publisher": article.source and {"@type": "Organization", "name": article.source.name},
            "about": article.event
            and _clean({"@type": "Event", "name": article.event.name, "startDate": _date(article.event.date)}),
            "hasPart": [
                _clean(
                    {
                        "@type": "Quotation",
                        "text": q.text,
                        "url": f"{url}#quote-{q.pk}",
                        "spokenByCharacter": q.person and {"@type": "Person", "name": q.person.name},
                    }
                )
                for q in quotes
            ],
        }
    )
