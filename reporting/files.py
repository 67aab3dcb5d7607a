"""The files reports are written as: extension and content type per format (no renderer imported here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf"),
    "xlsx": FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": FileType("csv", "text/csv; charset=utf-8"),
    "json": FileType("json", "application/json"),
}
