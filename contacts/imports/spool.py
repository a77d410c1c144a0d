"""The rows of a spreadsheet kept on local disk while an import decides them.

A file is read once into a spool (an anonymous temporary file, gone when closed), in
blocks of rows; planning then reads it back a chunk at a time and fetches the few later
rows it needs (the duplicates of an address) by position. Memory holds one block, not
the file.
"""

import pickle
import tempfile
from array import array
from collections.abc import Iterable

from contacts.imports.reading import SheetRow

BLOCK_ROWS = 1000


class RowSpool:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._starts = array("Q")  # where each block begins in the file
        self._pending: list[SheetRow] = []
        self._cached: tuple[int, list[SheetRow]] | None = None
        self._sealed = False
        self.count = 0

    def append(self, row: SheetRow) -> None:
        if self._sealed:
            raise RuntimeError("rows are appended before any is read back")
        self._pending.append(row)
        self.count += 1
        if len(self._pending) == BLOCK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._file.seek(0, 2)
            self._starts.append(self._file.tell())
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def _block(self, number: int) -> list[SheetRow]:
        if self._cached is not None and self._cached[0] == number:
            return self._cached[1]
        if not self._sealed:
            self._flush()  # the last, shorter block
            self._sealed = True
        self._file.seek(self._starts[number])
        # The spool is this process's own temporary file, written just before.
        rows: list[SheetRow] = pickle.load(self._file)  # noqa: S301
        self._cached = (number, rows)
        return rows

    def slice(self, start: int, stop: int) -> list[SheetRow]:
        """Rows start (0-based) to stop, excluded."""
        rows: list[SheetRow] = []
        for number in range(start // BLOCK_ROWS, (max(start, stop - 1)) // BLOCK_ROWS + 1):
            first = number * BLOCK_ROWS
            block = self._block(number)
            rows.extend(block[max(start - first, 0) : max(stop - first, 0)])
        return rows

    def fetch(self, positions: Iterable[int]) -> dict[int, SheetRow]:
        """The rows at these positions, reading each block they lie in once."""
        found: dict[int, SheetRow] = {}
        for position in sorted(set(positions)):
            found[position] = self._block(position // BLOCK_ROWS)[position % BLOCK_ROWS]
        return found

    def close(self) -> None:
        self._cached = None
        self._file.close()
