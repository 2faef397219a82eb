from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so
    most visitors abroad would never see the Vietnamese interface; here only
    the language cookie set by the switch (`set_language`) counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApiRateLimitMiddleware:
    """A fixed one-minute window per client address on /api/: 429 with Retry-After beyond the limit.

    Counters live in the shared cache (a PostgreSQL table), so every gunicorn
    worker sees the same count.
    """

    WINDOW_SECONDS = 60
    EXEMPT = ("/api/docs", "/api/v1/docs", "/api/v1/openapi.json")  # documentation, not data

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") or request.path.startswith(self.EXEMPT):
            return self.get_response(request)
        import time

        from django.core.cache import cache
        from django.http import JsonResponse

        now = int(time.time())
        window = now // self.WINDOW_SECONDS
        key = f"api-rate:{request.META.get('REMOTE_ADDR', '-')}:{window}"
        if cache.add(key, 1, timeout=self.WINDOW_SECONDS * 2):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=self.WINDOW_SECONDS * 2)
                count = 1
        if count > settings.API_RATE_LIMIT:
            retry_after = (window + 1) * self.WINDOW_SECONDS - now
            response = JsonResponse(
                {"detail": f"Rate limit of {settings.API_RATE_LIMIT} requests per minute exceeded."}, status=429
            )
            response["Retry-After"] = str(max(retry_after, 1))
            return response
        return self.get_response(request)


class StripNulMiddleware:
    """Drops NUL characters from query parameters.

    PostgreSQL text cannot hold NUL, so a `?speaker=%00` would otherwise reach
    the database and fail as a server error. No real value contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            cleaned = request.GET.copy()
            for key in list(cleaned):
                values = [value.replace("\x00", "") for value in cleaned.getlist(key)]
                del cleaned[key]
                cleaned.setlist(key.replace("\x00", ""), values)
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
