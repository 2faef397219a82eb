"""Reading raw files safely: size limit, UTF-8 only, binary refused."""

from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024


class UnreadableFile(ValueError):
    """The file cannot be read as a news text; the message says why."""


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile(f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from exc


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise UnreadableFile("contains NUL bytes: binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"is not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8 first"
        ) from exc
    if not text.strip():
        raise UnreadableFile("is empty")
    return text


def read_text(path: Path) -> str:
    return decode(read_bytes(path))
