"""Page images (.jpg, .png, .tif with one or more pages, .bmp) -> :class:`Layout` through the
scan reader (:func:`toolkit.ocr.read_scan`).

The images become the pages of a PDF in a private temporary folder, each page sized from the
image's resolution (an image without one is taken for an A4 page's width), JPEG data embedded
as it is and other images without loss; the scan reader then reads it as any scanned PDF.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import UnreadableError
from . import Layout

MAX_PAGES = 80  # as for PDFs
MAX_PIXELS = 60_000_000  # one page at 600 dpi on A3 is 35 Mpx; more is not a scanned form
A4_WIDTH_PT = 595.28


def read_image(path: str | Path) -> Layout:
    """The layout of one image file (every page of a multi-page TIFF)."""
    return read_images([Path(path)], source=Path(path))


def read_images(paths: Sequence[str | Path], source: str | Path | None = None) -> Layout:
    """The layout of the page images ``paths``, in order, as one scan (``source`` names it)."""
    from ..ocr import read_scan

    files = [Path(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="ictk-img-") as work:
        pdf = Path(work) / "pages.pdf"
        images_to_pdf(files, pdf)
        layout = read_scan(pdf)
    layout.source = str(source or files[0])
    return layout


def _frames(path: Path) -> Iterator[tuple[Any, tuple[float, float] | None, bool]]:
    """(PIL image, dpi or None, whether it is a plain JPEG to embed as is) for each page."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(path)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise UnreadableError(f"图片尺寸异常庞大，不像是申报表扫描件，已拒绝读取：{path.name}") from None
        raise UnreadableError(f"图片文件已损坏，无法读取：{path.name}") from None
    with img:
        for frame in ImageSequence.Iterator(img):
            dpi = frame.info.get("dpi")
            try:
                dpi = (float(dpi[0]), float(dpi[1])) if dpi else None
            except (TypeError, ValueError, IndexError):
                dpi = None
            if dpi and not (50 <= dpi[0] <= 1200 and 50 <= dpi[1] <= 1200):
                dpi = None
            plain_jpeg = img.format == "JPEG" and frame.mode in ("RGB", "L")
            yield frame, dpi, plain_jpeg


def images_to_pdf(files: list[Path], out: Path) -> None:
    """One PDF page per image (every page of a multi-page TIFF), written to ``out``: JPEG data
    as it is, other images deflated without loss, greyscale and black-and-white kept so (the
    scan reader then knows it cannot look for red seals)."""
    pages: list[tuple[bytes, float, float]] = []  # (image object dictionary + stream, width, height)
    for path in files:
        try:
            for frame, dpi, plain_jpeg in _frames(path):
                if len(pages) >= MAX_PAGES:
                    raise UnreadableError(f"图片共有超过 {MAX_PAGES} 页，不像是申报表：{path.name}")
                w_px, h_px = frame.size
                if w_px * h_px > MAX_PIXELS:
                    raise UnreadableError(f"图片尺寸异常庞大，不像是申报表扫描件，已拒绝读取：{path.name}")
                if dpi:
                    width, height = w_px / dpi[0] * 72, h_px / dpi[1] * 72
                else:
                    scale = A4_WIDTH_PT / min(w_px, h_px)  # the short side an A4 page's width
                    width, height = w_px * scale, h_px * scale
                pages.append((_image_object(path, frame, plain_jpeg), width, height))
        except UnreadableError:
            raise
        except (OSError, ValueError, SyntaxError, EOFError) as exc:  # a truncated image, a bad frame
            raise UnreadableError(f"图片文件已损坏，无法读取：{path.name}（{type(exc).__name__}）") from None
    if not pages:
        raise UnreadableError(f"图片文件中没有页面：{files[0].name}")
    out.write_bytes(_pdf(pages))


def _image_object(path: Path, frame: Any, plain_jpeg: bool) -> bytes:
    import zlib

    w, h = frame.size
    if plain_jpeg and frame.mode in ("RGB", "L"):
        data, bpc, space, filt = (
            path.read_bytes(),
            8,
            "DeviceRGB" if frame.mode == "RGB" else "DeviceGray",
            "DCTDecode",
        )
    elif frame.mode == "1":
        data, bpc, space, filt = zlib.compress(frame.tobytes(), 6), 1, "DeviceGray", "FlateDecode"
    elif frame.mode in ("L", "I", "I;16", "F", "LA"):
        grey = frame.convert("L") if frame.mode != "LA" else _on_white(frame).convert("L")
        data, bpc, space, filt = zlib.compress(grey.tobytes(), 6), 8, "DeviceGray", "FlateDecode"
    else:
        rgb = _on_white(frame) if frame.mode in ("RGBA", "P", "PA") else frame.convert("RGB")
        data, bpc, space, filt = zlib.compress(rgb.tobytes(), 6), 8, "DeviceRGB", "FlateDecode"
    head = (
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /{space} "
        f"/BitsPerComponent {bpc} /Filter /{filt} /Length {len(data)} >>\nstream\n"
    ).encode()
    return head + data + b"\nendstream"


def _on_white(frame: Any) -> Any:
    from PIL import Image

    rgba = frame.convert("RGBA")
    white = Image.new("RGB", frame.size, "white")
    white.paste(rgba, mask=rgba.split()[3])
    return white


def _pdf(pages: list[tuple[bytes, float, float]]) -> bytes:
    """A PDF of one full-page image per page."""
    n = len(pages)
    # objects: 1 catalog, 2 pages, then per page: page, content, image
    objects: list[bytes] = [b"", b""]
    kids = []
    for i, (image, width, height) in enumerate(pages):
        page_id, content_id, image_id = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        kids.append(f"{page_id} 0 R")
        draw = f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
            f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(draw)} >>\nstream\n".encode() + draw + b"\nendstream")
        objects.append(image)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n} >>".encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
