"""Country and region names, so an event that names a city and its country ("Moscow", "Russia")
takes the city as its ``place`` and the country as its ``country``.

Where it sits: used by `attacks` when it combines the mentions of one attack.
"""

from __future__ import annotations

_REGIONS = """
russia, syria, iraq, afghanistan, pakistan, iran, egypt, libya, yemen, nigeria, somalia, mali, niger, chad,
cameroon, kenya, mozambique, burkina faso, new zealand, united states, us, u.s., usa, america,
united kingdom, uk, britain, england, france, germany, belgium, spain, italy, austria, sweden, norway,
denmark, netherlands, turkey, israel, palestine, lebanon, jordan, saudi arabia, india, bangladesh,
sri lanka, philippines, indonesia, tajikistan, kyrgyzstan, uzbekistan, kazakhstan, ukraine, colombia, peru,
el salvador, guatemala, honduras, nicaragua, chile, bolivia, ecuador, mexico, venezuela, canada, australia,
europe, africa, asia, middle east, west africa, east africa, sahel
"""
_REGION_NAMES = frozenset(name.strip() for name in _REGIONS.replace("\n", " ").split(",") if name.strip())


def is_region(place: str) -> bool:
    """Whether ``place`` is a country or a wide region rather than a city, town or site."""
    return place.lower().removeprefix("the ") in _REGION_NAMES
