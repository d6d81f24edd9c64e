"""快递业信用等级 — the credit class of an express / logistics firm (寄递物流信用).

The postal administration grades express firms (《快递业信用管理暂行办法》,
国邮发〔2017〕105号) and treats them differently by class; it sets that scale, so the gateway
keeps it configurable. The gateway holds
one signal of a carrier's conduct itself — the share of empty parcels (空包, a brushing signal)
among all it carried — so the class is read off that share on a configurable scale:
``"A:0.002,B:0.01,C:0.05,D"`` means at most 0.2 % empty parcels is A, at most 1 % B, at most
5 % C, and anything more D.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SCALE = "A:0.002,B:0.01,C:0.05,D"


class CarrierScaleError(ValueError):
    """A carrier-class scale that cannot be read."""


@dataclass(frozen=True)
class CarrierScale:
    """Classes best first, each with the largest empty-parcel share it allows; the last
    class takes every share above the bounds."""

    bounds: tuple[tuple[str, float], ...]
    worst: str

    @classmethod
    def parse(cls, text: str) -> CarrierScale:
        *bounded, worst = (part.strip() for part in text.split(","))
        bounds: list[tuple[str, float]] = []
        for part in bounded:
            grade, sep, limit = part.partition(":")
            try:
                share = float(limit)
            except ValueError:
                share = -1.0
            if not sep or not grade.strip() or not 0 <= share <= 1:
                raise CarrierScaleError(f"{part!r} is not CLASS:SHARE with a share from 0 to 1")
            bounds.append((grade.strip(), share))
        shares = [share for _, share in bounds]
        if not worst or ":" in worst or shares != sorted(shares):
            raise CarrierScaleError(
                f"{text!r}: give CLASS:SHARE pairs with rising shares, then the last class")
        return cls(tuple(bounds), worst)

    def grade(self, empty_share: float) -> str:
        return next((grade for grade, limit in self.bounds if empty_share <= limit), self.worst)

    @property
    def classes(self) -> tuple[str, ...]:
        return (*(grade for grade, _ in self.bounds), self.worst)


DEFAULT = CarrierScale.parse(DEFAULT_SCALE)
