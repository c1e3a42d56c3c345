"""`python -m generator`: the command line (generator.cli).

Two settings for the process, made before the command line's modules are imported (no command changes what
it computes or writes):

- OpenBLAS (numpy's linear algebra library) runs one thread, unless the environment asks otherwise. With more
  than one core it starts a thread per core when numpy is imported, and that thread waits for work by spinning:
  0.15 s of CPU while the imports run (0.53 -> 0.37 s, the collector off). Nothing here gives it work: numpy
  serves the search postings and scipy's sparse products (crossref.alignment), neither of which calls BLAS.
- Importing the command line's modules (MkDocs, Jinja, pypinyin's dictionaries, numpy and scipy) makes about
  250,000 objects that live as long as the process and almost no cyclic garbage, yet the cycle collector,
  counting allocations, ran three full collections over them while they were made: 0.1 s of CPU. So the
  collector is off while they are imported; then what they made is frozen (`gc.freeze`: never scanned again,
  still freed by reference counting), and the collector runs as usual for what the command makes.
"""

import gc
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
gc.disable()
from generator.cli import main  # noqa: E402 - imported with the collector off, after OpenBLAS' setting

gc.freeze()
gc.enable()

raise SystemExit(main())
