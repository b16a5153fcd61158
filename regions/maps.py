"""The county map, drawn on the server as SVG from the municipality outlines in
regions/data/municipalities_2020_viken_innlandet.geojson (© Kartverket, CC BY 4.0).

No tile server and no outside request: the outlines are projected once (equirectangular, x scaled
by cos of a fixed latitude so shapes keep their proportions at 60° N) into SVG path strings, cached
in memory, and each map crops to its municipalities with the viewBox.
"""

import json
import math
from functools import lru_cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "data" / "municipalities_2020_viken_innlandet.geojson"
LATITUDE = 61.0
SCALE = 100.0  # SVG units per degree of latitude
PADDING = 8.0
STRIPE = 3  # width of one stripe in the hatch; an int, as bokmål prints a float as "3,0" (invalid SVG)

# A fixed palette of distinct colours (Paul Tol's muted and light schemes and Okabe-Ito), each
# dark enough against the light grey of non-members and told apart by name in legend and table.
PALETTE = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#661100",
    "#6699CC",
    "#F0E442",
]
NON_MEMBER = "#D9D9D9"


def region_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _project(lon, lat):
    return lon * math.cos(math.radians(LATITUDE)) * SCALE, -lat * SCALE


@lru_cache(maxsize=1)
def outlines():
    """{number: (path d, (min_x, min_y, max_x, max_y))} for every municipality in the geojson."""
    with open(GEOJSON, encoding="utf-8") as handle:
        data = json.load(handle)
    shapes = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        parts, xs, ys = [], [], []
        for polygon in polygons:
            for ring in polygon:
                points = [_project(lon, lat) for lon, lat in ring]
                xs.extend(x for x, _ in points)
                ys.extend(y for _, y in points)
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        shapes[feature["properties"]["number"]] = ("".join(parts), (min(xs), min(ys), max(xs), max(ys)))
    return shapes


def outline_number_for(municipality):
    """The number whose 2020 outline draws this municipality: its own, or (for a renumbered
    municipality such as Halden 3101) that of its single predecessor."""
    shapes = outlines()
    seen = 0
    while municipality is not None and seen < 5:
        if municipality.number in shapes:
            return municipality.number
        predecessors = list(municipality.predecessors.all())
        municipality = predecessors[0] if len(predecessors) == 1 else None
        seen += 1
    return None


def pattern_id(colours):
    return "hatch-" + "-".join(c.lstrip("#").lower() for c in colours)


def build_map(rows):
    """The SVG data for the overview rows: each row has municipality, fill (a colour or a hatch
    pattern reference) and title. Rows without an outline are left off the map (the table has them)."""
    shapes = outlines()
    paths, boxes, patterns = [], [], {}
    for row in rows:
        number = row["outline"]
        if number is None:
            continue
        d, box = shapes[number]
        boxes.append(box)
        if row["pattern"]:
            patterns[row["pattern"]] = row["colours"]
        paths.append({"number": row["municipality"].number, "d": d, "fill": row["fill"], "title": row["title"]})
    if not boxes:
        return None
    min_x = min(b[0] for b in boxes) - PADDING
    min_y = min(b[1] for b in boxes) - PADDING
    width = max(b[2] for b in boxes) - min_x + PADDING
    height = max(b[3] for b in boxes) - min_y + PADDING
    return {
        "view_box": f"{min_x:.1f} {min_y:.1f} {width:.1f} {height:.1f}",
        "paths": paths,
        "patterns": [
            {
                "id": pid,
                "width": STRIPE * len(colours),
                "stripes": [{"x": STRIPE * i, "colour": colour} for i, colour in enumerate(colours)],
            }
            for pid, colours in patterns.items()
        ],
    }
