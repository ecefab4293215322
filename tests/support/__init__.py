"""Helpers the tests share: clients, fake outside services, book builders, the runtimes. Test
modules import from here, never from each other.

Which runtime a test needs (fixtures in tests/conftest.py):

- `inprocess_runtime` (per module): the API's functions called inside the test process
  (inprocess.py). For HTTP semantics only: nothing delivers events, so no parsing or drawing.
- `product_runtime` (per session): the production template in processes, shared by every
  module that asks; tests bring users of their own and read nothing database-wide.
- `extracted_book` (per session): the Pushkin novel extracted once on `product_runtime`.
- `services.product_runtime(base, **env)`: a runtime of the test's own (settings of its own,
  or assertions over the whole database or the runtime's counters).
"""
