"""Gregorian → Solar Hijri (Jalali) dates; Babel has no Persian calendar.

The arithmetic is the widely used algorithm by Borkowski/Ghasemi (as in
`jalaali-js`), exact for the years any letter will mention (1800–2400 CE).
"""

from __future__ import annotations

from datetime import date

_BREAKS = (
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262,
    2324, 2394, 2456, 3178,
)  # fmt: skip


def _jal_cal(jy: int) -> tuple[int, int, int]:
    """Return (leap, gregorian year, day of March when the Jalali year starts)."""
    gy = jy + 621
    leap_j = -14
    jp = _BREAKS[0]
    jump = 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if jy < jm:
            break
        leap_j += jump // 33 * 8 + (jump % 33) // 4
        jp = jm
    n = jy - jp
    leap_j += n // 33 * 8 + ((n % 33) + 3) // 4
    if jump % 33 == 4 and jump - n == 4:
        leap_j += 1
    leap_g = gy // 4 - (gy // 100 + 1) * 3 // 4 - 150
    march = 20 + leap_j - leap_g
    if jump - n < 6:
        n = n - jump + (jump + 4) // 33 * 33
    remainder = ((n + 1) % 33) - 1
    leap = 4 if remainder == -1 else remainder % 4  # truncating modulo, as in the original
    return leap, gy, march


def to_jalali(day: date) -> tuple[int, int, int]:
    """(year, month 1–12, day) in the Solar Hijri calendar."""
    jy = day.year - 621
    leap, gy, march = _jal_cal(jy)
    start = date(gy, 3, march).toordinal()
    k = day.toordinal() - start
    if k >= 0:
        if k <= 185:
            return jy, 1 + k // 31, k % 31 + 1
        k -= 186
    else:
        jy -= 1
        k += 179
        if leap == 1:
            k += 1
    return jy, 7 + k // 30, k % 30 + 1
