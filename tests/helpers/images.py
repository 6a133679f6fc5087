"""Images generated for the PDQ tests and benches (shapes, gradients, text), and the edits re-posters
make to them. Nothing here is real content."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter


def make_image(seed: int, size: tuple[int, int] = (400, 300)) -> Image.Image:
    """A deterministic synthetic picture: a two-colour gradient, a few shapes and a line of text."""
    rng = random.Random(seed)
    w, h = size
    c1 = tuple(rng.randrange(256) for _ in range(3))
    c2 = tuple(rng.randrange(256) for _ in range(3))
    horizontal = rng.random() < 0.5
    grad = Image.linear_gradient("L").resize(size)
    if horizontal:
        grad = grad.rotate(90, expand=False)
    image = Image.composite(Image.new("RGB", size, c1), Image.new("RGB", size, c2), grad)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(10, 18)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1, y1 = x0 + rng.randint(15, w // 3), y0 + rng.randint(15, h // 3)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = rng.choice(("ellipse", "rectangle", "polygon", "line"))
        if shape == "ellipse":
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        elif shape == "rectangle":
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif shape == "polygon":
            draw.polygon([(x0, y0), (x1, y0 + rng.randint(-40, 40)), (x0 + rng.randint(-40, 40), y1)], fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=rng.randint(3, 12))
    draw.text((rng.randrange(w // 2), rng.randrange(h - 20)), f"sample {seed}", fill=(255, 255, 255))
    # photographs have soft edges; hard synthetic edges would make PDQ look worse than it is
    return image.filter(ImageFilter.GaussianBlur(2))


def to_bytes(image: Image.Image, fmt: str = "PNG", **kwargs: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kwargs)
    return buf.getvalue()


def jpeg(image: Image.Image, quality: int = 40) -> Image.Image:
    return Image.open(io.BytesIO(to_bytes(image.convert("RGB"), "JPEG", quality=quality))).convert("RGB")


def resize(image: Image.Image, factor: float = 0.5) -> Image.Image:
    w, h = image.size
    return image.resize((max(1, int(w * factor)), max(1, int(h * factor))), Image.Resampling.BILINEAR)


def brightness(image: Image.Image, factor: float = 1.3) -> Image.Image:
    return ImageEnhance.Brightness(image).enhance(factor)


def crop(image: Image.Image, share: float = 0.04) -> Image.Image:
    w, h = image.size
    dx, dy = int(w * share), int(h * share)
    return image.crop((dx, dy, w - dx, h - dy))


def watermark(image: Image.Image) -> Image.Image:
    """A channel handle stamped in a corner, half transparent, as re-posting channels do."""
    base = image.convert("RGBA")
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = base.size
    draw.rectangle((w - 96, h - 26, w - 8, h - 8), fill=(0, 0, 0, 110))
    draw.text((w - 90, h - 23), "@channel", fill=(255, 255, 255, 200))
    return Image.alpha_composite(base, layer).convert("RGB")


def mirror(image: Image.Image) -> Image.Image:
    return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)


def rotate90(image: Image.Image) -> Image.Image:
    return image.transpose(Image.Transpose.ROTATE_90)


EDITS = {
    "jpeg_q40": jpeg,
    "resize_half": resize,
    "brightness_1.3": brightness,
    "crop_4pct_each_side": crop,
    "watermark": watermark,
    "mirror": mirror,
    "rotate90": rotate90,
}


def good_seeds(count: int, start: int = 0, min_quality: int = 50) -> list[int]:
    """Seeds of generated images whose PDQ quality is high enough to be matched (a few generated
    pictures are too flat; Vigil reports those as low quality instead of matching them)."""
    from vigil.match.pdq import pdq_with_quality

    seeds: list[int] = []
    seed = start
    while len(seeds) < count:
        if pdq_with_quality(to_bytes(make_image(seed)))[1] >= min_quality:
            seeds.append(seed)
        seed += 1
    return seeds
