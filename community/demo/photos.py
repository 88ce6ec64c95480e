"""The demo moment's photos, drawn here with Pillow (nothing is downloaded): a kettle on the
boil, grain in the mash tun, a fresh pint, hop cones and a row of bottles. Each is a JPEG
upload that goes through the same cleaning as a member's photo."""
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

SIZE = (1200, 900)


def _backdrop(draw, rng, top, bottom):
    width, height = SIZE
    for y in range(height):  # a soft vertical gradient, like light in a kitchen
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t)
                                                   for a, b in zip(top, bottom, strict=True)))
    draw.rectangle([0, int(height * .72), width, height], fill=(120, 86, 58))  # the worktop


def kettle(draw, rng):
    _backdrop(draw, rng, (214, 224, 230), (170, 184, 192))
    draw.rounded_rectangle([380, 300, 820, 700], radius=40, fill=(176, 182, 188),
                           outline=(90, 96, 102), width=6)
    draw.rectangle([360, 280, 840, 320], fill=(120, 126, 132))
    draw.rectangle([820, 420, 900, 450], fill=(90, 96, 102))  # the tap
    for i in range(9):  # steam
        x = 440 + i * 40 + rng.randint(-10, 10)
        draw.ellipse([x, 150 - i * 8, x + 70, 230 - i * 8], fill=(240, 244, 246))


def mash(draw, rng):
    _backdrop(draw, rng, (236, 220, 190), (200, 170, 130))
    draw.ellipse([250, 180, 950, 760], fill=(70, 72, 78))
    draw.ellipse([290, 220, 910, 720], fill=(196, 150, 80))
    for _ in range(1600):  # the grain
        x, y = rng.randint(320, 880), rng.randint(250, 690)
        if (x - 600) ** 2 / 300 ** 2 + (y - 470) ** 2 / 235 ** 2 < 1:
            shade = rng.randint(-30, 30)
            draw.ellipse([x, y, x + 9, y + 5], fill=(220 + shade // 2, 170 + shade, 90 + shade))
    draw.line([(600, 470), (980, 120)], fill=(150, 110, 70), width=22)  # the paddle


def pint(draw, rng):
    _backdrop(draw, rng, (60, 52, 48), (30, 26, 24))
    draw.polygon([(470, 220), (730, 220), (700, 720), (500, 720)], fill=(214, 140, 30))
    draw.rectangle([470, 190, 730, 260], fill=(250, 244, 226))  # the foam
    for _ in range(80):
        x, y = rng.randint(500, 690), rng.randint(280, 700)
        draw.ellipse([x, y, x + 5, y + 5], fill=(246, 196, 90))  # bubbles


def hops(draw, rng):
    _backdrop(draw, rng, (220, 236, 210), (160, 190, 150))
    for _ in range(9):
        cx, cy = rng.randint(200, 1000), rng.randint(180, 620)
        for row in range(5):
            for col in range(3 - abs(row - 2) // 2):
                x, y = cx + (col - 1) * 34 + (row % 2) * 17, cy + row * 34
                draw.ellipse([x, y, x + 44, y + 48], fill=(110 + rng.randint(0, 30), 170, 70),
                             outline=(70, 120, 40), width=3)


def bottles(draw, rng):
    _backdrop(draw, rng, (230, 226, 216), (196, 188, 176))
    for i in range(7):
        x = 120 + i * 140
        colour = (96, 56, 20) if i % 2 else (40, 90, 50)
        draw.rounded_rectangle([x, 380, x + 100, 690], radius=18, fill=colour)
        draw.rectangle([x + 35, 260, x + 65, 390], fill=colour)
        draw.rectangle([x + 30, 245, x + 70, 265], fill=(200, 160, 40))  # the cap
        draw.rectangle([x + 10, 480, x + 90, 580], fill=(244, 236, 214))  # the label


def fermenter(draw, rng):
    _backdrop(draw, rng, (226, 230, 236), (186, 192, 200))
    draw.rounded_rectangle([420, 220, 780, 700], radius=60, fill=(236, 238, 240),
                           outline=(120, 126, 132), width=6)
    draw.rectangle([540, 170, 660, 225], fill=(90, 96, 102))  # the lid and airlock
    draw.rounded_rectangle([500, 330, 700, 420], radius=12, fill=(30, 40, 50))  # the display
    draw.text((560, 360), "19.5", fill=(120, 230, 160))
    for i in range(5):  # litre marks
        draw.line([(440, 600 - i * 70), (480, 600 - i * 70)], fill=(120, 126, 132), width=4)


def spider(draw, rng):
    _backdrop(draw, rng, (214, 224, 230), (170, 184, 192))
    draw.rectangle([300, 260, 900, 300], fill=(120, 126, 132))  # the kettle's rim
    draw.polygon([(470, 300), (730, 300), (690, 700), (510, 700)], fill=(200, 204, 208),
                 outline=(110, 116, 122))
    for y in range(320, 700, 24):  # the mesh
        draw.line([(480, y), (720, y)], fill=(150, 156, 162), width=2)
    for x in (430, 770):  # the hooks
        draw.arc([x - 40, 240, x + 40, 320], 180, 360, fill=(90, 96, 102), width=8)


SCENES = {"kettle": kettle, "mash": mash, "pint": pint, "hops": hops, "bottles": bottles,
          "fermenter": fermenter, "spider": spider}


def photo(scene: str, seed: int = 0) -> SimpleUploadedFile:
    """A drawn scene as an uploaded JPEG (the same seed draws the same picture)."""
    image = Image.new("RGB", SIZE)
    SCENES[scene](ImageDraw.Draw(image), random.Random(f"{scene}:{seed}"))  # nosec B311
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"{scene}.jpg", buffer.getvalue(), content_type="image/jpeg")
