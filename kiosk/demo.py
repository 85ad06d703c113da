"""Demo data for a kiosk that has not been set up yet: its roster, and realistic ballots.

A demo kiosk with no roster.json shows ``DEMO_ROSTER``; ``demo_roster_with_staff`` makes rosters
of any size for screenshots and tests.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Final

from kiosk.roster import (
    DEFAULT_CONCERNS,
    DEFAULT_TAGS,
    Roster,
    RosterError,
    Service,
    StaffMember,
    Unit,
)
from wire.vote import Ballot, Target

# --- the demo district's roster ------------------------------------------------------------

DEMO_ROSTER: Final = Roster(
    staff=(
        StaffMember(
            "s01",
            "นางสาวกานดา ใจดี",
            "Ms Kanda Jaidee",
            "เจ้าพนักงานปกครอง",
            "Administration Officer",
        ),
        StaffMember(
            "s02", "นายสมชาย รักงาน", "Mr Somchai Rakngan", "ปลัดอำเภอ", "Assistant District Chief"
        ),
        StaffMember(
            "s03", "นางพรทิพย์ ศรีสุข", "Mrs Pornthip Srisuk", "เจ้าพนักงานธุรการ", "Clerical Officer"
        ),
        StaffMember(
            "s04", "นายวีระ มั่นคง", "Mr Weera Mankong", "นายทะเบียนอำเภอ", "District Registrar"
        ),
        StaffMember(
            "s05",
            "นายเอกชัย บุญมา",
            "Mr Ekkachai Boonma",
            "เจ้าพนักงานปกครอง",
            "Administration Officer",
        ),
        StaffMember(
            "s06",
            "ว่าที่ร้อยตรีประเสริฐ แก้วมณี",
            "Acting Sub-Lt Prasert Kaewmanee",
            "ปลัดอำเภอ (ศูนย์ดำรงธรรม)",
            "Assistant District Chief (Damrongdhama Centre)",
        ),
        StaffMember(
            "s07",
            "นางสาวอรุณี ทองดี",
            "Ms Arunee Thongdee",
            "เจ้าพนักงานการเงินและบัญชี",
            "Finance and Accounts Officer",
        ),
        StaffMember(
            "s08",
            "นางสุดารัตน์ แสงทอง",
            "Mrs Sudarat Saengthong",
            "พนักงานบันทึกข้อมูล",
            "Data Entry Clerk",
        ),
        # Transferred to another district: hidden from citizens, kept for the votes about him.
        StaffMember(
            "s09",
            "นายไพโรจน์ ใจกว้าง",
            "Mr Pairoj Jaikwang",
            "ปลัดอำเภอ",
            "Assistant District Chief",
            retired=True,
        ),
    ),
    units=(
        Unit("civil-registration", "งานทะเบียนราษฎร", "Civil Registration"),
        Unit("id-card", "งานบัตรประจำตัวประชาชน", "ID Card Service"),
        Unit("damrongdhama", "ศูนย์ดำรงธรรม", "Damrongdhama Centre"),
        Unit("administration", "งานปกครอง", "Local Administration"),
        Unit("general-registration", "งานทะเบียนทั่วไป", "General Registration"),
        Unit("finance", "งานการเงินและบัญชี", "Finance and Accounts"),
    ),
    services=(
        Service("id-card", "ทำบัตรประชาชน", "ID card"),
        Service("birth", "แจ้งเกิด", "Birth registration"),
        Service("death", "แจ้งตาย", "Death registration"),
        Service("house-registration", "ย้ายที่อยู่/ทะเบียนบ้าน", "Change of address"),
        Service("certificate", "ขอหนังสือรับรอง", "Certificates"),
        Service("marriage", "จดทะเบียนสมรส", "Marriage registration"),
        Service("name-change", "เปลี่ยนชื่อ-ชื่อสกุล", "Change of name"),
        Service("complaint", "ร้องเรียน/ร้องทุกข์", "Complaints"),
        Service("other", "อื่น ๆ", "Other"),
    ),
    tags=DEFAULT_TAGS,  # what a kiosk a clerk has just set up offers too
    concerns=DEFAULT_CONCERNS,
)

# (Thai title, English title, Thai given name, English given name) and family names, for
# generated staff: fictional, but the kind of names a district office's roster holds.
_GIVEN: Final = (
    ("นาย", "Mr", "ธนากร", "Thanakorn"),
    ("นางสาว", "Ms", "วราภรณ์", "Waraporn"),
    ("นาง", "Mrs", "สมศรี", "Somsri"),
    ("นาย", "Mr", "อนุชา", "Anucha"),
    ("นางสาว", "Ms", "ปิยะนุช", "Piyanuch"),
    ("ว่าที่ร้อยตรี", "Acting Sub-Lt", "ณัฐพล", "Nattapon"),
    ("นาง", "Mrs", "บุษบา", "Busaba"),
    ("นาย", "Mr", "ชัยวัฒน์", "Chaiwat"),
    ("นางสาว", "Ms", "เพ็ญศรี", "Pensri"),
    ("นาย", "Mr", "สุรเชษฐ์", "Surachet"),
    ("นาง", "Mrs", "รัตนา", "Rattana"),
    ("นาย", "Mr", "ไพศาล", "Paisan"),
    ("นางสาว", "Ms", "จิราพร", "Jiraporn"),
    ("นาย", "Mr", "ธีรวัฒน์", "Teerawat"),
    ("นาง", "Mrs", "อำไพ", "Ampai"),
    ("นาย", "Mr", "โกวิท", "Kowit"),
    ("นางสาว", "Ms", "ศิริพร", "Siriporn"),
    ("นาย", "Mr", "บุญเลิศ", "Boonlert"),
    ("นาง", "Mrs", "มาลัย", "Malai"),
    ("นางสาว", "Ms", "แสงเดือน", "Saengduean"),
)
_FAMILY: Final = (
    ("สายทอง", "Saithong"),
    ("พรหมมา", "Promma"),
    ("ศรีวงศ์", "Sriwong"),
    ("คำแก้ว", "Khamkaew"),
    ("บุญเรือง", "Boonruang"),
    ("จันทร์หอม", "Chanhom"),
    ("ทองคำ", "Thongkham"),
    ("วงศ์ใหญ่", "Wongyai"),
    ("สุขสวัสดิ์", "Suksawat"),
    ("อินทร์แก้ว", "Inkaew"),
    ("มีสุข", "Meesuk"),
    ("พันธ์ดี", "Pandee"),
    ("เรืองศรี", "Ruangsri"),
    ("ศรีสมบูรณ์", "Srisomboon"),
    ("แก้วประเสริฐ", "Kaewprasert"),
    ("ชัยมงคล", "Chaimongkol"),
    ("นาคสุข", "Naksuk"),
    ("ประทุมมา", "Prathumma"),
    ("ไชยวงศ์", "Chaiwong"),
    ("บุญประเสริฐ", "Boonprasert"),
    ("ดวงจันทร์", "Duangchan"),
)
_POSITIONS: Final = (
    ("เจ้าพนักงานปกครอง", "Administration Officer"),
    ("ปลัดอำเภอ", "Assistant District Chief"),
    ("เจ้าพนักงานธุรการ", "Clerical Officer"),
    ("พนักงานบันทึกข้อมูล", "Data Entry Clerk"),
    ("เจ้าพนักงานการเงินและบัญชี", "Finance and Accounts Officer"),
    ("นักจัดการงานทั่วไป", "General Administration Officer"),
)


def demo_roster_with_staff(n: int) -> Roster:
    """Return the demo roster with n active staff: the demo's own first, then generated ones."""
    if n < 0:
        raise RosterError(f"a roster cannot have {n} staff")
    staff = list(DEMO_ROSTER.active_staff()[:n])
    for i in range(len(staff), n):
        # 20 given and 21 family names: every (given, family) pair differs for i < 420.
        th_title, en_title, given_th, given_en = _GIVEN[i % len(_GIVEN)]
        family_th, family_en = _FAMILY[i % len(_FAMILY)]
        position_th, position_en = _POSITIONS[i % len(_POSITIONS)]
        staff.append(
            StaffMember(
                f"s{i + 1:02d}",
                f"{th_title}{given_th} {family_th}",
                f"{en_title} {given_en} {family_en}",
                position_th,
                position_en,
            )
        )
    return replace(DEMO_ROSTER, staff=tuple(staff))


# --- demo ballots --------------------------------------------------------------------------

# (code, Thai, English) of the demo roster's active entries, for callers that want plain
# tuples; a kiosk set up by a clerk uses its own roster.json instead.
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
