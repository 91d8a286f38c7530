"""Bilingual text for generated rows: vacancy descriptions, student bios, firm blurbs and Han names.

Everything here is a pure function of its arguments (and the ``random.Random`` passed in), so the same
seed writes the same words.
"""

from __future__ import annotations

import random
from itertools import accumulate

from .people import GIVEN_CHARS, SURNAMES

JOB_TYPE_LABELS = {
    "full_time": ("全职", "full-time"),
    "part_time": ("兼职", "part-time"),
    "internship": ("实习", "internship"),
}
CEFR_LABELS = {1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"}

_SURNAME_CUM = list(accumulate(weight for _, weight in SURNAMES))
_SURNAME_NAMES = [name for name, _ in SURNAMES]

FIRM_BLURBS = {
    "seller": (
        "在亚马逊、速卖通等平台销售{trade}产品的跨境卖家。",
        "A cross-border seller of {trade} on Amazon, AliExpress and other marketplaces.",
    ),
    "manufacturer": (
        "{trade}生产企业，正从传统外贸转向跨境电商。",
        "A {trade} manufacturer moving from traditional export to cross-border e-commerce.",
    ),
    "logistics": (
        "为本市跨境卖家提供头程、海外仓和清关服务。",
        "First-leg freight, overseas warehousing and clearance for the city's sellers.",
    ),
    "customs_broker": (
        "提供代报关、商品归类和出口退税服务。",
        "Customs brokerage (代报关), HS classification and export tax rebates.",
    ),
    "agency": (
        "为本地工厂提供跨境店铺代运营服务。",
        "Agency operation (代运营) of cross-border stores for local factories.",
    ),
    "payments": ("提供跨境收款、结汇和贸易融资服务。", "Cross-border collection, FX settlement and trade finance."),
    "platform": ("为跨境卖家提供软件和建站服务。", "Software and store-building services for cross-border sellers."),
}


def han_name(rng: random.Random) -> str:
    """A plausible Chinese full name: a surname by frequency and a one- or two-character given name."""
    surname = rng.choices(_SURNAME_NAMES, cum_weights=_SURNAME_CUM)[0]
    length = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(length))


def firm_blurb(category: str, trade_zh: str, trade_en: str) -> tuple[str, str]:
    """A one-line description of a generated firm in Chinese and English."""
    zh, en = FIRM_BLURBS.get(category, FIRM_BLURBS["seller"])
    return zh.format(trade=trade_zh), en.format(trade=trade_en.lower())


def vacancy_description(
    *,
    firm: tuple[str, str],
    blurb: tuple[str, str],
    title: tuple[str, str],
    duties: list[tuple[str, str]],
    required: list[tuple[str, str]],
    optional: list[tuple[str, str]],
    languages: list[tuple[str, str, int]],
    markets: list[tuple[str, str]],
    location: tuple[str, str],
    remote: bool,
    job_type: str,
) -> str:
    """A Chinese paragraph followed by its English counterpart; labels are (Chinese, English) pairs."""
    kind_zh, kind_en = JOB_TYPE_LABELS[job_type]
    zh = [f"{firm[0]}招聘{title[0]}。{blurb[0]}", "岗位职责："]
    zh += [f"{number}. {duty[0]}。" for number, duty in enumerate(duties, start=1)]
    zh += ["任职要求：", "- 必备技能：" + "、".join(label[0] for label in required)]
    if optional:
        zh.append("- 加分技能：" + "、".join(label[0] for label in optional))
    if languages:
        zh.append("- 语言：" + "；".join(f"{zh_name}{CEFR_LABELS[cefr]}及以上" for zh_name, _, cefr in languages))
    place_zh = (location[0] or "本市") + ("（可远程）" if remote else "")
    zh.append(f"目标市场：{'、'.join(m[0] for m in markets) or '不限'}。工作地点：{place_zh}。类型：{kind_zh}。")

    en = [f"{firm[1]} is hiring: {title[1]}. {blurb[1]}", "What you will do:"]
    en += [f"{number}. {duty[1]}." for number, duty in enumerate(duties, start=1)]
    en += ["What you need:", "- Required skills: " + ", ".join(label[1] for label in required)]
    if optional:
        en.append("- Nice to have: " + ", ".join(label[1] for label in optional))
    if languages:
        en.append(
            "- Languages: " + "; ".join(f"{en_name} {CEFR_LABELS[cefr]} or better" for _, en_name, cefr in languages)
        )
    place_en = (location[1] or "in the city") + (" (remote possible)" if remote else "")
    en.append(f"Markets: {', '.join(m[1] for m in markets) or 'any'}. Location: {place_en}. Type: {kind_en}.")
    return "\n".join(zh) + "\n\n" + "\n".join(en)


def student_bio(
    *,
    major: tuple[str, str],
    graduation_year: int | None,
    this_year: int,
    strengths: list[tuple[str, str]],
    trainee_years: int = 0,
) -> str:
    """Two sentences about a student or trainee, in Chinese then English."""
    zh_skills = "、".join(label[0] for label in strengths)
    en_skills = " and ".join(label[1] for label in strengths)
    if trainee_years:
        zh = f"从事传统外贸{trainee_years}年，正在市跨境电商公共服务中心参加免费培训，擅长{zh_skills}。"
        en = (
            f"{trainee_years} years in traditional foreign trade, now retraining in cross-border e-commerce at "
            f"the city's public training centre; strongest in {en_skills}."
        )
        return f"{zh}\n\n{en}"
    if graduation_year <= this_year:
        zh = f"{major[0]}专业{graduation_year}届毕业生，擅长{zh_skills}。"
        en = f"Graduate in {major[1]} (class of {graduation_year}); strongest in {en_skills}."
    else:
        zh = f"{major[0]}专业{graduation_year}届在读学生，擅长{zh_skills}。"
        en = f"Student of {major[1]}, graduating in {graduation_year}; strongest in {en_skills}."
    return f"{zh}\n\n{en}"
