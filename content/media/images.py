"""Reading an uploaded picture safely, and cutting renditions of it (Pillow).

Nothing here trusts a file's name or the type it was sent with: the format, size and
content type come from decoding it. ``clean_upload`` refuses what is not a JPEG, PNG, WebP
or AVIF picture (an SVG can carry script), what is too large in bytes or in pixels (a
decompression bomb is refused from its header, before its pixels are decoded), and returns
the picture turned upright and written again without its metadata (EXIF, GPS, XMP,
comments); only its colour profile is kept. ``render`` cuts one rendition.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError, features

from content.errors import ContentInvalid

#: What may be uploaded: Pillow's format name -> (content type, file extension).
ACCEPTED = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "AVIF": ("image/avif", "avif"),
}

#: The formats renditions are made in, best first; AVIF only where Pillow can write it.
RENDITION_FORMATS = ("avif", "webp", "jpeg")
_SAVE = {
    "avif": {"format": "AVIF", "quality": 60, "speed": 8},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}


def rendition_formats() -> tuple[str, ...]:
    """The formats this Pillow build can write, in ``RENDITION_FORMATS``' order."""
    return tuple(f for f in RENDITION_FORMATS if f != "avif" or features.check("avif"))


def rendition_widths() -> tuple[int, ...]:
    """The widths renditions are made at (setting ``MEDIA_RENDITION_WIDTHS``), ascending."""
    return tuple(sorted({int(w) for w in settings.MEDIA_RENDITION_WIDTHS}))


def _refuse(message: str) -> ContentInvalid:
    return ContentInvalid(message, {"file": [message]})


@dataclass(frozen=True)
class CleanImage:
    """An accepted upload: the cleaned file's bytes and what decoding it told."""

    data: bytes
    sha256: str  # of the file as uploaded
    content_type: str
    extension: str
    width: int
    height: int


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text[:1024]


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file (Django's ``UploadedFile``), refusing one over the limit
    from its size, before it is read into memory."""
    check_size(upload.size)
    upload.seek(0)
    return upload.read(settings.MEDIA_MAX_UPLOAD_BYTES + 1)


def check_size(size: int) -> None:
    max_bytes = settings.MEDIA_MAX_UPLOAD_BYTES
    if size > max_bytes:
        raise _refuse(
            f"The file is {_mb(size)}; pictures may be at most {_mb(max_bytes)}. "
            "Export it smaller (2000 pixels wide is plenty) and upload it again."
        )


def clean_upload(data: bytes) -> CleanImage:
    """Decode ``data`` and return it cleaned, or raise ``ContentInvalid`` saying why not."""
    check_size(len(data))
    if not data:
        raise _refuse("The file is empty.")
    if _looks_like_svg(data[:2048]):
        raise _refuse(
            "SVG files are refused: they can carry scripts. Upload the picture as PNG, "
            "JPEG, WebP or AVIF."
        )
    try:
        with warnings.catch_warnings():
            # Reading the header decodes no pixel; the cap below is this project's own.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        fmt, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        raise _refuse(
            "The picture has far more pixels than are accepted (it may be a decompression "
            "bomb). Scale it down and upload it again."
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _not_a_picture() from None
    if fmt not in ACCEPTED:
        raise _refuse(
            f"{fmt} pictures are not accepted; upload PNG, JPEG, WebP or AVIF "
            "(animations and other formats are not)."
        )
    _check_pixels(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
            upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _not_a_picture() from None
    content_type, extension = ACCEPTED[fmt]
    return CleanImage(
        data=_without_metadata(upright, fmt, image.info.get("icc_profile")),
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
    )


def _not_a_picture() -> ContentInvalid:
    return _refuse(
        "This file is not a picture that can be read (or it is damaged). Upload a PNG, "
        "JPEG, WebP or AVIF file."
    )


def _check_pixels(width: int, height: int) -> None:
    cap = settings.MEDIA_MAX_PIXELS
    if width * height > cap:
        raise _refuse(
            f"The picture is {width} x {height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"at most {cap / 1e6:.0f} megapixels are accepted. Scale it down and upload it again."
        )


def _without_metadata(image: Image.Image, fmt: str, icc: bytes | None) -> bytes:
    """``image`` written again in its format with none of its metadata but its colour
    profile (Pillow writes only what it is given)."""
    pixels = image.copy()
    # Only what the pixels need: EXIF, XMP, text chunks and comments all stay behind.
    pixels.info = {k: image.info[k] for k in ("transparency",) if k in image.info}
    out = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        pixels = pixels.convert("RGB") if pixels.mode not in ("RGB", "L", "CMYK") else pixels
        options.update(quality=95, subsampling=0)
    elif fmt == "WEBP":
        options.update(quality=95)
    elif fmt == "AVIF":
        options.update(quality=90)
    pixels.save(out, format=fmt, **options)
    return out.getvalue()


def crop_box(size: tuple[int, int], crop: str) -> tuple[int, int, int, int]:
    """The box of a picture of ``size`` that the crop key ``crop`` keeps ('' keeps all;
    '<w>:<h>@<x>,<y>': the largest box of that ratio, centred on the focal point as far as
    the picture's edges allow)."""
    width, height = size
    if not crop:
        return (0, 0, width, height)
    ratio, _, focal = crop.partition("@")
    rw, rh = (int(n) for n in ratio.split(":"))
    fx, fy = (float(n) for n in focal.split(","))
    if width * rh > height * rw:  # wider than the ratio: keep the height
        box_w, box_h = max(1, round(height * rw / rh)), height
    else:
        box_w, box_h = width, max(1, round(width * rh / rw))
    left = min(max(round(fx * width - box_w / 2), 0), width - box_w)
    top = min(max(round(fy * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def widths_for(crop_width: int) -> tuple[int, ...]:
    """The rendition widths for a crop ``crop_width`` pixels wide: the configured widths it
    can fill (never enlarged), and its own width when it is narrower than the widest, so
    that its full size is always there."""
    configured = rendition_widths()
    fitting = tuple(w for w in configured if w <= crop_width)
    if crop_width < configured[-1] and crop_width not in fitting:
        fitting += (crop_width,)
    return fitting


@dataclass(frozen=True)
class Made:
    width: int
    height: int
    format: str
    data: bytes
    sha256: str


def render(data: bytes, crop: str, widths: tuple[int, ...], formats: tuple[str, ...]):
    """Yield a ``Made`` rendition of the cleaned picture ``data`` cut by ``crop`` for every
    width and format."""
    with Image.open(io.BytesIO(data)) as source:
        source.load()
        cut = source.crop(crop_box(source.size, crop))
    has_alpha = cut.mode in ("RGBA", "LA", "PA") or "transparency" in cut.info
    base = cut.convert("RGBA" if has_alpha else "RGB")
    for width in widths:
        height = max(1, round(cut.height * width / cut.width))
        scaled = (
            base if (width, height) == base.size else base.resize((width, height), Image.LANCZOS)
        )
        for fmt in formats:
            frame = scaled
            if fmt == "jpeg" and has_alpha:  # JPEG has no transparency: on white
                frame = Image.new("RGB", scaled.size, "white")
                frame.paste(scaled, mask=scaled.getchannel("A"))
            out = io.BytesIO()
            frame.save(out, **_SAVE[fmt])
            encoded = out.getvalue()
            yield Made(width, height, fmt, encoded, hashlib.sha256(encoded).hexdigest())


def crop_size(size: tuple[int, int], crop: str) -> tuple[int, int]:
    left, top, right, bottom = crop_box(size, crop)
    return right - left, bottom - top
