"""The editors' admin: every archive model, with history, editorial actions and a work queue.

Saving a change form records the changed fields in `edited_fields` (ingest then
leaves them alone). The actions call `articles.editing`, which keeps speeches,
search text and history consistent.

Every label is an English msgid translated by the app's own catalogue
(articles/locale/vi/LC_MESSAGES/django.po): the admin reads in Vietnamese by
default and in English when the editor picks it.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db import connection, models, router
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from articles import editing, overview, planner
from articles import search as engine
from articles.extraction.normalize import fold
from articles.loading import slug_for
from articles.models import (
    Article,
    Event,
    Person,
    PersonRedirect,
    Quote,
    QuoteOccurrence,
    QuoteToReview,
    Role,
    Source,
    Speech,
    UndatedArticle,
)
from articles.querystrings import year_in


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # From the kept overview: the years of a million articles are a scan of them (articles.overview).
        counted = {Article: "articles", Event: "events", Quote: "quotes"}[model_admin.model._meta.concrete_model]
        years = [row["year"] for row in overview.current()["years"] if row[counted]]
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        year = year_in(self.value())
        if year is None:
            raise IncorrectLookupParameters(f"year={self.value()!r} is not a year")  # the admin says "invalid"
        return queryset.filter(date__year=year)


class SpeakerFilter(admin.SimpleListFilter):
    """The people who spoke, from the people table (hundreds), not a DISTINCT over millions of quotes."""

    title = _("speaker")
    parameter_name = "person"

    def lookups(self, request, model_admin):
        return [(str(person.pk), person.name) for person in Person.objects.speakers().order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(person_id=self.value()) if (self.value() or "").isdecimal() else queryset


class MethodFilter(admin.SimpleListFilter):
    """The extraction rules quotes were found by, read from their index one value at a time."""

    title = _("extraction rule")
    parameter_name = "method"
    # A loose index scan: the next value after each one, where a DISTINCT would read every quote.
    DISTINCT_METHODS = """
        WITH RECURSIVE m(method) AS (
            SELECT min(method) FROM articles_quote
            UNION ALL
            SELECT (SELECT min(q.method) FROM articles_quote q WHERE q.method > m.method)
            FROM m WHERE m.method IS NOT NULL
        )
        SELECT method FROM m WHERE method IS NOT NULL
    """

    def lookups(self, request, model_admin):
        with connection.cursor() as cursor:
            cursor.execute(self.DISTINCT_METHODS)
            return [(method, method) for (method,) in cursor.fetchall()]

    def queryset(self, request, queryset):
        return queryset.filter(method=self.value()) if self.value() else queryset


class DateUnknownFilter(admin.SimpleListFilter):
    title = _("date")
    parameter_name = "date_unknown"

    def lookups(self, request, model_admin):
        return [("1", _("Date unknown")), ("0", _("Date known"))]

    def queryset(self, request, queryset):
        if self.value() in {"0", "1"}:
            return queryset.filter(date__isnull=self.value() == "1")
        return queryset


class WordSearchAdmin(admin.ModelAdmin):
    """The search box matches words through the records' own search vectors, as the site's search
    reads them (quotes, OR and -word work; diacritics optional), or what `also_matching` adds.
    Django's own search ran ILIKE '%term%' on every row: 1.4–2.2 s for the articles at a million,
    5–13 s for the 2.2 million quotes; through the text index, 0.15–1 s."""

    def changelist_view(self, request, extra_context=None):
        if not request.GET.get(SEARCH_VAR, "").strip():
            return super().changelist_view(request, extra_context)
        # PostgreSQL would count a common word's matches by reading every row's vector (a sequential
        # scan: a minute at a million articles), not knowing what reading a vector costs; the text
        # index counts them in 0.2 s. Rendered here, so the page's statements all run inside.
        with planner.without("seqscan", using=router.db_for_read(self.model)):
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        condition = engine.text_condition(term) if term else None
        if condition is None:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(condition | self.also_matching(term)), False

    def also_matching(self, term: str) -> Q:
        return Q(pk__in=[])


class HistoryAdmin(SimpleHistoryAdmin):
    """History for every editor who may view; reverting to an old version is a change."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a posted revert for anyone who may view the history.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class EditorialAdmin(HistoryAdmin):
    """Records which fields an editor changed, so that ingest never reverts them."""

    readonly_fields = ("edited_fields",)

    def history_view(self, request, object_id, extra_context=None):
        if self.model._meta.proxy:  # work-queue views: the history lives with the real model
            concrete = self.model._meta.concrete_model._meta
            return redirect(f"admin:{concrete.app_label}_{concrete.model_name}_history", object_id)
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            own_fields = {f.name for f in obj._meta.concrete_fields}
            editing.mark_edited(obj, *(set(form.changed_data) & own_fields - {"edited_fields"}))
        super().save_model(request, obj, form, change)


# --- slugs ------------------------------------------------------------------------------


class FoldedSlugField(forms.SlugField):
    """A slug as the loader makes them (`articles.loading.slug_for`): Vietnamese folded (đ → d, marks
    dropped), lower case, spaces as hyphens. "nguyễn-mạnh-hùng" typed or pasted by an editor is stored
    as "nguyen-manh-hung", not refused; a slug already folded is left as it is."""

    def to_python(self, value):
        value = super().to_python(value)
        return slugify(fold(value)) if value else value


class SlugFromNameForm(forms.ModelForm):
    """An empty slug made from `slug_from_fields`, as the loader would make it (`slug_for`)."""

    slug_from_fields: tuple[str, ...] = ("name",)
    slug_max_length = 200

    def clean(self):
        data = super().clean()
        if "slug" in self.fields and not data.get("slug") and "slug" not in self.errors:
            words = [str(data[name]) for name in self.slug_from_fields if data.get(name)]
            if words:
                data["slug"] = slug_for(" ".join(words), max_length=self.slug_max_length)
        return data


class EventSlugForm(SlugFromNameForm):
    # As the loader makes an event's slug (articles.loading: name and date).
    slug_from_fields = ("name", "date")
    slug_max_length = 180


class FoldedSlugAdmin(admin.ModelAdmin):
    """Every slug of the form folded on the server, as `admin/js/vietnamese_slugs.js` folds it in the
    browser (Django's URLify drops the letters it has no map for: "nguyn-mnh-hung"); an empty `slug`
    is made from the name (`SlugFromNameForm`). A slug taken by another record is refused by the
    model's own uniqueness check, as before."""

    form = SlugFromNameForm

    class Media:
        js = ["admin/js/vietnamese_slugs.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.SlugField):
            kwargs.setdefault("form_class", FoldedSlugField)
            if db_field.name == "slug":
                kwargs.setdefault("required", False)  # made from the name when left empty
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- sources, people, roles ----------------------------------------------------------


@admin.register(Source)
class SourceAdmin(FoldedSlugAdmin, HistoryAdmin):
    list_display = ("name", "slug", "article_count")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description=_("articles"))
    def article_count(self, obj):
        return obj.article_count


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    fields = ("title", "organisation", "first_seen", "last_seen")


class ChooseSurvivorForm(forms.Form):
    """Which of the selected records the others are merged into."""

    survivor = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Keep this record"))

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = choices


def ask_then_apply(model_admin, request, queryset, *, action, title, form_class, apply, form_kwargs=None):
    """An admin action with an intermediate form: show it; once submitted and valid, apply it.

    `apply(cleaned_data)` does the work and returns the message shown to the editor.
    """
    form = form_class(request.POST if "apply" in request.POST else None, **(form_kwargs or {}))
    if form.is_bound and form.is_valid():
        model_admin.message_user(request, apply(form.cleaned_data), messages.SUCCESS)
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": action,
        "opts": model_admin.model._meta,
    }
    return render(request, "admin/articles/choose_and_apply.html", context)


@admin.register(Person)
class PersonAdmin(FoldedSlugAdmin, EditorialAdmin):
    list_display = ("name", "slug", "quote_count", "role_list")
    search_fields = ("name", "aliases", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RoleInline]
    actions = ["merge_people"]
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).with_quote_count()

    @admin.display(ordering="quote_count", description=_("quotes"))
    def quote_count(self, obj):
        return obj.quote_count

    @admin.display(description=_("roles"))
    def role_list(self, obj):
        return "; ".join(str(role) for role in obj.roles.all()[:3])

    @admin.action(description=_("Merge the selected people into one"), permissions=["change", "delete"])
    def merge_people(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, gettext("Select at least two people to merge."), messages.WARNING)
            return None

        def apply(data):
            others = list(queryset.exclude(pk=data["survivor"].pk))
            editing.merge_people(data["survivor"], others)
            return ngettext(
                "Merged %(count)d person into %(survivor)s.", "Merged %(count)d people into %(survivor)s.", len(others)
            ) % {"count": len(others), "survivor": data["survivor"]}

        return ask_then_apply(
            self,
            request,
            queryset,
            action="merge_people",
            title=gettext("Merge people"),
            form_class=ChooseSurvivorForm,
            apply=apply,
            form_kwargs={"choices": queryset},
        )


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ("person", "title", "organisation", "first_seen", "last_seen")
    list_filter = ("title",)
    search_fields = ("person__name", "title", "organisation")
    autocomplete_fields = ("person",)
    ordering = ("person__name", "first_seen")


@admin.register(PersonRedirect)
class PersonRedirectAdmin(FoldedSlugAdmin):
    list_display = ("old_slug", "person")
    search_fields = ("old_slug", "person__name")
    autocomplete_fields = ("person",)


# --- events -------------------------------------------------------------------------


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0
    fields = ("title", "date", "source", "file_name")
    readonly_fields = ("title", "date", "source", "file_name")
    show_change_link = True
    can_delete = False


@admin.register(Event)
class EventAdmin(FoldedSlugAdmin, EditorialAdmin):
    list_display = ("name", "date", "kind", "place", "reviews_year", "article_count")
    list_filter = ("kind", YearFilter, DateUnknownFilter)
    search_fields = ("name", "place", "organiser")
    inlines = [ArticleInline]
    actions = ["merge_events"]
    readonly_fields = ("edited_fields", "key", "merged_keys")
    form = EventSlugForm

    def get_queryset(self, request):
        return super().get_queryset(request).with_article_count()

    def save_model(self, request, obj, form, change):
        if not obj.key:
            # The loader keys an event by kind, date and organiser; one an editor adds by hand has none, and
            # an empty key would collide with the next one added (unique). This key never matches a loaded
            # article, so no later ingest attaches to it by accident.
            obj.key = f"editor:{uuid.uuid4().hex}"
        super().save_model(request, obj, form, change)

    @admin.display(ordering="article_count", description=_("articles"))
    def article_count(self, obj):
        return obj.article_count

    @admin.action(description=_("Merge the selected events into one"), permissions=["change", "delete"])
    def merge_events(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, gettext("Select at least two events to merge."), messages.WARNING)
            return None

        def apply(data):
            editing.merge_events(data["survivor"], list(queryset.exclude(pk=data["survivor"].pk)))
            return gettext("Merged into %(survivor)s.") % {"survivor": data["survivor"]}

        return ask_then_apply(
            self,
            request,
            queryset,
            action="merge_events",
            title=gettext("Merge events"),
            form_class=ChooseSurvivorForm,
            apply=apply,
            form_kwargs={"choices": queryset},
        )


# --- articles ------------------------------------------------------------------------


class OccurrenceInline(admin.TabularInline):
    model = QuoteOccurrence
    extra = 0
    fields = ("quote_link", "speaker", "start", "end")
    readonly_fields = ("quote_link", "speaker", "start", "end")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("quote"))
    def quote_link(self, obj):
        return format_html('<a href="../../../quote/{}/change/">{}</a>', obj.quote_id, str(obj.quote))

    @admin.display(description=_("speaker"))
    def speaker(self, obj):
        return obj.quote.person or "—"


class MoveToEventForm(forms.Form):
    event = forms.ModelChoiceField(queryset=Event.objects.all(), required=False, label=_("Move to the event"))
    new_event_name = forms.CharField(required=False, label=_("…or split off into a new event named"))

    def clean(self):
        data = super().clean()
        if not data.get("event") and not data.get("new_event_name", "").strip():
            raise forms.ValidationError(_("Choose an event, or name a new one."))
        return data


@admin.register(Article)
class ArticleAdmin(WordSearchAdmin, EditorialAdmin):
    list_display = ("title", "date", "source", "event", "file_name")
    # No event filter: 142,000 events at a million articles; an event's articles are on its own page.
    list_filter = (YearFilter, DateUnknownFilter, "source")
    search_fields = ("title", "file_name", "speakers_text")  # shows the box; WordSearchAdmin matches
    search_help_text = _("Words in the title, lede, speakers' names or body; or a file name exactly.")
    show_full_result_count = False  # one count of a million rows per page is enough
    autocomplete_fields = ("source", "event")
    inlines = [OccurrenceInline]
    actions = ["move_to_event"]
    readonly_fields = ("edited_fields", "file_name", "content_hash", "date_evidence", "speakers_text", "raw_text")
    fields = (
        "title",
        "title_derived",
        "date",
        "date_evidence",
        "source",
        "event",
        "lede",
        "body",
        "language",
        "speakers_text",
        "file_name",
        "content_hash",
        "edited_fields",
        "raw_text",
    )

    def also_matching(self, term: str) -> Q:
        return Q(file_name=term)

    @admin.action(description=_("Move to another event / split off into a new event"), permissions=["change"])
    def move_to_event(self, request, queryset):
        def apply(data):
            articles = list(queryset)
            if data["event"]:
                editing.move_articles(articles, data["event"])
            else:
                editing.split_event(articles, name=data["new_event_name"].strip())
            return ngettext("Moved %(count)d article.", "Moved %(count)d articles.", len(articles)) % {
                "count": len(articles)
            }

        return ask_then_apply(
            self,
            request,
            queryset,
            action="move_to_event",
            title=gettext("Move articles"),
            form_class=MoveToEventForm,
            apply=apply,
        )


@admin.register(UndatedArticle)
class UndatedArticleAdmin(ArticleAdmin):
    """Work queue: articles whose date the machine could not establish."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(date__isnull=True)


# --- quotes and speeches -----------------------------------------------------------------


class ReattributeForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, label=_("Speaker (leave empty if unknown)")
    )


@admin.register(Quote)
class QuoteAdmin(WordSearchAdmin, EditorialAdmin):
    # Readable at 1280 px beside the admin's two sidebars: the quote's first words on two lines at most,
    # the speaker with the role under the name, a short date, yes/no icons (static/admin/css/archive_admin.css).
    list_display = ("short_text", "speaker", "short_date", "direct", "method", "confidence", "reviewed")
    list_filter = (
        "review_status",
        "direct",
        MethodFilter,
        YearFilter,
        DateUnknownFilter,
        SpeakerFilter,
    )
    search_fields = ("text", "person__name")  # shows the box; WordSearchAdmin matches
    search_help_text = _("Words of the quote, or the speaker's name.")
    show_full_result_count = False
    autocomplete_fields = ("person", "role", "event", "speech")
    actions = ["mark_reviewed", "reattribute"]
    readonly_fields = ("edited_fields", "key", "method", "confidence", "suggested_speaker")
    list_select_related = ("person", "role")

    class Media:
        css = {"all": ["admin/css/archive_admin.css"]}

    def also_matching(self, term: str) -> Q:
        # The speakers' ids first, so PostgreSQL ORs two indexes instead of joining every quote.
        named = Person.objects.filter(name__icontains=term).values_list("pk", flat=True)
        return Q(person_id__in=list(named))

    @admin.display(description=_("quote"))
    def short_text(self, obj):
        return format_html('<span class="quote-text">{}</span>', Truncator(obj.text).chars(120))

    @admin.display(ordering="person__name", description=_("speaker"))
    def speaker(self, obj):
        if obj.person is None:
            return self.get_empty_value_display()
        if obj.role is None:
            return obj.person.name
        return format_html('{}<span class="speaker-role">{}</span>', obj.person.name, obj.role)

    @admin.display(ordering="date", description=_("date"))
    def short_date(self, obj):
        return date_format(obj.date, "SHORT_DATE_FORMAT") if obj.date else self.get_empty_value_display()

    @admin.display(boolean=True, ordering="review_status", description=_("reviewed"))
    def reviewed(self, obj):
        return obj.review_status == Quote.ReviewStatus.REVIEWED

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "person" in form.changed_data:
            editing.reattribute_quote(obj, obj.person)

    @admin.action(description=_("Mark as reviewed"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        count = editing.mark_reviewed(queryset)
        message = ngettext("Marked %(count)d quote as reviewed.", "Marked %(count)d quotes as reviewed.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Attribute to another speaker"), permissions=["change"])
    def reattribute(self, request, queryset):
        def apply(data):
            for quote in queryset:
                editing.reattribute_quote(quote, data["person"])
            count = queryset.count()
            return ngettext("Reattributed %(count)d quote.", "Reattributed %(count)d quotes.", count) % {"count": count}

        return ask_then_apply(
            self,
            request,
            queryset,
            action="reattribute",
            title=gettext("Attribute to another speaker"),
            form_class=ReattributeForm,
            apply=apply,
        )


@admin.register(QuoteToReview)
class QuoteToReviewAdmin(QuoteAdmin):
    """Work queue: quotes nobody has checked yet, least confident first, with the speaker the
    extractor guessed but did not claim (to confirm with "Attribute to another speaker", or to reject).
    Every quote in it is unreviewed: no review status column."""

    ordering = ("confidence", "pk")
    list_display = ("short_text", "speaker", "suggested", "short_date", "direct", "method", "confidence")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(review_status=Quote.ReviewStatus.MACHINE)

    @admin.display(ordering="suggested_speaker", description=_("suggested"))
    def suggested(self, obj):
        return obj.suggested_speaker or self.get_empty_value_display()


@admin.register(Speech)
class SpeechAdmin(HistoryAdmin):
    list_display = ("person", "event", "role")
    search_fields = ("person__name", "event__name")
    autocomplete_fields = ("person", "event", "role", "articles")


@admin.register(QuoteOccurrence)
class QuoteOccurrenceAdmin(admin.ModelAdmin):
    list_display = ("quote", "article", "start", "end")
    search_fields = ("quote__text", "article__title")
    autocomplete_fields = ("quote", "article")


# Django's left-hand list of every model took a third of a 1280 px screen from the quote list (which then
# scrolled sideways); the home page and the breadcrumbs reach every model.
admin.site.enable_nav_sidebar = False
admin.site.site_header = _("Government News Archive — editing")
admin.site.site_title = _("Editing")
