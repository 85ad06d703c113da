"""Demo data for a kiosk that has not been set up yet, and realistic demo ballots."""

from __future__ import annotations

import random
from typing import Final

from kiosk.roster import DEMO_ROSTER
from wire.vote import Ballot, Target

# (code, Thai, English) of the demo roster's active entries (kiosk/roster.py), for callers
# that want plain tuples; a kiosk set up by a clerk uses its own roster.json instead.
DEMO_STAFF: Final = tuple((m.id, m.name_th, m.name_en) for m in DEMO_ROSTER.active_staff())
DEMO_UNITS: Final = tuple((u.id, u.name_th, u.name_en) for u in DEMO_ROSTER.active_units())
DEMO_SERVICES: Final = tuple((s.code, s.name_th, s.name_en) for s in DEMO_ROSTER.active_services())
DEMO_TAGS: Final = tuple((t.code, t.label_th, t.label_en) for t in DEMO_ROSTER.active_tags())
DEMO_STORIES: Final = (
    "เจ้าหน้าที่พูดจาสุภาพ อธิบายขั้นตอนชัดเจน ขอบคุณมากค่ะ",
    "มาทำบัตรประชาชนใหม่ ใช้เวลาไม่ถึงสิบนาที ประทับใจครับ",
    "คุณป้าอายุเยอะ เจ้าหน้าที่ช่วยพาไปนั่งและกรอกเอกสารให้ น้ำใจดีมาก",
    "ห้องน้ำสะอาด มีที่นั่งรอเพียงพอ",
    "บริการรวดเร็วทันใจ 👍",
    "รอนานไปหน่อย แต่เจ้าหน้าที่ใจดี",
)
# Roughly the 2021 campaign's mix: mostly very satisfied, a thin tail of unhappy citizens.
RATING_WEIGHTS: Final = {5: 62, 4: 24, 3: 9, 2: 3, 1: 2}


def random_choices(
    rng: random.Random, rating: int
) -> tuple[Target | None, str | None, tuple[str, ...]]:
    """Return what a citizen with this rating picks: often a target, a service, tags if pleased."""
    roll = rng.random()
    target: Target | None = None
    if roll < 0.55:
        target = Target("staff", rng.choice(DEMO_STAFF)[0])
    elif roll < 0.85:
        target = Target("unit", rng.choice(DEMO_UNITS)[0])
    service = rng.choice(DEMO_SERVICES)[0] if rng.random() < 0.6 else None
    tags: tuple[str, ...] = ()
    if rating >= 4 and rng.random() < 0.7:
        tags = tuple(t[0] for t in rng.sample(DEMO_TAGS, rng.randint(1, 3)))
    return target, service, tags


def random_ballot(rng: random.Random, district: str) -> Ballot:
    """Return a plausible ballot: a weighted rating, often a target and tags, sometimes a story."""
    rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
    target, service, tags = random_choices(rng, rating)
    story = rng.choice(DEMO_STORIES) if rng.random() < 0.2 else ""
    lang = "en" if rng.random() < 0.05 else "th"
    return Ballot(
        district=district,
        rating=rating,
        target=target,
        service=service,
        tags=tags,
        story=story,
        lang=lang,
    )
