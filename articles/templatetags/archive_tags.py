import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.querystrings import with_params

register = template.Library()

# The same escapes Django's json_script uses: no stored text can close the <script>.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data) -> str:
    """`data` as a schema.org JSON-LD script element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def page_url(context, number, name="page") -> str:
    """The current page's query string with `name` (default "page") set to `number`, other parameters kept."""
    return with_params(context["request"].GET, **{name or "page": number})
