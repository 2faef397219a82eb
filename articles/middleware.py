import random
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from articles.client_address import client_address
from articles.extraction.normalize import CONTROL_CHARACTERS
from articles.time_limits import timed_out


def without_language_prefix(path: str) -> str:
    """`/en/search/` → `/search/`: the page whatever its language."""
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The language a page is in is in its address: `/en/…` English, anything else Vietnamese.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, so most visitors
    abroad would never see the Vietnamese interface, and a shared link could open in another language than
    the sender saw. The admin and the API, which have no language in their addresses, follow the language
    cookie the switch sets (`set_language`), else Vietnamese.
    """

    COOKIE_PATHS = ("/admin/", "/api/")

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        if language is None and request.path_info.startswith(self.COOKIE_PATHS):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in dict(settings.LANGUAGES) else None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # No `Vary: Accept-Language` (Django's would add it): the answer does not depend on that header.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RateLimitMiddleware:
    """A fixed one-minute window per client address on the API (downloads apart), the search page, and
    the pages whose size grows with the archive (events, sitemaps).

    Beyond the limit: 429 with Retry-After (JSON on /api/, a short page on
    /search/). Counters live in a PostgreSQL table (models.RateCounter), so every
    gunicorn worker sees the same count.
    """

    WINDOW_SECONDS = 60
    EXEMPT = ("/api/docs", "/api/v1/docs", "/api/v1/openapi.json")  # documentation, not data

    def __init__(self, get_response):
        self.get_response = get_response

    def _limit(self, path: str) -> tuple[str, int] | None:
        path = without_language_prefix(path)
        if path.startswith(self.EXEMPT):
            return None
        if path.startswith("/api/") and path.endswith("/export"):  # a download costs a thousand pages
            return "export", settings.EXPORT_RATE_LIMIT
        if path.startswith("/api/"):
            return "api", settings.API_RATE_LIMIT
        if path.startswith("/search/"):
            return "search", settings.SEARCH_RATE_LIMIT
        if path.startswith(("/events/", "/sitemap")):  # pages whose size grows with the archive
            return "pages", settings.SEARCH_RATE_LIMIT
        return None

    # One statement: the client's count in this window, or 1 when its row is from an earlier one.
    COUNT = (
        "INSERT INTO articles_ratecounter AS c (client, scope, minute, hits) VALUES (%s, %s, %s, 1) "
        "ON CONFLICT (client, scope) DO UPDATE SET "
        "hits = CASE WHEN c.minute = EXCLUDED.minute THEN c.hits + 1 ELSE 1 END, minute = EXCLUDED.minute "
        "RETURNING hits"
    )
    # Rows of clients gone quiet are dropped now and then by a request opening a new window.
    FORGET = "DELETE FROM articles_ratecounter WHERE minute < %s"
    FORGET_ONE_IN = 100

    def _count(self, client: str, scope: str, window: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self.COUNT, [client[:64], scope, window])
            hits = cursor.fetchone()[0]
            if hits == 1 and random.randrange(self.FORGET_ONE_IN) == 0:
                cursor.execute(self.FORGET, [window - 1])
        return hits

    def __call__(self, request):
        limit = self._limit(request.path)
        if limit is None:
            return self.get_response(request)
        from django.http import HttpResponse, JsonResponse

        scope, allowed = limit
        now = int(time.time())
        window = now // self.WINDOW_SECONDS
        try:
            count = self._count(client_address(request) or "-", scope, window)
        except DatabaseError:
            # The counters live in the database: when it is down, let the request through
            # so that the view meets the outage and answers 503, not a 500 from here.
            return self.get_response(request)
        if count <= allowed:
            return self.get_response(request)
        message = f"Rate limit of {allowed} requests per minute exceeded."
        if scope in ("api", "export"):
            response = JsonResponse({"detail": message}, status=429)
        else:
            response = HttpResponse(
                "<!doctype html><meta charset=utf-8><title>429</title>"
                "<p>Quá nhiều yêu cầu trong một phút; vui lòng thử lại sau ít giây.</p>"
                f"<p lang=en>{message} Please try again in a few seconds.</p>",
                status=429,
            )
        response["Retry-After"] = str(max((window + 1) * self.WINDOW_SECONDS - now, 1))
        return response


class ControlCharactersMiddleware:
    """A path with a control character is no page (404); query parameters lose theirs.

    PostgreSQL text cannot hold NUL (`/api/v1/speakers/%00` failed as a server error) and XML 1.0
    cannot hold the others (`/search/feed/?q=%01` did).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path):
            if request.path.startswith("/api/"):  # the API answers in JSON, as its own 404s do
                return JsonResponse({"detail": "Not Found"}, status=404)
            raise Http404("No page has a control character in its address")
        if any(CONTROL_CHARACTERS.search(key + "".join(request.GET.getlist(key))) for key in request.GET):
            cleaned = QueryDict(mutable=True)
            for key in request.GET:
                values = [CONTROL_CHARACTERS.sub("", value) for value in request.GET.getlist(key)]
                cleaned.setlist(CONTROL_CHARACTERS.sub("", key), values)
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, answer 503 with a friendly page (or JSON on /api/).

    Connections are health-checked (CONN_HEALTH_CHECKS), so the first request
    after the database is back gets a fresh connection: recovery needs no restart.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError, close_old_connections
        from django.http import JsonResponse
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if timed_out(exception):
            return self.too_slow(request)
        close_old_connections()
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": "The archive's database is unavailable; try again shortly."}, status=503)
        else:
            from django.http import HttpResponse

            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response

    @staticmethod
    def too_slow(request):
        """A statement cancelled by the time limit (articles.time_limits): the database is up, the page was slow."""
        from django.http import JsonResponse
        from django.shortcuts import render

        if request.path.startswith("/api/"):
            detail = "The request took too long and was stopped; try again, or narrow it with a year or a speaker."
            response = JsonResponse({"detail": detail}, status=503)
        else:
            context = {
                "query": request.GET.get("q", ""),
                "searching": without_language_prefix(request.path).startswith("/search/"),
            }
            response = render(request, "articles/too_slow.html", context, status=503)
        response["Retry-After"] = "10"
        return response
