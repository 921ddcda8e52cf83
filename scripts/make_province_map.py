"""Make the outline of Kepulauan Bangka Belitung from Natural Earth land data.

Run once, by hand, when the outline should change; its output is committed:

    mkdir /tmp/atlas && cd /tmp/atlas && npm install world-atlas@2.0.2
    python scripts/make_province_map.py /tmp/atlas/node_modules/world-atlas/land-10m.json

The input is the `world-atlas` npm package (ISC licence, Mike Bostock), which
serves Natural Earth's 1:10m land polygons (public domain) as TopoJSON. This
script decodes the TopoJSON, keeps the land inside the province's bounding box
(clipping the rings that cross it), simplifies every ring with Douglas-Peucker
and writes rakortek/figures/province_land.json: a list of rings in degrees,
each marked whether it lies wholly inside the box (the province's islands) or
was cut by it (Sumatra, across the Bangka Strait). No request is made.
"""

import json
import sys
from pathlib import Path

# West, south, east, north (degrees): Bangka, Belitung and the small islands around them.
BBOX = (105.0, -3.5, 108.45, -1.45)
TOLERANCE = 0.004  # degrees (about 450 m): below the data's own quantisation step
MIN_POINTS = 4
OUTPUT = Path(__file__).resolve().parent.parent / "rakortek" / "figures" / "province_land.json"


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    move_x, move_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def ring_points(indexes, arcs):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def rings(topology):
    arcs = decode_arcs(topology)
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                yield ring_points(ring, arcs)


def inside_box(point):
    x, y = point
    return BBOX[0] <= x <= BBOX[2] and BBOX[1] <= y <= BBOX[3]


def clip(points):
    """Sutherland-Hodgman against the box, one edge at a time."""
    edges = [
        (lambda p: p[0] >= BBOX[0], lambda a, b: _at_x(a, b, BBOX[0])),
        (lambda p: p[0] <= BBOX[2], lambda a, b: _at_x(a, b, BBOX[2])),
        (lambda p: p[1] >= BBOX[1], lambda a, b: _at_y(a, b, BBOX[1])),
        (lambda p: p[1] <= BBOX[3], lambda a, b: _at_y(a, b, BBOX[3])),
    ]
    for keeps, cross in edges:
        result = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if keeps(current):
                if not keeps(previous):
                    result.append(cross(previous, current))
                result.append(current)
            elif keeps(previous):
                result.append(cross(previous, current))
        points = result
        if not points:
            break
    return points


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points, tolerance):
    """Douglas-Peucker on an open polyline (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def main(source):
    topology = json.loads(Path(source).read_text())
    shapes = []
    seen = kept = 0
    for points in rings(topology):
        if not any(inside_box(p) for p in points) and not _crosses(points):
            continue
        seen += 1
        whole = all(inside_box(p) for p in points)
        clipped = points if whole else clip(points)
        # Split the closed ring open at its first point so the simplification keeps it.
        simple = simplify(clipped + [clipped[0]], TOLERANCE)[:-1] if clipped else []
        if len(simple) < MIN_POINTS - 1:
            continue
        kept += 1
        shapes.append(
            {
                "province": whole,
                "ring": [[round(x, 4), round(y, 4)] for x, y in simple],
            }
        )
    OUTPUT.write_text(
        json.dumps(
            {
                "source": "Natural Earth 1:10m land (public domain), via world-atlas 2.0.2 "
                "land-10m.json (ISC); clipped and simplified by scripts/make_province_map.py",
                "bbox": BBOX,
                "shapes": shapes,
            },
            separators=(",", ":"),
        )
        + "\n"
    )
    total = sum(len(shape["ring"]) for shape in shapes)
    print(f"{seen} rings touch the box, {kept} kept, {total} points -> {OUTPUT}")


def _crosses(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs) <= BBOX[2] and max(xs) >= BBOX[0] and min(ys) <= BBOX[3] and max(ys) >= BBOX[1]


if __name__ == "__main__":
    main(sys.argv[1])
