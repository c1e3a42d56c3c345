"""STAGE catalog: catalog/*.yaml -> `model.Catalog`. The only reader of the catalogue's files.

`load_catalog(folder)` validates every file once and returns the frozen
catalogue; `load_vocabulary(folder)` validates only what the importer needs.
Both raise `errors.CatalogError` listing every problem as path:line: message.
`ParsedFiles` keeps the files' parses between the loads of one `serve` process.
"""

from generator.catalog.fields import ParsedFiles
from generator.catalog.load import load_catalog
from generator.catalog.vocabulary import load_vocabulary

__all__ = ["ParsedFiles", "load_catalog", "load_vocabulary"]
