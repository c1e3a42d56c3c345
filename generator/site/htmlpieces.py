"""The small pieces of the HTML templates (*.html.j2) that are called for every item of a list, as Python: a Jinja
macro call builds a new context and costs about 20 times a function call; at 10x the catalogue the macros were
a third of page rendering. Output is what the templates printed: values on one line and HTML-escaped
(`markdown.finalize_html` and autoescape), links as the site serves them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

from generator.crossref.index import SiteIndex
from generator.model import Measure
from generator.site.addresses import page_of, served_relative
from generator.site.markdown import finalize_html
from generator.site.unitpages import ROLE_NAMES
from generator.site.wording import deadline_text, shown_label, snippet


def target_of(target: Any, anchor: str) -> tuple[str, str]:
    """(site path, anchor) of a link target: a site path, or a model object (a measure: its id as anchor)."""
    path = target if isinstance(target, str) else page_of(target)
    if isinstance(target, Measure) and not anchor:
        anchor = target.id
    return path, anchor


def _text(value: Any) -> Markup:
    """A value printed by the HTML templates: on one line, HTML-escaped (as `finalize_html` and autoescape)."""
    return value if isinstance(value, Markup) else escape(finalize_html(value))


def heading(level: int, text: Any, ident: str) -> Markup:
    """A heading as the toc extension writes it, with its permalink: the page's table of contents reads it
    (htmlblocks.toc_tokens)."""
    return Markup('<h{0} id="{1}">{2}<a class="headerlink" href="#{1}" title="本节链接">&para;</a></h{0}>').format(
        level, _text(ident), _text(text))


def role_marks(roles: Any) -> Markup:
    """The roles of a unit in a measure, as marks the role filter (_roles.j2) reads."""
    return Markup("".join(f'<span class="role role-{escape(role)}">{escape(ROLE_NAMES[role])}</span>' for role in roles))


class ListItems:
    """The list pieces of one page's HTML blocks, their links relative to the page (`page_path`)."""

    def __init__(self, page_path: str, index: SiteIndex, unit_target: Callable[[Measure, str], str],
                 ambiguous: frozenset[str] = frozenset(), place_names: Mapping[str, str] | None = None,
                 unit_targets: Mapping[tuple[str, str], str] | None = None) -> None:
        """`place_names` ({measure id: its place's name}, as `index` gives it) and `unit_targets` ({(measure id,
        unit name as printed): `unit_target` of them}), where a page lists many measures, spare asking `index` and
        `unit_target` for each (under `serve`, reads the memo logs and replays)."""
        self.page_path, self.index, self.unit_target, self.ambiguous = page_path, index, unit_target, ambiguous
        self.place_names, self.unit_targets = place_names or {}, unit_targets or {}

    def href(self, target: Any, anchor: str = "") -> str:
        return escape(served_relative(self.page_path, *target_of(target, anchor)))

    def unit_links(self, measure: Measure, names: Any) -> Markup:
        """Units as printed, each linked to its page; "X、等Y" reads "X等Y" as in the source."""
        def target(name: str) -> str:
            key = (measure.id, name)
            return self.unit_targets[key] if key in self.unit_targets else self.unit_target(measure, name)

        return Markup("".join(
            f'{"、" if i and not name.startswith("等") else ""}<a href="{self.href(target(name))}">'
            f"{_text(name)}</a>" for i, name in enumerate(names)))

    def measure_entry(self, measure: Measure) -> Markup:
        """A measure in a list: "label title" linking to it, and the start of its text."""
        return Markup(f'<li><a href="{self.href(measure)}">{_text(shown_label(measure))} {_text(measure.title)}</a>'
                      f"：{_text(snippet(measure))}</li>")

    def place_entry(self, measure: Measure, note: Any = "") -> Markup:
        """A measure with its place: "济南市 3（2） title" linking to the measure, and a note."""
        place = self.place_names[measure.id] if measure.id in self.place_names else self.index.jurisdiction_of(measure).name
        return Markup(f"<li>{_text(place)} <a href=\"{self.href(measure)}\">"
                      f"{_text(shown_label(measure))} {_text(measure.title)}</a>{f'（{_text(note)}）' if note else ''}</li>")

    def unit_item(self, measure: Measure, roles: Any) -> Markup:
        """A measure on a unit's page: the unit's roles in it, "label title" linking to it (with its section where
        the plan repeats labels), and its deadlines."""
        section = f"{_text(measure.section[-1])} " if measure.id in self.ambiguous else ""
        deadlines = "；".join(_text(deadline_text(d)) for d in measure.deadlines) or "原文未写时限"
        return Markup(f'<li>{role_marks(roles)} <a href="{self.href(measure)}">{section}{_text(shown_label(measure))} '
                      f"{_text(measure.title)}</a>：{deadlines}</li>")
