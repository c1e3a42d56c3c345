"""STAGE catalog: catalog/*.yaml -> `model.Catalog`. The only reader of the catalogue's files.

`load_catalog(folder)` validates every file once and returns the frozen
catalogue; `load_vocabulary(folder)` validates only what the importer needs.
Both raise `errors.CatalogError` listing every problem as path:line: message.
"""

from generator.catalog.load import load_catalog
from generator.catalog.vocabulary import load_vocabulary

__all__ = ["load_catalog", "load_vocabulary"]
