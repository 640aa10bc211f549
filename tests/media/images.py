"""Real picture files, made with Pillow in the test that needs them."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

#: EXIF tag numbers: the GPS block, the camera's make, and the orientation.
GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112


def picture(
    size=(1800, 1200), *, fmt="JPEG", colour=(40, 120, 90), mark=None, mode="RGB", **save
) -> bytes:
    """A ``size`` picture of one ``colour`` in ``fmt``; ``mark`` = (box, colour) paints a
    rectangle (to see where a crop went)."""
    image = Image.new(mode, size, colour)
    if mark is not None:
        box, mark_colour = mark
        image.paste(Image.new(mode, (box[2] - box[0], box[3] - box[1]), mark_colour), box[:2])
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def photo_with_gps(size=(1600, 1200), orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: the camera's make and where it was taken (GPS), and an
    orientation if given."""
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    if orientation is not None:
        exif[ORIENTATION] = orientation
    return picture(size, exif=exif.tobytes())


def exif_of(data: bytes) -> dict:
    """The EXIF tags ``data`` carries (empty if none), with its GPS block if any."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        found = dict(exif)
        gps = dict(exif.get_ifd(GPS_IFD))
        if gps:
            found["gps"] = gps
        return found


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb's
    shape (its pixels would take gigabytes once decoded)."""
    data = picture((8, 8), fmt="PNG")
    start = data.index(b"IHDR")
    ihdr = b"IHDR" + struct.pack(">II", width, height) + data[start + 12 : start + 17]
    return (
        data[: start - 4]
        + struct.pack(">I", 13)
        + ihdr
        + struct.pack(">I", zlib.crc32(ihdr))
        + data[start + 21 :]
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert("x")</script><rect width="10" height="10"/></svg>'
)
