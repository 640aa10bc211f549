"""The demo pack's pictures, drawn by the project itself (Pillow), the same bytes every time.

Each picture has a name the pack's files use (``media: [{picture: <name>, ...}]``), a title
for editors and a drawing: breath-pattern diagrams of the pranayama components, the arm
heights of hand-stretch breathing, and a figure lying with its legs up a wall. They are the
project's own work, offered as CC0. ``draw(name)`` returns the PNG; the same Pillow draws
the same bytes, so the picture keeps its SHA-256 and a second load finds it in the library.

Everything is drawn at twice the size and scaled down once, which smooths the edges; no
randomness, no clock and no system font (Pillow's own, ``ImageFont.load_default``) enter it.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

#: Who drew the pictures, and their licence, as every asset of the pack says.
CREDIT = "Recovery content project (drawn by content/demo/pictures.py)"
LICENCE = "CC0 1.0"

#: The size of every picture (16:9), and the factor it is drawn at before scaling down.
SIZE = (1600, 900)
_SCALE = 2

PAPER = (248, 246, 241)
INK = (38, 50, 56)
MUTED = (120, 130, 136)
FAINT = (214, 216, 212)
LEFT = (52, 101, 164)  # the left nostril, and breathing in
RIGHT = (214, 104, 65)  # the right nostril, and breathing out
REST = (150, 170, 160)
BLANKET = (143, 185, 168)

Point = tuple[float, float]


class Canvas:
    """A picture being drawn, in the coordinates of ``SIZE`` (drawn at ``_SCALE``)."""

    def __init__(self) -> None:
        width, height = SIZE
        self.image = Image.new("RGB", (width * _SCALE, height * _SCALE), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def _at(self, *points: Point) -> list[tuple[float, float]]:
        return [(x * _SCALE, y * _SCALE) for x, y in points]

    def line(self, points: list[Point], colour, width: float) -> None:
        self.draw.line(self._at(*points), fill=colour, width=round(width * _SCALE), joint="curve")
        for x, y in (points[0], points[-1]):  # round ends
            self.dot((x, y), width / 2, colour)

    def dot(self, centre: Point, radius: float, colour, outline=None, width: float = 0) -> None:
        x, y = centre
        box = self._at((x - radius, y - radius), (x + radius, y + radius))
        self.draw.ellipse(box, fill=colour, outline=outline, width=round(width * _SCALE))

    def box(self, corner: Point, other: Point, colour, radius: float = 0) -> None:
        self.draw.rounded_rectangle(self._at(corner, other), radius * _SCALE, fill=colour)

    def arrow(self, start: Point, end: Point, colour, width: float = 6) -> None:
        """A line from ``start`` with a head at ``end``."""
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        size = width * 3.5
        back = (end[0] - size * math.cos(angle), end[1] - size * math.sin(angle))
        self.line([start, back], colour, width)
        wing = [
            (
                back[0] + size * 0.6 * math.cos(angle + side * math.pi / 2),
                back[1] + size * 0.6 * math.sin(angle + side * math.pi / 2),
            )
            for side in (1, -1)
        ]
        self.draw.polygon(self._at(end, wing[0], wing[1]), fill=colour)

    def arc(self, centre: Point, radius: float, start: float, end: float, colour) -> None:
        """An arc from ``start`` to ``end`` degrees, clockwise from 3 o'clock."""
        x, y = centre
        box = self._at((x - radius, y - radius), (x + radius, y + radius))
        self.draw.arc(box, start=start, end=end, fill=colour, width=5 * _SCALE)

    def text(self, where: Point, words: str, size: int, colour=INK, anchor: str = "mm") -> None:
        font = ImageFont.load_default(size=size * _SCALE)
        self.draw.text(self._at(where)[0], words, font=font, fill=colour, anchor=anchor)

    def png(self) -> bytes:
        small = self.image.resize(SIZE, Image.LANCZOS)
        out = io.BytesIO()
        small.save(out, format="PNG", optimize=True)
        return out.getvalue()


# --- Breath patterns --------------------------------------------------------------------

_LEFT_X, _RIGHT_X = 110, 1490  # the timeline's ends


def _axis(canvas: Canvas, seconds: float, baseline: float, every: int) -> None:
    """A time axis under a timeline ``seconds`` long, a tick and a label every ``every`` s."""
    canvas.line([(_LEFT_X, baseline), (_RIGHT_X, baseline)], MUTED, 3)
    for second in range(0, int(seconds) + 1, every):
        x = _x(second, seconds)
        canvas.line([(x, baseline), (x, baseline + 14)], MUTED, 3)
        canvas.text((x, baseline + 38), f"{second} s", 26, MUTED)


def _x(second: float, seconds: float) -> float:
    return _LEFT_X + (_RIGHT_X - _LEFT_X) * second / seconds


def _key(canvas: Canvas, y: float, entries: list[tuple[tuple[int, int, int], str]]) -> None:
    """A legend: a colour swatch and its words, side by side, centred on the picture."""
    font = ImageFont.load_default(size=30)
    widths = [60 + font.getlength(words) for _, words in entries]
    x = (SIZE[0] - sum(widths) - 60 * (len(entries) - 1)) / 2
    for (colour, words), width in zip(entries, widths, strict=True):
        canvas.box((x, y - 14), (x + 40, y + 14), colour, radius=6)
        canvas.text((x + 56, y), words, 30, anchor="lm")
        x += width + 60


def nadi_shodhana() -> bytes:
    """One round: in through the left nostril (4 s), out through the right (6 s), in through
    the right (4 s), out through the left (6 s); the breath's rise and fall as a curve."""
    canvas = Canvas()
    canvas.text((800, 70), "Alternate-nostril breathing: one round", 48)
    phases = [("Breathe in", "left nostril", 4, LEFT), ("Breathe out", "right nostril", 6, RIGHT)]
    phases += [("Breathe in", "right nostril", 4, RIGHT), ("Breathe out", "left nostril", 6, LEFT)]
    total = sum(seconds for _, _, seconds, _ in phases)
    top, bottom, baseline = 190, 470, 520
    start = 0
    for number, (verb, nostril, seconds, colour) in enumerate(phases, start=1):
        rising = verb == "Breathe in"
        curve = []
        for step in range(41):
            level = (1 - math.cos(math.pi * step / 40)) / 2  # 0 to 1, eased
            height = (bottom - top) * (level if rising else 1 - level)
            curve.append((_x(start + seconds * step / 40, total), bottom - height))
        left, right = _x(start, total), _x(start + seconds, total)
        canvas.box((left + 4, baseline - 34), (right - 4, baseline - 10), colour, radius=8)
        canvas.line(curve, colour, 12)
        middle = (left + right) / 2
        canvas.dot((middle, 640), 26, colour)
        canvas.text((middle, 640), str(number), 30, PAPER)
        canvas.text((middle, 700), verb, 34)
        canvas.text((middle, 745), nostril, 34, colour)
        canvas.text((middle, 790), f"{seconds} seconds", 30, MUTED)
        start += seconds
    _axis(canvas, total, baseline, 2)
    canvas.text((_LEFT_X - 14, top), "full", 26, MUTED, anchor="rm")
    canvas.text((_LEFT_X - 14, bottom - 30), "empty", 26, MUTED, anchor="rm")
    _key(canvas, 855, [(LEFT, "left nostril open"), (RIGHT, "right nostril open")])
    return canvas.png()


def _bursts(
    title: str,
    counts: list[int],
    rest: int,
    breath: Callable[[float], float],
    labels: tuple[str, str],
    legs: tuple[str, str],
) -> bytes:
    """Cycles of one-second breaths (``counts`` per cycle), ``rest`` seconds of normal
    breathing between them, and three breaths drawn large: ``breath`` gives the lungs'
    level (0 empty, 1 full) along one breath, ``legs`` what the in- and out-breath are."""
    canvas = Canvas()
    canvas.text((800, 60), title, 48)
    total = sum(counts) + rest * (len(counts) - 1)
    top, bottom, baseline = 180, 340, 385
    start = 0.0
    for number, count in enumerate(counts, start=1):
        wave = [
            (_x(start + step / 12, total), bottom - (bottom - top) * breath(step / 12 % 1))
            for step in range(count * 12 + 1)
        ]
        canvas.line(wave, INK, 4)
        canvas.text((_x(start + count / 2, total), 135), labels[0].format(count=count), 32)
        start += count
        if number < len(counts):
            calm = [
                (_x(start + step / 4, total), 260 - 40 * math.sin(math.pi * step / 12))
                for step in range(rest * 4 + 1)
            ]
            canvas.line(calm, REST, 6)
            canvas.text((_x(start + rest / 2, total), 135), labels[1].format(rest=rest), 32, MUTED)
            start += rest
    _axis(canvas, total, baseline, 10)
    canvas.text((800, 515), "Three breaths, drawn larger: about one second each", 32, MUTED)
    top, bottom, left, width = 580, 800, 260, 230
    for n in range(3):
        points = [
            (left + width * (n + i / 60), bottom - (bottom - top) * breath(i / 60))
            for i in range(61)
        ]
        for a, b in itertools.pairwise(points):
            canvas.line([a, b], LEFT if b[1] <= a[1] else RIGHT, 10)
    canvas.text((left - 30, top), "full", 26, MUTED, anchor="rm")
    canvas.text((left - 30, bottom), "empty", 26, MUTED, anchor="rm")
    canvas.text((left + width * 3 + 70, top + 50), legs[0], 32, LEFT, anchor="lm")
    canvas.text((left + width * 3 + 70, bottom - 50), legs[1], 32, RIGHT, anchor="lm")
    return canvas.png()


def bhastrika() -> bytes:
    """Three cycles of 20 forceful breaths, in and out alike, 30 s of rest between them."""
    return _bursts(
        "Bellows breath: three cycles of 20 breaths",
        [20, 20, 20],
        30,
        lambda t: 1 - abs(1 - 2 * t),  # in and out alike
        ("{count} forceful breaths", "rest {rest} s"),
        ("in: deep, with force", "out: with force"),
    )


def kapalabhati() -> bytes:
    """Two cycles of 30 sharp out-breaths, each followed by a passive in-breath, with 30 s
    of normal breathing between them."""
    return _bursts(
        "Skull-shining breath: 30 breaths, rest, 30 more",
        [30, 30],
        30,
        lambda t: t / 0.75 if t < 0.75 else 1 - (t - 0.75) / 0.25,  # slow in, sharp out
        ("{count} sharp out-breaths", "rest {rest} s, breathe normally"),
        ("in: passive, the belly relaxes", "out: sharp, the belly pulls in"),
    )


# --- Figures ----------------------------------------------------------------------------

_LIMB = 26
_FLOOR, _HIP, _SHOULDER = 840, 590, 380


def _standing(canvas: Canvas, x: float, angle: float) -> Point:
    """A figure standing side-on, facing right, at ``x``: its palms together in front of the
    chest (faint: where each breath starts) and its arms raised to ``angle`` degrees from
    hanging down. Returns the shoulder."""
    shoulder = (x, _SHOULDER)
    canvas.line([(x - 90, _FLOOR), (x + 170, _FLOOR)], FAINT, 6)
    canvas.line([shoulder, (x + 6, 480), (x + 100, 420)], FAINT, _LIMB * 0.8)
    canvas.line([(x, _HIP), (x - 4, _FLOOR - 14)], INK, _LIMB)
    canvas.line([(x - 4, _FLOOR - 14), (x + 42, _FLOOR - 14)], INK, _LIMB * 0.8)
    canvas.line([shoulder, (x, _HIP)], INK, _LIMB * 1.4)
    rad = math.radians(angle)
    canvas.line([shoulder, (x + 220 * math.sin(rad), _SHOULDER + 220 * math.cos(rad))], LEFT, 20)
    canvas.dot((x + 8, _SHOULDER - 84), 50, INK, outline=PAPER, width=6)  # in front of the arm
    return shoulder


def _angle(canvas: Canvas, shoulder: Point, angle: float) -> None:
    """An arc from hanging down to ``angle``, and its label."""
    x, y = shoulder
    canvas.arc(shoulder, 72, 90 - angle, 90, LEFT)
    rad = math.radians(min(angle / 2, 70))
    canvas.text((x + 140 * math.sin(rad), y + 140 * math.cos(rad)), f"{angle}°", 34, LEFT)


def arms_at_shoulder_height() -> bytes:
    """Step 2: from palms at the chest, arms stretched straight out in front (90°)."""
    canvas = Canvas()
    canvas.text((800, 60), "Arms out at shoulder height (90°): 5 rounds", 48)
    shoulder = _standing(canvas, 560, 90)
    _angle(canvas, shoulder, 90)
    canvas.arrow((960, 300), (1140, 300), LEFT)
    canvas.text((1050, 250), "breathe in: stretch out", 32, LEFT)
    canvas.arrow((1140, 480), (960, 480), RIGHT)
    canvas.text((1050, 530), "breathe out: palms to chest", 32, RIGHT)
    return canvas.png()


def arms_raised_higher() -> bytes:
    """Step 4: the same movement with the arms raised to 135°, then to 180° overhead."""
    canvas = Canvas()
    canvas.text((800, 60), "Then 5 rounds at 135°, and 5 at 180°, overhead", 48)
    for x, angle in ((480, 135), (1080, 180)):
        _angle(canvas, _standing(canvas, x, angle), angle)
    return canvas.png()


def legs_up_the_wall() -> bytes:
    """A figure lying on its back, hips on a folded blanket by a wall, legs resting up the
    wall, arms by its sides."""
    canvas = Canvas()
    floor, wall = 760, 1180
    canvas.box((wall, 0), (SIZE[0], floor), (226, 222, 212))
    canvas.line([(wall, 0), (wall, floor)], MUTED, 6)
    canvas.box((0, floor), (SIZE[0], SIZE[1]), (232, 228, 219))
    canvas.line([(0, floor), (SIZE[0], floor)], MUTED, 6)
    canvas.box((920, floor - 50), (1150, floor), BLANKET, radius=14)
    canvas.line([(945, floor - 25), (1125, floor - 25)], (120, 160, 146), 3)
    hip = (wall - 62, floor - 50 - 24)
    shoulder = (420, floor - 34)
    canvas.line([shoulder, (640, floor - 16), (820, floor - 14)], MUTED, _LIMB * 0.8)  # the arm
    canvas.line([shoulder, hip], INK, _LIMB * 1.6)
    canvas.dot((340, floor - 50), 48, INK)  # the head, resting on the floor
    ankle = (wall - 40, 200)
    canvas.line([hip, ankle], INK, _LIMB * 1.2)
    canvas.line([ankle, (ankle[0] - 56, ankle[1] - 14)], INK, _LIMB)  # soles to the ceiling
    return canvas.png()


@dataclass(frozen=True)
class Picture:
    title: str
    draw: Callable[[], bytes]


#: The pack's pictures by the name its files give them.
PICTURES: dict[str, Picture] = {
    "nadi-shodhana-round": Picture("Alternate-nostril breathing, one round", nadi_shodhana),
    "bhastrika-cycles": Picture("Bellows breath, three cycles", bhastrika),
    "kapalabhati-cycles": Picture("Skull-shining breath, two cycles", kapalabhati),
    "hands-stretch-90": Picture(
        "Hand-stretch breathing at shoulder height", arms_at_shoulder_height
    ),
    "hands-stretch-135-180": Picture("Hand-stretch breathing, arms higher", arms_raised_higher),
    "legs-up-the-wall": Picture("Lying with the legs up a wall", legs_up_the_wall),
}


@functools.cache  # the same bytes every time: a process draws each picture once
def draw(name: str) -> bytes:
    """The PNG of the pack's picture ``name``."""
    return PICTURES[name].draw()
