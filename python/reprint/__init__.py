"""Find text reuse and syndication between news articles.

``reprint`` fingerprints paragraphs with word shingling and MinHash, finds
candidate pairs with LSH, and aligns every candidate pair sentence by
sentence: which article reuses which, which passages, how much and in which
direction. This package runs the same engine as the ``reprint`` command
line, with the same parameters, defaults and results::

    import pandas as pd, reprint
    df = pd.read_json("feed.jsonl", lines=True)
    report = reprint.scan(df, threshold=0.5)
    pairs = report.to_pandas()            # one row per reuse pair
    kept, clusters = reprint.dedup(df)    # kept: a DataFrame of kept rows

Documents (``docs``) are any iterable of dicts (``{"id", "text", "date",
"source", "title", "url"}``; other keys are ignored), of ``(id, text)``
tuples, or of plain strings, or a pandas or polars DataFrame. Field names
other than the defaults are given with ``id_field=``, ``text_field=`` and
so on, as ``--id-field`` on the command line. Dates are ``YYYY-MM-DD``,
ISO 8601 or RFC 2822 timestamps, epoch seconds, or ``date``/``datetime``
objects.

Engine parameters are keyword arguments named as the command line's
options (``num_perm=`` for ``--num-perm``): ``threshold``, ``shingle``,
``char_shingle``, ``num_perm``, ``bands``, ``rows``, ``seed``, ``sketch``,
``min_words``, ``bucket_cap``, ``boilerplate_min_docs``, ``threads``, and
the aligner's ``seed_cosine``, ``seed_dice``, ``extend_cosine``,
``extend_dice``, ``max_gap``, ``validate_cosine``, ``min_chars``,
``min_verbatim_chars``, ``trim_ngram``, ``summary_gap``, ``word_prefix``.

Errors: ``ValueError`` for bad parameters, :class:`InputError` (a
``ValueError``) for bad records, naming each (``docs:N``, N from 1), and
:class:`ReprintError` for the engine and the index (a locked index, a full
disk). The GIL is released while the engine runs.
"""

from __future__ import annotations

import json
import os
import warnings as _warnings
from collections.abc import Iterable, Mapping
from typing import Any

from . import _native
from ._native import InputError, ReprintError

__all__ = [
    "scan",
    "compare",
    "dedup",
    "audit",
    "Index",
    "Report",
    "Pair",
    "Cluster",
    "AuditReport",
    "InputError",
    "ReprintError",
]

__version__ = "0.1.0"

_ENGINE_PARAMS = (
    "threshold",
    "shingle",
    "char_shingle",
    "num_perm",
    "bands",
    "rows",
    "seed",
    "sketch",
    "min_words",
    "bucket_cap",
    "boilerplate_min_docs",
    "matrix_limit",
    "metric",
    "threads",
    "seed_cosine",
    "seed_dice",
    "extend_cosine",
    "extend_dice",
    "max_gap",
    "validate_cosine",
    "min_chars",
    "min_verbatim_chars",
    "trim_ngram",
    "summary_gap",
    "word_prefix",
)
_FIELDS = ("id", "text", "date", "source", "title", "url")


class _Record:
    """The fields of one JSON object of the command line's output, as
    attributes (``pair.copy``) and as items (``pair["copy"]``);
    ``dict(record)`` and :meth:`to_dict` give the plain dict back."""

    def __init__(self, data: dict):
        self.__dict__.update(data)

    def __getitem__(self, key: str) -> Any:
        try:
            return self.__dict__[key]
        except KeyError:
            raise KeyError(key) from None

    def __contains__(self, key: str) -> bool:
        return key in self.__dict__

    def get(self, key: str, default: Any = None) -> Any:
        return self.__dict__.get(key, default)

    def keys(self):
        return self.__dict__.keys()

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Record):
            return self.__dict__ == other.__dict__
        return isinstance(other, dict) and self.__dict__ == other

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.__dict__!r})"


class Pair(_Record):
    """One reuse pair, with the fields of the command line's JSON output:
    ``source``, ``copy``, ``copy_in_source``, ``source_in_copy``,
    ``jaccard``, ``verbatim``, ``shared_grams``, ``score``, ``direction``,
    ``credited`` (the copy names the source's outlet), ``copied_paragraphs`` and ``passages`` (each with ``copy`` and
    ``source`` paragraph ranges, ``similarity``, ``verbatim`` and the
    character spans ``copy_span`` and ``source_span``)."""

    def __repr__(self) -> str:
        return (
            f"Pair(copy={self.get('copy')!r}, source={self.get('source')!r}, "
            f"copy_in_source={self.get('copy_in_source', 0):.3f}, "
            f"passages={len(self.get('passages', []))})"
        )


class Cluster(_Record):
    """One deduplication cluster: ``kept`` (an id), ``size``, ``weakest``
    and ``dropped`` (each with ``id`` and ``score``), as ``--clusters``
    writes them."""


_PAIR_COLUMNS = (
    "source",
    "copy",
    "copy_in_source",
    "source_in_copy",
    "jaccard",
    "verbatim",
    "score",
    "direction",
    "credited",
    "copied_paragraphs",
)


class Report:
    """A scan's result: ``documents``, ``pairs`` (:class:`Pair`),
    ``boilerplate``, ``matrix``, ``params`` and ``stats``, the fields of
    ``reprint scan -f json``. ``warnings`` lists what was read with a
    warning (an unreadable date). Iterating a report iterates its pairs."""

    def __init__(self, text: str, warnings: list[str] | None = None):
        self._text = text
        data = json.loads(text)
        self.documents: list[dict] = data.get("documents", [])
        self.pairs: list[Pair] = [Pair(p) for p in data.get("pairs", [])]
        self.boilerplate: list[dict] = data.get("boilerplate", [])
        self.matrix: Any = data.get("matrix")
        self.params: dict = data.get("params", {})
        self.stats: dict = data.get("stats", {})
        self.warnings: list[str] = list(warnings or [])

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __repr__(self) -> str:
        return f"Report({len(self.documents)} documents, {len(self.pairs)} reuse pairs)"

    def to_json(self) -> str:
        """The report as ``reprint scan -f json`` writes it, byte for byte."""
        return self._text

    def rows(self) -> list[dict]:
        """One flat dict per pair (the pair's scalar fields and its number
        of passages): what :meth:`to_pandas` and :meth:`to_arrow` hold."""
        out = []
        for p in self.pairs:
            row = {k: p.get(k) for k in _PAIR_COLUMNS}
            row["passages"] = len(p.get("passages", []))
            out.append(row)
        return out

    def to_pandas(self):
        """The pairs as a pandas DataFrame, one row per pair (needs pandas)."""
        import pandas

        return pandas.DataFrame(self.rows(), columns=[*_PAIR_COLUMNS, "passages"])

    def to_arrow(self):
        """The pairs as a pyarrow Table, one row per pair (needs pyarrow)."""
        import pyarrow

        rows = self.rows()
        if not rows:
            return pyarrow.table({k: [] for k in (*_PAIR_COLUMNS, "passages")})
        return pyarrow.Table.from_pylist(rows)


class AuditReport(_Record):
    """An outlet audit, with the fields of ``reprint audit -f json``
    (``outlets``, ``flows``, ``stories`` and the rest)."""

    def to_pandas(self, what: str = "flows"):
        """One of the audit's lists (``flows``, ``outlets`` or ``stories``)
        as a pandas DataFrame (needs pandas)."""
        import pandas

        return pandas.json_normalize(self[what])


def _is_frame(docs: Any) -> bool:
    return hasattr(docs, "columns") and (hasattr(docs, "to_dicts") or hasattr(docs, "to_dict"))


def _records(docs: Any, fields: dict[str, str]) -> list[dict]:
    """Documents as the dicts a feed's lines hold."""
    if isinstance(docs, (str, bytes, Mapping)):
        raise TypeError(
            "docs must be an iterable of documents (dicts, (id, text) tuples or strings) or a DataFrame"
        )
    if _is_frame(docs):
        docs = docs.to_dicts() if hasattr(docs, "to_dicts") else docs.to_dict("records")
    out: list[dict] = []
    for i, d in enumerate(docs):
        if isinstance(d, Mapping):
            out.append(d if isinstance(d, dict) else dict(d))
        elif isinstance(d, str):
            out.append({fields["text"]: d})
        elif isinstance(d, (tuple, list)) and len(d) == 2:
            out.append({fields["id"]: d[0], fields["text"]: d[1]})
        else:
            raise TypeError(
                f"document {i + 1}: a dict, an (id, text) tuple or a string was expected, "
                f"not {type(d).__name__}"
            )
    return out


def _fields(kw: dict) -> dict[str, str]:
    fields = {f: f for f in _FIELDS}
    for f in _FIELDS:
        name = kw.pop(f"{f}_field", None)
        if name is not None:
            fields[f] = name
    return fields


def _params(kw: dict) -> dict[str, Any]:
    unknown = [k for k in kw if k not in _ENGINE_PARAMS]
    if unknown:
        raise TypeError(
            f"unknown keyword argument {unknown[0]!r}; engine parameters are: {', '.join(_ENGINE_PARAMS)}"
        )
    return {k: v for k, v in kw.items() if v is not None}


def _warn(messages: list[str]) -> None:
    if messages:
        shown = "; ".join(messages[:5]) + (f"; … and {len(messages) - 5} more" if len(messages) > 5 else "")
        _warnings.warn(f"reprint: {shown}", stacklevel=3)


def scan(docs: Iterable[Any], *, name: str = "docs", **kw: Any) -> Report:
    """Finds reuse between every pair of ``docs``, as ``reprint scan``.

    ``threshold`` (default 0.5) is the containment at which two paragraphs
    become candidates; every candidate pair is then aligned. ``name`` names
    the records in messages and in the report's ``path`` fields
    (``name:N``). Returns a :class:`Report`; ``report.to_pandas()`` gives
    one row per pair.
    """
    fields = _fields(kw)
    records = _records(docs, fields)
    text, warnings = _native.scan((records, name, fields, _params(kw)), "json")
    _warn(warnings)
    return Report(text, warnings)


def compare(a: Any, b: Any, **kw: Any) -> Pair:
    """Compares two documents (texts, dicts or ``(id, text)`` tuples) as
    ``reprint compare -f json``: the :class:`Pair` (``copy``, ``source``,
    coverages, ``direction``, ``passages``; no passages when nothing is
    reused), with ``documents`` describing the two. Texts without an id
    are ``a`` and ``b``."""
    fields = _fields(kw)
    records = [dict(r) for r in _records([a, b], fields)]
    for i, r in enumerate(records):
        r.setdefault(fields["id"], "ab"[i])
    data = json.loads(_native.compare((records, "docs", fields, _params(kw))))
    pair = Pair(data["pair"])
    pair.documents = data["documents"]
    return pair


def _kept_docs(docs_list: list, kept: list[int], frame: Any):
    if frame is not None:
        return frame.iloc[kept] if hasattr(frame, "iloc") else frame[kept]
    return [docs_list[i] for i in kept]


def _clusters(text: str) -> list[Cluster]:
    return [Cluster(json.loads(line)) for line in text.splitlines() if line.strip()]


def dedup(
    docs: Iterable[Any],
    *,
    threshold: float = 0.8,
    paragraph_threshold: float = 0.5,
    keep: str = "earliest",
    name: str = "docs",
    **kw: Any,
):
    """Keeps one document of each cluster of near-duplicates, as
    ``reprint dedup``.

    A document is a near-duplicate of another when at least ``threshold``
    (default 0.8) of it is reused from it; ``keep`` chooses the one kept
    (``earliest``, ``longest`` or ``first``). Returns ``(kept, clusters)``:
    the kept documents in input order (the same objects; the kept rows when
    ``docs`` is a DataFrame) and the clusters (:class:`Cluster`).
    """
    fields = _fields(kw)
    frame = docs if _is_frame(docs) else None
    docs_list = None if frame is not None else list(docs)
    records = _records(frame if frame is not None else docs_list, fields)
    params = _params(kw)
    params["threshold"] = paragraph_threshold
    kept, clusters, warnings = _native.dedup((records, name, fields, params), threshold, keep)
    _warn(warnings)
    return _kept_docs(docs_list, kept, frame), _clusters(clusters)


def audit(
    docs: Iterable[Any],
    *,
    aliases: Iterable[str] = (),
    format: str = "json",
    stories: int = 10,
    name: str = "docs",
    **kw: Any,
):
    """Who runs whose copy, as ``reprint audit``: outlets (from the
    ``source`` field), flows between them with lag and credit, and stories.

    ``aliases`` are ``"Associated Press=AP,The Associated Press"`` strings,
    as ``--alias``. With ``format="json"`` (the default) returns an
    :class:`AuditReport`; with ``"html"``, ``"csv"`` or ``"table"`` the
    text the command line writes.
    """
    fields = _fields(kw)
    records = _records(docs, fields)
    text, warnings = _native.audit(
        (records, name, fields, _params(kw)), list(aliases), stories, format
    )
    _warn(warnings)
    return AuditReport(json.loads(text)) if format == "json" else text


class Index:
    """A persistent index of articles on disk, as ``reprint index``.

    ``Index(path)`` names the directory; the index is created by the first
    :meth:`add` (or :meth:`dedup`), with the engine parameters given to the
    constructor (``window="30d"`` keeps 30 days). Those parameters are
    fixed at creation: an existing index uses its own, and a different
    value given here is refused with ``ValueError``. One writer at a time
    (another gets :class:`ReprintError` naming its pid); readers work while
    a writer runs.
    """

    def __init__(self, path: str | os.PathLike, *, window: str | None = None, **kw: Any):
        self.path = os.fspath(path)
        self._window = window
        self._fields = _fields(kw)
        self._params = _params(kw)

    def __repr__(self) -> str:
        return f"Index({self.path!r})"

    def add(self, docs: Iterable[Any], *, name: str = "docs") -> Report:
        """Adds ``docs`` and reports their reuse against everything already
        indexed and among themselves (the same pairs as a scan)."""
        records = _records(docs, self._fields)
        text, warnings = _native.index_add(
            self.path, (records, name, self._fields, self._params), self._window, "json"
        )
        _warn(warnings)
        return Report(text, warnings)

    def query(self, docs: Iterable[Any], *, name: str = "docs") -> Report:
        """Reports which indexed articles ``docs`` reuse and which reuse
        them, without adding them."""
        records = _records(docs, self._fields)
        text, warnings = _native.index_query(
            self.path, (records, name, self._fields, self._params), "json"
        )
        _warn(warnings)
        return Report(text, warnings)

    def dedup(
        self,
        docs: Iterable[Any],
        *,
        threshold: float = 0.8,
        keep: str = "earliest",
        name: str = "docs",
    ):
        """Keeps the documents with no near-copy in the index (or earlier in
        ``docs``), adds them, and returns ``(kept, clusters)`` as
        :func:`dedup`."""
        frame = docs if _is_frame(docs) else None
        docs_list = None if frame is not None else list(docs)
        records = _records(frame if frame is not None else docs_list, self._fields)
        kept, clusters, warnings = _native.index_dedup(
            self.path, (records, name, self._fields, self._params), threshold, keep
        )
        _warn(warnings)
        return _kept_docs(docs_list, kept, frame), _clusters(clusters)

    def stats(self) -> dict:
        """Articles, size on disk, days and parameters, as
        ``reprint index stats --json``."""
        return json.loads(_native.index_stats(self.path))

    def evict(self, before: str) -> list[str]:
        """Drops every day before ``before`` (a date); returns those days."""
        return _native.index_evict(self.path, str(before))

    def compact(self) -> dict:
        """Merges every segment into one, as ``reprint index compact``: a
        query then searches one set of tables. Returns the segments and
        bytes on disk before and after."""
        (before, after), (bytes_before, bytes_after) = _native.index_compact(self.path)
        return {
            "segments_before": before,
            "segments_after": after,
            "bytes_before": bytes_before,
            "bytes_after": bytes_after,
        }
