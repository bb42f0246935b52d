"""WeChat caps a text reply at 2048 bytes: long answers go out in pieces, split between characters."""
from __future__ import annotations

TEXT_LIMIT_BYTES = 2048


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Split on character boundaries, preferring line breaks, each part at most `limit` UTF-8 bytes."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len((current + line).encode()) <= limit:
            current += line
            continue
        if current:
            parts.append(current)
            current = ""
        while len(line.encode()) > limit:
            cut, size = 0, 0
            for i, ch in enumerate(line):
                size += len(ch.encode())
                if size > limit:
                    break
                cut = i + 1
            parts.append(line[:cut])
            line = line[cut:]
        current = line
    if current or not parts:
        parts.append(current)
    return [p.rstrip("\n") for p in parts if p.strip()] or [""]
