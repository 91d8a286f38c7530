"""The sign-in accounts of the demo, one per role, and the hand-made data that makes them worth trying.

The demo student's profile is written against the demo firm's vacancies: it fits the first one well,
and lacks one or two required skills for the others, so the "why" and "what you lack" views have
something to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from .organisations import DEMO_FIRM_SLUG, DEMO_GOVERNMENT_SLUG, DEMO_UNIVERSITY_SLUG, PENDING_FIRM_SLUG

DEMO_DOMAIN = "demo.talentmatch.cn"
DEMO_PASSWORD = "TalentMatch-2026"  # noqa: S105 - documented demo password (docs/demo-accounts.md)
EXTERNAL_PREFIX = "demo-"


@dataclass(frozen=True)
class DemoAccount:
    """A documented demo sign-in: email, role, the person's name and the organisation they belong to."""

    email: str
    role: str
    full_name: str
    organisation: str | None
    about: str


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        f"student@{DEMO_DOMAIN}",
        "student",
        "林晓雯",
        None,
        "Student of cross-border e-commerce at Guicheng University of Technology (graduates this year)",
    ),
    DemoAccount(
        f"firm@{DEMO_DOMAIN}",
        "firm",
        "陈建华",
        DEMO_FIRM_SLUG,
        "Admin of 精华纺织 / Jinghua Textiles (approved firm with open vacancies)",
    ),
    DemoAccount(
        f"university@{DEMO_DOMAIN}",
        "university",
        "周雅琴",
        DEMO_UNIVERSITY_SLUG,
        "Career-office staff of 桂城理工大学 / Guicheng University of Technology",
    ),
    DemoAccount(
        f"government@{DEMO_DOMAIN}",
        "government",
        "王志强",
        DEMO_GOVERNMENT_SLUG,
        "Staff of 市商务局 / Municipal Bureau of Commerce",
    ),
    DemoAccount(f"admin@{DEMO_DOMAIN}", "admin", "赵明远", None, "Platform admin (is_staff + is_superuser)"),
    DemoAccount(
        f"pending-firm@{DEMO_DOMAIN}",
        "firm",
        "何海川",
        PENDING_FIRM_SLUG,
        "Admin of 海川跨境供应链 / Haichuan Cross-border Supply Chain (awaiting approval)",
    ),
]

DEMO_STUDENT = {
    "major": "cross_border",
    "university": DEMO_UNIVERSITY_SLUG,
    "graduation_offset": 0,  # graduates this year
    "city": "武汉",
    "phone": "+86 139 0000 2026",
    "skills": {
        "platform.amazon_seller_central": 4,
        "platform.listing_optimization": 4,
        "product.product_selection": 3,
        "logistics.fba": 3,
        "marketing.amazon_ppc": 3,
        "platform.keyword_research": 3,
        "content.listing_copywriting": 3,
        "data_it.spreadsheet_analysis": 3,
        "data_it.excel_pivot_tables": 3,
        "product.textiles_apparel": 3,
        "platform.alibaba_international": 3,
        "content.photoshop": 3,
        "management.communication": 4,
        "management.teamwork": 4,
    },
    "course_skills": ("platform.amazon_seller_central", "platform.listing_optimization", "logistics.fba"),
    "languages": {"lang.en": 4, "lang.ja": 2},
    "pref_locations": ["ecommerce_park", "economic_dev_zone", "city_centre"],
    "pref_job_types": ["full_time", "internship"],
    "pref_markets": ["united_states", "japan", "european_union"],
    "bio": "跨境电子商务专业应届毕业生，在精华纺织实习期间负责亚马逊日本站上新和广告，熟悉FBA补货。\n\n"
    "Cross-border e-commerce graduate; as an intern I listed products and ran ads on Amazon Japan "
    "and know FBA replenishment.",
}

# The demo firm's own vacancies: (title zh, title en, archetype, required {code: (level, weight)},
# optional {code: (level, weight)}, languages {code: min CEFR}, markets, job type, salary).
DEMO_FIRM_VACANCIES = [
    {
        "title": ("亚马逊运营专员（家纺）", "Amazon Operations Specialist (Home Textiles)"),
        "archetype": "amazon_operator",
        "required": {
            "platform.amazon_seller_central": (3, 3.0),
            "platform.listing_optimization": (3, 2.0),
            "product.product_selection": (3, 2.0),
            "logistics.fba": (2, 1.5),
        },
        "optional": {
            "marketing.amazon_ppc": (3, 1.0),
            "data_it.excel_pivot_tables": (3, 1.0),
            "product.textiles_apparel": (2, 1.0),
        },
        "languages": {"lang.en": 3},
        "markets": ["united_states", "japan"],
        "job_type": "full_time",
        "salary": (6000, 9000),
        "openings": 2,
    },
    {
        "title": ("亚马逊广告与数据运营", "Amazon Advertising and Data Operator"),
        "archetype": "ads_specialist",
        "required": {
            "marketing.amazon_ppc": (3, 3.0),
            "data_it.data_analysis": (3, 2.0),
            "data_it.spreadsheet_analysis": (3, 1.5),
        },
        "optional": {"data_it.sql": (2, 1.0), "data_it.bi_tools": (2, 0.8), "platform.keyword_research": (3, 1.0)},
        "languages": {"lang.en": 3},
        "markets": ["united_states", "european_union"],
        "job_type": "full_time",
        "salary": (7000, 11000),
        "openings": 1,
    },
    {
        "title": (
            "阿里巴巴国际站外贸业务员（日本、德国）",
            "B2B Sales Representative, Alibaba.com (Japan and Germany)",
        ),
        "archetype": "alibaba_b2b",
        "required": {
            "platform.alibaba_international": (3, 3.0),
            "trade.inquiry_quotation": (3, 2.5),
            "trade.foreign_trade_practice": (3, 2.0),
        },
        "optional": {
            "product.textiles_apparel": (3, 1.0),
            "trade.trade_fairs": (2, 1.0),
            "management.negotiation": (3, 1.0),
        },
        "languages": {"lang.en": 4},
        "markets": ["japan", "germany"],
        "job_type": "full_time",
        "salary": (5000, 9000),
        "openings": 2,
    },
    {
        "title": ("家纺产品视觉设计（实习）", "Home-textile Visual Designer (Intern)"),
        "archetype": "designer",
        "required": {
            "content.photoshop": (3, 2.5),
            "content.product_photography": (3, 2.0),
            "content.ecommerce_graphic_design": (3, 2.0),
        },
        "optional": {"content.a_plus_content": (2, 1.0), "content.canva": (2, 0.8)},
        "languages": {},
        "markets": ["united_states", "japan"],
        "job_type": "internship",
        "salary": (3000, 4000),
        "openings": 1,
    },
]
