"""Spreadsheet import: reading.py reads files, columns.py finds the header, planning.py
decides row by row, applying.py writes in bulk."""
