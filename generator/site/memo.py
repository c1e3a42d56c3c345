"""Under `serve`: a generated page is rendered again only when something it read changed since the last rebuild.

`PageMemo.page` renders a page's template as `pages.render_site` would, and remembers, with the Markdown and the
HTML blocks it made, everything the rendering depended on:

- its template's name and the page's path;
- its own values (strings, numbers, dates, model objects, lists and dicts of them), as they were, dicts with
  the order a loop prints them in (`_fingerprint`);
- every read it made of a catalogue-wide object (the catalogue, the site index, the units table, the alignment,
  a dict, a set, a function such as `unit_target`): such an object is handed to the template inside a
  `Recorder`, which passes each read through (an attribute, a call with its arguments, an item, a membership
  test, a length, an iteration) and logs it with its outcome (the value's fingerprint, or the type of the
  exception raised).

On the next rebuild the page's previous Markdown and blocks are handed out again when the template (and every
template: `begin` forgets everything when one changed) and the path are the same, the plain values are equal,
and every logged read, done again in the same order on the new objects, has an equal outcome. That is exact,
not a guess: the templates and the functions they call are deterministic, so a rendering whose inputs and reads
all come out the same takes the same path and prints the same text (a read's own arguments come from the plain
values and from earlier reads, which agreed). Equality is the model's value equality (frozen dataclasses); the
types whose equality leaves a field out (`Catalog.source_texts`, `Alignment`'s cache) are never compared: they
are read through a Recorder (`_is_source`). A read made with a Recorder as an argument to another Recorder's
call cannot be done again on the new objects: such a page is never reused.

Fast because the catalogue loader hands out the previous rebuild's objects for unchanged parts
(`catalog.load_catalog` with `ParsedFiles`), so comparing an unchanged measure is comparing an object with
itself. Python-side (`tests/test_memo.py`) checks that a rebuild through the memo, after random edits of the
catalogue, gives exactly the pages and blocks of a fresh rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, Set, ValuesView
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.site.htmlblocks import MARKER, HtmlBlocks

_SCALARS = (str, int, float, bool, type(None), dt.date, Markup)
_WHOLE: set[type] = set(_SCALARS)  # types `_fingerprint` leaves as they are: scalars and the `flat` dataclasses
_CONTAINERS = frozenset((list, tuple, dict, set, frozenset))
_NOT_VIEWS: set[type] = set()  # other types `_perform` met that are none of _VIEWS
_VIEWS = (Iterator, KeysView, ValuesView, ItemsView)
_partly_compared: dict[type, bool] = {}  # dataclass type -> its equality is identity or leaves out a field
_flat: dict[type, bool] = {}  # dataclass type -> compared whole by its own equality (`flat`)
# The fingerprints of the dataclasses that are not flat (a unit of the units table, read by every page of its
# place), by object, for one rebuild (`PageMemo.begin` forgets them): the derived views are made once per rebuild
# and never changed after, so an object's fingerprint is the same each time it is read.
_known: dict[int, tuple[Any, Any]] = {}


def _partly(kind: type) -> bool:
    """True for a dataclass type whose equality is identity or leaves out a field."""
    if kind not in _partly_compared:
        _partly_compared[kind] = not kind.__dataclass_params__.eq or any(not f.compare for f in dataclasses.fields(kind))
    return _partly_compared[kind]


def flat(kind: type) -> bool:
    """True for a frozen dataclass type compared by its own equality: every field compared, and, by its type
    hints, each field holds only scalars, tuples and lists of them, and other such types; never a mapping or a
    set (whose equality ignores the order a template prints them in), nor a table compared by identity. The
    model's and the cross-references' value types are such (Measure, Document, Counterpart…)."""
    if kind not in _flat:
        _flat[kind] = False  # while it is worked out (a type that holds itself is not flat)
        try:
            hints = typing.get_type_hints(kind)
        except Exception:  # noqa: BLE001 - a hint that cannot be resolved: compare field by field instead
            return False
        _flat[kind] = (kind.__dataclass_params__.frozen and not _partly(kind)
                       and all(_flat_hint(hints[f.name]) for f in dataclasses.fields(kind)))
        if _flat[kind]:
            _WHOLE.add(kind)
    return _flat[kind]


def _flat_hint(hint: Any) -> bool:
    if hint in _SCALARS or hint is type(None) or hint is Ellipsis:
        return True
    origin = typing.get_origin(hint)
    if origin in (tuple, list, typing.Union, types.UnionType):
        return all(_flat_hint(arg) for arg in typing.get_args(hint))
    return isinstance(hint, type) and dataclasses.is_dataclass(hint) and flat(hint)


def _is_source(value: Any, *, shared: bool = True) -> bool:
    """True for what a page must read through a Recorder rather than compare whole (`_fingerprint`): callables,
    objects whose equality is identity, dataclasses whose equality leaves out a field or that hold such a thing
    (the cross-references: their equality would be their tables' identity, never equal across rebuilds), and,
    among the values every page shares (`shared`: the catalogue-wide ones), mappings and sets, of which a page
    reads a few items."""
    kind = type(value)
    if kind in _WHOLE or kind is list or kind is tuple or isinstance(value, _SCALARS + (tuple, list)):
        return False
    if isinstance(value, (Mapping, Set)):
        return shared
    if callable(value):
        return True
    if dataclasses.is_dataclass(value):
        return _partly(kind) or (not flat(kind) and any(_is_source(getattr(value, f.name), shared=False)
                                                         for f in dataclasses.fields(kind)))
    return kind.__eq__ is object.__eq__


def _fingerprint(value: Any) -> Any:
    """`value` as compared between rebuilds: equal fingerprints mean a template prints the same. Mappings and sets
    become their items in iteration order (their own equality ignores the order, which a loop prints), down
    through lists, tuples and dataclasses that may hold them; a `flat` dataclass is itself (its equality compares
    every field, and an unchanged one is the very object: catalog.load_catalog)."""
    kind = type(value)
    if kind in _WHOLE:  # scalars and flat dataclasses (most values): no ABC check (slow) needed
        return value
    if kind is list or kind is tuple:
        if _all_whole(value):  # scalars and flat values (most lists): as they are, no copy
            return value
        return (kind, tuple(map(_fingerprint, value)))
    if kind is dict or isinstance(value, Mapping):
        if _all_whole(value.values()):
            return (kind, tuple(value.items()))
        return (kind, tuple((key, _fingerprint(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, Set)):
        return (kind, tuple(map(_fingerprint, value)))
    if dataclasses.is_dataclass(value) and not flat(kind):
        known = _known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        made = (kind, tuple(_fingerprint(getattr(value, f.name)) for f in dataclasses.fields(kind)))
        _known[id(value)] = (value, made)
        return made
    return value


def _all_whole(values: Any) -> bool:
    """True when each of `values` is a scalar or a `flat` value. A flat type not met before is worked out here,
    so that a fingerprint never depends on which types were met first."""
    if _WHOLE.issuperset(map(type, values)):  # most calls: no set of types made
        return True
    return all(k in _WHOLE or (dataclasses.is_dataclass(k) and flat(k)) for k in set(map(type, values)))


def _outcome(value: Any) -> Any:
    """A read's value as logged: itself when it is a scalar, a flat value or a list or tuple of those (compared
    by ==, in order), else its `_fingerprint` (most reads are the former: no copy, no call)."""
    kind = type(value)
    if kind in _WHOLE or ((kind is list or kind is tuple) and _all_whole(value)):
        return value
    return _fingerprint(value)


def _perform(target: Any, op: tuple) -> Any:
    """Do one read `op` on `target`; an iterator or a dict view comes back as a list (so it can be compared)."""
    kind = op[0]
    if kind == "attr":
        value = getattr(target, op[1])
    elif kind == "call":
        value = target(*op[1], **dict(op[2]))
    elif kind == "item":
        value = target[op[1]]
    elif kind == "in":
        value = op[1] in target
    elif kind == "len":
        value = len(target)
    elif kind == "bool":
        value = bool(target)
    elif kind == "str":
        value = str(target)
    else:  # "iter"
        value = list(target)
    kind = type(value)
    if kind in _WHOLE or kind in _CONTAINERS or kind in _NOT_VIEWS:  # most results: no ABC check (slow) needed
        return value
    if isinstance(value, _VIEWS):
        return list(value)
    _NOT_VIEWS.add(kind)  # whether a type is one of _VIEWS depends on the type alone (a bound method: no)
    return value


@dataclass(slots=True)
class _Reads:
    """The reads of one page's rendering: (root name, steps from it, outcome), in order."""

    reads: list[tuple[str, tuple, tuple]] = field(default_factory=list)
    replayable: bool = True

    def agree(self, roots: Mapping[str, Any]) -> bool:
        """True when every read, done again on `roots` ({name: object}), has the outcome it had."""
        if not self.replayable:
            return False
        for root, ops, outcome in self.reads:
            try:
                target = roots[root]
                for op in ops:
                    target = _perform(target, op)
                now = ("value", _outcome(target))
            except Exception as err:  # noqa: BLE001 - an exception is an outcome like any other
                now = ("raised", type(err))
            if now != outcome:
                return False
        return True


class Recorder:
    """A catalogue-wide object as a page's template sees it: each read passes through and is logged."""

    __slots__ = ("_target", "_root", "_ops", "_log")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, target: Any, root: str, ops: tuple, log: _Reads) -> None:
        self._target, self._root, self._ops, self._log = target, root, ops, log

    def _step(self, op: tuple) -> Any:
        ops = self._ops + (op,)
        try:
            value = _perform(self._target, op)
        except Exception as err:
            self._log.reads.append((self._root, ops, ("raised", type(err))))
            raise
        if _is_source(value):
            return Recorder(value, self._root, ops, self._log)
        self._log.reads.append((self._root, ops, ("value", _outcome(value))))
        return iter(value) if op[0] == "iter" else value

    def __getattr__(self, name: str) -> Any:
        if name == "jinja_pass_arg":  # Jinja asks every callable; a recorded one never takes Jinja's context
            if hasattr(self._target, name):
                raise TypeError(f"{self._root}: a function that takes Jinja's context cannot be recorded (site.memo)")
            raise AttributeError(name)
        return self._step(("attr", name))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(a, Recorder) for a in (*args, *kwargs.values())):
            self._log.replayable = False  # the read depends on another object's identity: never replayed
            args = tuple(a._target if isinstance(a, Recorder) else a for a in args)
            kwargs = {k: v._target if isinstance(v, Recorder) else v for k, v in kwargs.items()}
        return self._step(("call", args, tuple(sorted(kwargs.items()))))

    def __getitem__(self, key: Any) -> Any:
        return self._step(("item", key))

    def __contains__(self, key: Any) -> bool:
        return self._step(("in", key))

    def __len__(self) -> int:
        return self._step(("len",))

    def __bool__(self) -> bool:
        return self._step(("bool",))

    def __iter__(self) -> Iterator:
        return self._step(("iter",))

    def __str__(self) -> str:
        return self._step(("str",))

    def __eq__(self, other: object) -> bool:
        raise TypeError(f"{self._root}: a catalogue-wide object is read, not compared, in a page (site.memo)")


@dataclass(slots=True)
class _Page:
    template: str
    shared: dict[str, Any]  # the fingerprints of the shared plain values (one dict for all pages of a rebuild)
    plain: dict[str, Any]  # the fingerprints of the page's own plain values
    reads: _Reads
    markdown: str
    blocks: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Shared:
    """The values every page of a rebuild gets, split once for all its pages: those read through a Recorder
    (their names) and the fingerprints of the others."""

    values: dict[str, Any]
    sources: tuple[str, ...]
    plain: dict[str, Any]


def _same_shared(before: dict[str, Any], now: dict[str, Any], context: dict[str, Any]) -> bool:
    """The shared plain values a page got then (`before`) and gets now agree, leaving out those its own values
    (`context`) replace."""
    if before is now:
        return True
    return ({name: value for name, value in before.items() if name not in context}
            == {name: value for name, value in now.items() if name not in context})


class PageMemo:
    """The pages of the previous rebuild of one `serve` process, with what each depended on.

    Per rebuild: `begin(templates)`, then `page(...)` for each page, then `finish()`. `reused` and `rendered`
    count the pages of the rebuild in progress (or the latest one)."""

    def __init__(self) -> None:
        self._pages: dict[str, _Page] = {}
        self._templates: str | None = None
        self._seen: set[str] = set()
        self._values: dict[Any, tuple[Any, Any]] = {}  # name -> (the inputs, what was computed from them)
        self._values_seen: set[Any] = set()
        self._shared: _Shared | None = None  # the shared values of this rebuild, split (`_split`)
        self._shared_before: dict[str, Any] | None = None  # the previous rebuild's shared fingerprints
        self.reused = self.rendered = 0

    def begin(self, templates: str) -> None:
        """A rebuild starts; `templates` is a digest of the templates' sources (an edited template: all anew).
        The values (`value`) the previous rebuild did not use are forgotten (some are used after `finish`)."""
        _known.clear()
        if templates != self._templates:
            self._pages, self._values, self._templates = {}, {}, templates
        for name in self._values.keys() - self._values_seen:
            del self._values[name]
        self._seen, self._values_seen = set(), set()
        if self._shared is not None:
            self._shared_before, self._shared = self._shared.plain, None
        self.reused = self.rendered = 0

    def page(self, path: str, template: str, shared: dict[str, Any], context: dict[str, Any],
             render: Callable[[dict[str, Any]], str], blocks: HtmlBlocks) -> str:
        """The Markdown of the page `path`, made by `render(shared | context)` from the template `template`, or, when
        nothing it depended on changed, handed out again; either way its HTML blocks are in `blocks`. `shared`
        are the values every page gets (the catalogue, the site index…), `context` the page's own (`_is_source`)."""
        self._seen.add(path)
        split = self._split(shared)
        sources = {name: shared[name] for name in split.sources if name not in context}
        sources |= {name: value for name, value in context.items() if _is_source(value, shared=False)}
        plain = {name: _fingerprint(value) for name, value in context.items() if name not in sources}
        previous = self._pages.get(path)
        if previous is not None and previous.template == template and previous.plain == plain \
                and _same_shared(previous.shared, split.plain, context) and previous.reads.agree(sources):
            blocks.blocks.update(previous.blocks)
            self.reused += 1
            return previous.markdown
        reads = _Reads()
        markdown = render({name: Recorder(value, name, (), reads) if name in sources else value
                           for name, value in (shared | context).items()})
        self._pages[path] = _Page(template, split.plain, plain, reads, markdown,
                                  {key: blocks.blocks[key] for key in MARKER.findall(markdown)})
        self.rendered += 1
        return markdown

    def _split(self, shared: dict[str, Any]) -> _Shared:
        """`shared` split into what is read through a Recorder and the fingerprints of the rest, once per dict:
        the same dict comes with every page of a rebuild (a rebuild that starts another dict splits that one).
        Fingerprints equal to the previous rebuild's are that very dict, so each page compares them at once."""
        if self._shared is None or self._shared.values is not shared:
            sources = tuple(name for name, value in shared.items() if _is_source(value))
            plain = {name: _fingerprint(value) for name, value in shared.items() if name not in sources}
            if plain == self._shared_before:
                plain = self._shared_before
            self._shared = _Shared(shared, sources, plain)
        return self._shared

    def value(self, name: Any, inputs: Any, compute: Callable[[], Any]) -> Any:
        """`compute()`, a pure function of `inputs` (plain values, compared by `_fingerprint`, never a
        catalogue-wide object), or, when the inputs of `name` (hashable, unique per use: a measure page's path,
        ("download records", a plan's slug)…) equal those of the previous rebuild, what it computed then. Used for
        the measure pages (inputs: what site.measurepages._context makes the page from), the downloads and the
        alignment."""
        self._values_seen.add(name)
        previous, inputs = self._values.get(name), _fingerprint(inputs)
        if previous is not None and previous[0] == inputs:
            return previous[1]
        made = compute()
        self._values[name] = (inputs, made)
        return made

    def update(self, name: Any, made: Any) -> None:
        """What `value(name, …)` hands out from now on while its inputs stay equal: `made`, which must be what
        computing it from those inputs would give (the alignment rebound to the newest measures)."""
        if name in self._values:
            self._values[name] = (self._values[name][0], made)

    def finish(self) -> None:
        """A rebuild's pages are all made: forget the pages it did not make."""
        for path in self._pages.keys() - self._seen:
            del self._pages[path]
