"""UTM zone 32N (EPSG:6707's projection) to and from longitude/latitude, by Krüger's series, without PROJ.

Validation uses it to tell a footprint that is merely elsewhere from one whose latitude and longitude were
swapped: it needs metres, not millimetres. The series (Karney, "Transverse Mercator with an accuracy of a
few nanometers", J. Geodesy 2011, to the fourth order in n) stay within centimetres inside UTM's own zones
and within a few metres some 35° of longitude away from the central meridian, where a swapped Italian
latitude lands.
"""

from __future__ import annotations

import math

A_GRS80 = 6_378_137.0
F_GRS80 = 1 / 298.257222101
K0 = 0.9996
FALSE_EASTING = 500_000.0
CENTRAL_MERIDIAN = 9.0  # zone 32

_N = F_GRS80 / (2 - F_GRS80)
_RADIUS = A_GRS80 / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_ALPHA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16 + 41 * _N**4 / 180,
    13 * _N**2 / 48 - 3 * _N**3 / 5 + 557 * _N**4 / 1440,
    61 * _N**3 / 240 - 103 * _N**4 / 140,
    49561 * _N**4 / 161280,
)
_BETA = (
    _N / 2 - 2 * _N**2 / 3 + 37 * _N**3 / 96 - _N**4 / 360,
    _N**2 / 48 + _N**3 / 15 - 437 * _N**4 / 1440,
    17 * _N**3 / 480 - 37 * _N**4 / 840,
    4397 * _N**4 / 161280,
)
_DELTA = (
    2 * _N - 2 * _N**2 / 3 - 2 * _N**3 + 116 * _N**4 / 45,
    7 * _N**2 / 3 - 8 * _N**3 / 5 - 227 * _N**4 / 45,
    56 * _N**3 / 15 - 136 * _N**4 / 35,
    4279 * _N**4 / 630,
)
_E = 2 * math.sqrt(_N) / (1 + _N)


def to_utm32(lon: float, lat: float) -> tuple[float, float] | None:
    """EPSG:6707 easting and northing of a longitude/latitude in degrees; None where the projection has none
    (90° or more from the central meridian, or beyond the poles)."""
    dlon = math.radians((lon - CENTRAL_MERIDIAN + 180) % 360 - 180)
    if abs(lat) > 90 or abs(dlon) >= math.pi / 2 - 1e-9:
        return None
    phi = math.radians(lat)
    sin_phi = math.sin(phi)
    if abs(sin_phi) >= 1:
        return None
    t = math.sinh(math.atanh(sin_phi) - _E * math.atanh(_E * sin_phi))
    xi_ = math.atan2(t, math.cos(dlon))
    eta_ = math.atanh(math.sin(dlon) / math.sqrt(1 + t * t))
    xi, eta = xi_, eta_
    for j, alpha in enumerate(_ALPHA, 1):
        xi += alpha * math.sin(2 * j * xi_) * math.cosh(2 * j * eta_)
        eta += alpha * math.cos(2 * j * xi_) * math.sinh(2 * j * eta_)
    return FALSE_EASTING + K0 * _RADIUS * eta, K0 * _RADIUS * xi


def from_utm32(easting: float, northing: float) -> tuple[float, float] | None:
    """Longitude and latitude in degrees of an EPSG:6707 easting and northing; None where there is none."""
    xi = northing / (K0 * _RADIUS)
    eta = (easting - FALSE_EASTING) / (K0 * _RADIUS)
    if not (math.isfinite(xi) and math.isfinite(eta)) or abs(eta) > 10 or abs(xi) > math.pi:
        return None
    xi_, eta_ = xi, eta
    for j, beta in enumerate(_BETA, 1):
        xi_ -= beta * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        eta_ -= beta * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
    chi = math.asin(max(-1.0, min(1.0, math.sin(xi_) / math.cosh(eta_))))
    phi = chi + sum(delta * math.sin(2 * j * chi) for j, delta in enumerate(_DELTA, 1))
    lon = CENTRAL_MERIDIAN + math.degrees(math.atan2(math.sinh(eta_), math.cos(xi_)))
    return lon, math.degrees(phi)
