"""Where each region's capital is, for issues that carry no coordinates.

Coordinates (longitude, latitude, WGS84, rounded to about a kilometre) of the
town centres named as capitals in DOMAIN.md, as given by the towns' public
gazetteer entries (Wikipedia / GeoNames). Keyed on the Kemendagri code.
Kecamatan centres are not here: no public list of them could be checked
offline, so an issue without coordinates is placed near its region's capital.
"""

CAPITALS = {
    "19.01": ("Sungailiat", 106.118, -1.855),
    "19.02": ("Tanjung Pandan", 107.637, -2.742),
    "19.03": ("Toboali", 106.458, -3.011),
    "19.04": ("Koba", 106.406, -2.489),
    "19.05": ("Mentok", 105.160, -2.064),
    "19.06": ("Manggar", 108.272, -2.878),
    "19.71": ("Pangkalpinang", 106.113, -2.129),
}
