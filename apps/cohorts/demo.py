"""Demo training data: 校企政 programmes, their courses and cohorts, enrollments of demo students, course credits
and placements, so the university pages and the government report's training section have something to show.

Ten programmes (``PROGRAMMES``), each run by one of the demo universities or the public training centre, funded
by one of the two bureaus and co-run by partner firms from the approved demo firms. Their courses teach taxonomy
skills that open vacancies require (a few demanded skills stay untaught on purpose, ``UNTAUGHT``, so the report's
"skills no course teaches" has rows). Every course runs in *intakes* relative to the day of seeding: three past
ones (completed), one running and one upcoming (taking enrollments); a large intake is split into classes of
at most ``CLASS_SIZE`` people, one ``Cohort`` each.

Trainees are demo students picked one by one from their own seeded generator (three in ten of the first 400, then
7 %, at most ``MAX_TRAINEES``), so student 17 gets the same course, intake and result in a set of 400 and in
one of 100,000. The demo student is always in the running cohort of the demo university's data-analysis course
(her skills do not change: it has not ended). Completing a cohort credits its course's skills through
``services.credits_grant`` (the batch path the roster import uses), one call per cohort. A completed trainee
already hired through the applications pipeline keeps that placement; others are placed by staff with the
programme's own likelihood and delay, mostly at partner firms, so placement rates fall above or below target.

Rows are written with ``bulk_create`` inside one transaction, match recomputes suppressed. ``seed_demo`` calls
``demo_training`` after the outcome histories; ``seed_demo --training-only`` adds it to an existing demo set.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import ApprovalStatus, Membership
from apps.jobs.models import Vacancy, VacancySkill
from apps.matching.triggers import suppressed
from apps.skills.models import Skill
from apps.talent.models import StudentProfile

from .models import (
    Cohort,
    Course,
    CourseCredit,
    CourseMode,
    CourseSkill,
    Enrollment,
    EnrollmentStatus,
    Placement,
    PlacementSource,
    Programme,
    ProgrammePartner,
    ProgrammeStatus,
    PublicTrainingCentre,
)
from .services import credits_grant

BATCH = 2000
CLASS_SIZE = 45
MAX_TRAINEES = 8000
EARLY_STUDENTS, EARLY_SHARE, LATER_SHARE = 400, 0.3, 0.07
OWN_UNIVERSITY_SHARE = 0.5
DEMO_STUDENT_COURSE = "gt-data"

# Demanded skills no demo course teaches, so "skills no course teaches" is never empty.
UNTAUGHT = ("customs.eu_vat_ioss", "customs.gpsr_eu_rep", "platform.mercado_libre", "platform.ozon",
            "data_it.python", "platform.noon")


@dataclass(frozen=True)
class CourseSpec:
    key: str
    title: tuple[str, str]
    skills: tuple[tuple[str, int], ...]  # (skill code, level reached)
    hours: int
    weeks: int
    mode: str = CourseMode.ON_SITE
    fee: int = 0
    description: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: tuple[str, str]
    description: tuple[str, str]
    university: str
    government: str
    partners: tuple[str, ...]
    funding_per_head: int  # CNY the funder grants per planned trainee
    target_rate: int
    courses: tuple[CourseSpec, ...]
    placement_odds: float  # chance a graduate not hired through the platform is placed by staff
    placement_days: int  # typical days from completion to the first day at work
    partner_share: float  # share of staff placements at a partner firm
    jobs: tuple[tuple[str, str], ...]
    status: str = ProgrammeStatus.ACTIVE
    intakes: tuple[str, ...] = ("past", "past", "past", "current", "upcoming")
    requires_approval: bool = False


def _course(key, zh, en, skills, hours, weeks, **extra) -> CourseSpec:
    return CourseSpec(key=key, title=(zh, en), skills=tuple(skills), hours=hours, weeks=weeks, **extra)


PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "gt-amazon", ("桂城理工·精华纺织亚马逊运营订单班", "Guicheng Tech × Jinghua Amazon Operations Order Class"),
        ("由桂城理工大学与精华纺织等企业共建的订单班，企业导师驻校授课，结业后优先录用。",
         "An order class co-run by Guicheng University of Technology and Jinghua Textiles: firm mentors teach on "
         "campus and graduates are hired first."),
        "guicheng-tech", "commerce-bureau", ("jinghua-textiles", "guixiang-home", "chuhaibang-agency"),
        4_500, 80,
        (_course("gt-amazon-ops", "亚马逊店铺运营实战", "Amazon Store Operations Lab",
                 [("platform.amazon_seller_central", 3), ("platform.listing_optimization", 3),
                  ("platform.keyword_research", 3), ("marketing.amazon_ppc", 3), ("logistics.fba", 2)], 96, 12),
         _course(DEMO_STUDENT_COURSE, "跨境电商数据分析", "Cross-border E-commerce Data Analysis",
                 [("data_it.data_analysis", 3), ("data_it.spreadsheet_analysis", 3), ("data_it.bi_tools", 2)],
                 64, 8)),
        placement_odds=0.85, placement_days=20, partner_share=0.8,
        jobs=(("亚马逊运营专员", "Amazon Operations Specialist"), ("广告与数据运营", "Advertising and Data Operator")),
    ),
    ProgrammeSpec(
        "live-commerce", ("跨境直播电商人才培养计划", "Cross-border Live Commerce Talent Programme"),
        ("市技师学院联合代运营和品牌企业开展TikTok直播与短视频实训，市人社局给予职业技能培训补贴。",
         "City Technician College and agencies and brands train TikTok live hosts and short-video makers, with "
         "vocational training subsidies from the HR bureau."),
        "city-technician", "hr-bureau", ("kuajingxing-agency", "wenquan-beauty", "chufeng-apparel"),
        3_000, 70,
        (_course("live-host", "TikTok直播带货实训", "TikTok Live Selling Lab",
                 [("marketing.livestream_host", 3), ("marketing.livestream_selling", 3), ("platform.tiktok_shop", 3),
                  ("marketing.short_video_marketing", 2)], 80, 10),
         _course("video", "短视频拍摄与剪辑", "Short-video Shooting and Editing",
                 [("content.video_shooting", 3), ("content.video_editing", 3), ("content.capcut", 3)], 60, 8)),
        placement_odds=0.45, placement_days=45, partner_share=0.55,
        jobs=(("英语直播主播", "English Live-stream Host"), ("短视频剪辑", "Short-video Editor")),
    ),
    ProgrammeSpec(
        "retraining",
        ("外贸转岗人员跨境电商再就业培训", "Cross-border E-commerce Retraining for Foreign-trade Workers"),
        ("市跨境电商公共服务中心面向传统外贸企业员工和转岗人员的免费培训，学员多来自制造企业。",
         "Free training at the city's public centre for staff of traditional exporters and workers changing "
         "jobs, most of them from manufacturers."),
        "training-centre", "hr-bureau", ("yuli-abrasive-belts", "hongtai-hardware", "qingzhuan-tea"),
        6_000, 60,
        (_course("b2b", "阿里巴巴国际站B2B实战", "Alibaba.com B2B in Practice",
                 [("platform.alibaba_international", 3), ("trade.inquiry_quotation", 3),
                  ("trade.customer_development", 3), ("trade.incoterms", 2)], 72, 9),
         _course("store", "独立站建站与运营", "Building and Running an Own Store",
                 [("platform.shopify", 3), ("platform.independent_store", 3), ("marketing.seo", 2)], 48, 6,
                 mode=CourseMode.ONLINE)),
        placement_odds=0.62, placement_days=35, partner_share=0.5,
        jobs=(("外贸业务员", "B2B Sales Representative"), ("独立站运营", "Own-store Operator")),
    ),
    ProgrammeSpec(
        "languages", ("小语种跨境客服订单班", "Minor-language Cross-border Customer Service Order Class"),
        ("桂城外国语学院为拉美和中东市场培养西班牙语、阿拉伯语跨境客服，企业提供实习岗位。",
         "Guicheng College of Foreign Languages trains Spanish- and Arabic-speaking customer service for Latin "
         "America and the Middle East, with internships at partner firms."),
        "guicheng-foreign-languages", "commerce-bureau", ("latam-connect", "silk-road-warehouse", "chongle-pet"),
        5_000, 75,
        (_course("service", "跨境客服与售后纠纷处理", "Cross-border Customer Service and Disputes",
                 [("service.cross_cultural_customer_service", 3), ("service.after_sales_disputes", 3),
                  ("service.email_ticket_support", 3), ("service.live_chat_support", 2)], 56, 7),),
        placement_odds=0.8, placement_days=25, partner_share=0.75,
        jobs=(("西班牙语客服", "Spanish-speaking Customer Service"),
              ("阿拉伯语海外仓专员", "Arabic-speaking Warehouse Agent")),
        requires_approval=True,
    ),
    ProgrammeSpec(
        "logistics", ("跨境物流与关务人才培养项目", "Cross-border Logistics and Customs Talent Programme"),
        ("桂乡职业技术学院与中欧班列集拼、报关企业共建，学员在海外仓和报关行轮岗实训。",
         "Guixiang Vocational and Technical College with China–Europe Railway consolidators and customs brokers; "
         "trainees rotate through warehouses and brokerages."),
        "guixiang-vocational", "commerce-bureau",
        ("zhongou-tongda", "suda-logistics", "guantong-customs", "chengxin-customs"),
        4_000, 75,
        (_course("customs", "报关实务与跨境监管方式", "Customs Declaration and Cross-border Clearance Modes",
                 [("customs.customs_declaration", 3), ("customs.hs_classification", 3), ("customs.mode_9610", 3),
                  ("customs.mode_9710", 2)], 80, 10),
         _course("warehouse", "海外仓与头程物流", "Overseas Warehouses and First-leg Freight",
                 [("logistics.overseas_warehouse", 3), ("logistics.first_leg", 3),
                  ("logistics.freight_forwarding", 2), ("logistics.shipment_tracking", 3)], 64, 8)),
        placement_odds=0.7, placement_days=30, partner_share=0.7,
        jobs=(("报关员", "Customs Declarant"), ("跨境物流专员", "Cross-border Logistics Coordinator")),
    ),
    ProgrammeSpec(
        "data-marketing", ("跨境电商数据分析与海外数字营销", "Cross-border Data Analysis and Digital Marketing"),
        ("长江信息工程学院联合SaaS和独立站技术企业，培养懂数据、会投放的复合型人才。",
         "Changjiang Institute of Information Engineering with SaaS and store-tech firms trains people who read "
         "data and run ads."),
        "changjiang-it", "commerce-bureau", ("yunfan-saas", "new-silk-road-tech", "latam-connect"),
        3_500, 70,
        (_course("analytics", "电商数据分析与可视化", "E-commerce Analytics and Visualisation",
                 [("data_it.data_analysis", 3), ("data_it.sql", 3), ("data_it.data_visualization", 3),
                  ("data_it.excel_pivot_tables", 3)], 72, 9),
         _course("ads", "海外数字广告投放", "Overseas Digital Advertising",
                 [("marketing.google_ads", 3), ("marketing.meta_ads", 3), ("marketing.email_marketing", 2)], 48, 6,
                 mode=CourseMode.ONLINE, fee=1200)),
        placement_odds=0.78, placement_days=28, partner_share=0.6,
        jobs=(("数据分析师", "E-commerce Data Analyst"), ("海外广告投放专员", "Overseas Ads Specialist")),
    ),
    ProgrammeSpec(
        "payments", ("跨境支付与供应链金融实务班", "Cross-border Payments and Supply-chain Finance Class"),
        ("桂城财经学院与支付机构、金融小镇共建，讲授收付汇、结算与合规。",
         "Guicheng College of Finance and Economics with payment firms and Finance Town: collection, settlement "
         "and compliance."),
        "guicheng-finance", "commerce-bureau", ("huitong-payments", "finance-town-scf"),
        3_000, 70,
        (_course("settlement", "跨境收付汇与国际结算", "Cross-border Collection and International Settlement",
                 [("finance.cross_border_collection", 3), ("finance.fx_settlement", 3),
                  ("finance.intl_settlement", 3), ("finance.payment_gateways", 2)], 56, 7),),
        placement_odds=0.5, placement_days=50, partner_share=0.6,
        jobs=(("跨境支付专员", "Cross-border Payments Specialist"), ("外汇结算助理", "FX Settlement Assistant")),
    ),
    ProgrammeSpec(
        "new-platforms",
        ("新兴平台运营订单班（Temu、SHEIN、Shopee）", "Emerging Marketplaces Order Class (Temu, SHEIN, Shopee)"),
        ("市商贸职业学院与卖家企业合作，学习全托管平台和东南亚平台运营。",
         "City Vocational College of Commerce and Trade with sellers: fully managed marketplaces and Southeast "
         "Asian platforms."),
        "commerce-vocational", "hr-bureau", ("xinghe-outdoor", "jingui-electronics", "chongle-pet"),
        3_200, 70,
        (_course("managed", "全托管平台运营", "Running Fully Managed Marketplaces",
                 [("platform.temu", 3), ("platform.shein", 3), ("platform.fully_managed_model", 3),
                  ("product.product_selection", 3)], 64, 8),
         _course("sea", "东南亚平台运营", "Southeast Asian Marketplaces",
                 [("platform.shopee", 3), ("platform.lazada", 3), ("platform.platform_promotions", 2)], 48, 6)),
        placement_odds=0.72, placement_days=30, partner_share=0.65,
        jobs=(("Temu运营专员", "Temu Operator"), ("Shopee运营", "Shopee Operator")),
    ),
    ProgrammeSpec(
        "first-round", ("跨境电商人才培育工程（第一期）", "Cross-border E-commerce Talent Project (Round 1)"),
        ("市商务局资助的第一期人才培育工程，已结项；代运营企业接收结业学员。",
         "The commerce bureau's first talent project, now closed; agencies took on its graduates."),
        "training-centre", "commerce-bureau", ("chuhaibang-agency", "kuajingxing-agency"),
        5_000, 70,
        (_course("basics", "跨境电商运营基础", "Cross-border E-commerce Operations Basics",
                 [("platform.aliexpress", 3), ("trade.foreign_trade_practice", 3), ("content.listing_copywriting", 2),
                  ("logistics.postal_small_parcel", 2)], 56, 7),),
        placement_odds=0.88, placement_days=18, partner_share=0.85,
        jobs=(("速卖通运营", "AliExpress Operator"), ("代运营助理", "Agency Operations Assistant")),
        status=ProgrammeStatus.COMPLETED, intakes=("past", "past"),
    ),
    ProgrammeSpec(
        "gt-design",
        ("桂城理工·跨境电商视觉设计订单班（筹备中）", "Guicheng Tech E-commerce Visual Design Order Class (planned)"),
        ("下一学期开班，与精华纺织、竹韵工艺品共建摄影棚。",
         "Starts next term; a photo studio built with Jinghua Textiles and Zhuyun Bamboo Crafts."),
        "guicheng-tech", "commerce-bureau", ("jinghua-textiles", "zhuyun-crafts"),
        4_000, 75,
        (_course("design", "电商视觉设计与产品摄影", "E-commerce Visual Design and Product Photography",
                 [("content.ecommerce_graphic_design", 3), ("content.photoshop", 3),
                  ("content.product_photography", 3), ("content.a_plus_content", 2)], 64, 8),),
        placement_odds=0.8, placement_days=20, partner_share=0.8,
        jobs=(("视觉设计", "Visual Designer"),),
        status=ProgrammeStatus.DRAFT, intakes=("upcoming",),
    ),
)

# (days before today it starts, Chinese and English term label) for the intakes in schedule order.
PAST_STARTS = (540, 360, 200)
GRADES = {EnrollmentStatus.COMPLETED: ("优秀", "良好", "良好", "合格", "合格"), EnrollmentStatus.FAILED: ("不合格",)}


def _term(day: dt.date) -> tuple[str, str]:
    spring = 2 <= day.month <= 7
    return (f"{day.year}{'春季' if spring else '秋季'}", f"{'Spring' if spring else 'Autumn'} {day.year}")


@dataclass
class _Intake:
    course: Course
    programme: Programme
    spec: ProgrammeSpec
    phase: str  # past / current / upcoming
    starts_on: dt.date
    ends_on: dt.date
    trainees: list[tuple[int, random.Random]] = field(default_factory=list)  # (profile id, the trainee's rng)
    cohorts: list[Cohort] = field(default_factory=list)


def demo_training_present() -> bool:
    """Whether the demo set already has its training data (a programme run by a demo organisation)."""
    from apps.core.demo.services import demo_organisations

    return Programme.objects.filter(university__in=demo_organisations()).exists()


def demo_training_counts() -> dict[str, int]:
    """Training rows of the demo set, for the command's summary."""
    from apps.core.demo.services import demo_organisations

    orgs = demo_organisations()
    programmes = Programme.objects.filter(university__in=orgs)
    enrollments = Enrollment.objects.filter(cohort__programme__in=programmes)
    trainees = enrollments.filter(status=EnrollmentStatus.COMPLETED).values("profile_id")
    return {
        "programmes": programmes.count(),
        "courses": Course.objects.filter(provider__in=orgs).count(),
        "cohorts": Cohort.objects.filter(programme__in=programmes).count(),
        "enrollments": enrollments.count(),
        "enrollments (completed)": enrollments.filter(status=EnrollmentStatus.COMPLETED).count(),
        "course credits": CourseCredit.objects.filter(enrollment__in=enrollments).count(),
        "placements of graduates": Placement.objects.filter(profile_id__in=trainees).count(),
    }


def demo_training_reset() -> int:
    """Delete the demo set's training rows (cohorts, programmes, courses) so its organisations can go."""
    from apps.core.demo.services import _purge, demo_organisations

    orgs = demo_organisations()
    programmes = Programme.objects.filter(university__in=orgs)
    deleted = _purge(Cohort.objects.filter(Q(course__provider__in=orgs) | Q(programme__in=programmes)))
    deleted += _purge(programmes)
    deleted += _purge(Course.objects.filter(provider__in=orgs))
    deleted += ProgrammePartner.objects.filter(firm__in=orgs).delete()[0]
    Programme.objects.filter(government__in=orgs).update(government=None)
    return deleted


class _Builder:
    def __init__(self, *, seed: int, today: dt.date, say: Callable[[str], None]):
        from apps.core.demo.services import demo_organisations

        self.seed, self.today, self.say = seed, today, say
        orgs = list(demo_organisations().values("pk", "kind", "status", "website"))
        self.slug = {o["pk"]: o["website"].split("//", 1)[-1].split(".", 1)[0] for o in orgs}
        self.by_slug = {slug: pk for pk, slug in self.slug.items()}
        self.universities = sorted(o["pk"] for o in orgs if o["kind"] == "university")
        self.governments = sorted(o["pk"] for o in orgs if o["kind"] == "government")
        self.firms = sorted(o["pk"] for o in orgs if o["kind"] == "firm" and o["status"] == ApprovalStatus.APPROVED)
        if not (self.universities and self.governments and self.firms):
            from apps.core.demo.taxonomy import DemoSeedError

            raise DemoSeedError("The demo set has no universities, bureaus or approved firms: run seed_demo first.")
        self.staff = dict(Membership.objects.filter(organisation_id__in=self.universities).order_by("-pk")
                          .values_list("organisation_id", "user_id"))

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(part) for part in (self.seed, "training", *parts)))

    def org(self, slug: str, pool: list[int], *salt) -> int:
        """The organisation with this slug, or (a smaller demo set) one picked from ``pool`` by the seed."""
        return self.by_slug.get(slug) or self.rng("stand-in", slug, *salt).choice(pool)

    # ---------------------------------------------------------------- catalogue
    def demanded_skills(self) -> tuple[dict[str, int], set[str]]:
        ids = dict(Skill.objects.filter(is_active=True).values_list("code", "pk"))
        demanded = set(VacancySkill.objects.filter(required=True, vacancy__in=Vacancy.objects.open())
                       .values_list("skill__code", flat=True).distinct())
        return ids, demanded

    def catalogue(self) -> tuple[list[tuple[ProgrammeSpec, Programme, list[Course]]], int]:
        ids, demanded = self.demanded_skills()
        programmes, partners, courses, course_skills = [], [], [], []
        layout = []
        for spec in PROGRAMMES:
            rng = self.rng("programme", spec.key)
            university = self.org(spec.university, self.universities)
            firms = []
            for slug in spec.partners:
                firm = self.org(slug, self.firms, spec.key)
                if firm not in firms:
                    firms.append(firm)
            starts, ends = self.programme_dates(spec)
            programme = Programme(
                name_zh=spec.name[0], name_en=spec.name[1], description_zh=spec.description[0],
                description_en=spec.description[1], university_id=university,
                government_id=self.org(spec.government, self.governments),
                funding_amount=Decimal(40 * spec.funding_per_head), target_trained=40,
                target_placement_rate=Decimal(spec.target_rate), starts_on=starts, ends_on=ends, status=spec.status,
                created_by_id=self.staff.get(university))
            programmes.append(programme)
            partners.append([ProgrammePartner(firm_id=firm, reserved_places=rng.choice((5, 8, 10, 12, 15, 20)),
                                              note="订单班定向招聘 / Reserved places for the order class")
                             for firm in firms])
            made = []
            for course_spec in spec.courses:
                taught = [(code, level) for code, level in course_spec.skills if code in ids and code not in UNTAUGHT]
                in_demand = [(code, level) for code, level in taught if code in demanded]
                course = Course(
                    provider_id=university, title_zh=course_spec.title[0], title_en=course_spec.title[1],
                    description_zh=f"{spec.name[0]}的课程，{course_spec.hours}学时，结业后技能计入学生档案。",
                    description_en=f"A course of the {spec.name[1]}: {course_spec.hours} hours; completing it "
                    "adds its skills to the student's profile.",
                    hours=course_spec.hours, mode=course_spec.mode,
                    fee=Decimal(0) if spec.university == "training-centre" else Decimal(course_spec.fee),
                    created_by_id=self.staff.get(university))
                courses.append(course)
                course_skills.append([CourseSkill(skill_id=ids[code], level=level) for code, level in
                                      (in_demand or taught)])
                made.append(course)
            layout.append((spec, programme, made))
        Programme.objects.bulk_create(programmes)
        Course.objects.bulk_create(courses)
        for programme, rows in zip(programmes, partners, strict=True):
            for row in rows:
                row.programme_id = programme.pk
        ProgrammePartner.objects.bulk_create([row for rows in partners for row in rows])
        for course, rows in zip(courses, course_skills, strict=True):
            for row in rows:
                row.course_id = course.pk
        CourseSkill.objects.bulk_create([row for rows in course_skills for row in rows])
        centre = self.by_slug.get("training-centre")
        if centre and not PublicTrainingCentre.objects.filter(organisation_id=centre).exists():
            PublicTrainingCentre.objects.create(organisation_id=centre, note="免费公共培训 / Free public training")
        return layout, sum(len(rows) for rows in course_skills)

    def intake_dates(self, spec: ProgrammeSpec, course_spec: CourseSpec, number: int,
                     phase: str) -> tuple[dt.date, dt.date]:
        jitter = self.rng("dates", spec.key, course_spec.key, number).randint(-12, 12)
        weeks = dt.timedelta(weeks=course_spec.weeks) - dt.timedelta(days=1)
        if phase == "past":
            past = [i for i, p in enumerate(spec.intakes) if p == "past"]
            offset = PAST_STARTS[len(PAST_STARTS) - len(past) + past.index(number)]
            starts = self.today - dt.timedelta(days=offset + jitter)
            if spec.status == ProgrammeStatus.COMPLETED:
                starts -= dt.timedelta(days=200)
        elif phase == "current":
            starts = self.today - dt.timedelta(days=abs(jitter) + course_spec.weeks * 3)
        else:
            starts = self.today + dt.timedelta(days=30 + abs(jitter))
        return starts, starts + weeks

    def programme_dates(self, spec: ProgrammeSpec) -> tuple[dt.date, dt.date]:
        dates = [self.intake_dates(spec, c, n, p) for c in spec.courses for n, p in enumerate(spec.intakes)]
        starts = min(d[0] for d in dates) - dt.timedelta(days=30)
        ends = max(d[1] for d in dates) + dt.timedelta(days=30 if spec.status == ProgrammeStatus.COMPLETED else 180)
        return starts, ends

    # ---------------------------------------------------------------- trainees
    def trainees(self, intakes: dict[tuple[str, str], list[_Intake]], layout) -> int:
        """Assign demo students to intakes; return how many."""
        from apps.core.demo.accounts import EXTERNAL_PREFIX

        prefix = f"{EXTERNAL_PREFIX}s"
        rows = StudentProfile.objects.filter(external_id__startswith=prefix, user__is_active=True,
                                             user__account_type="student").values_list("pk", "external_id",
                                                                                       "university_id")
        students = sorted((int(ext[len(prefix):]), pk, uni) for pk, ext, uni in rows if ext[len(prefix):].isdigit())
        taking = [(spec, programme, courses) for spec, programme, courses in layout
                  if any(p != "upcoming" for p in spec.intakes)]
        by_university = defaultdict(list)
        for entry in taking:
            by_university[entry[1].university_id].append(entry)
        count = 0
        for number, profile_id, university in students:
            rng = self.rng("trainee", number)
            if number == 0:
                spec = next(s for s in PROGRAMMES if any(c.key == DEMO_STUDENT_COURSE for c in s.courses))
                intakes[(spec.key, DEMO_STUDENT_COURSE)][spec.intakes.index("current")].trainees.append(
                    (profile_id, rng))
                count += 1
                continue
            if rng.random() >= (EARLY_SHARE if number < EARLY_STUDENTS else LATER_SHARE) or count >= MAX_TRAINEES:
                continue
            own = by_university.get(university)
            choice = rng.choice(own if own and rng.random() < OWN_UNIVERSITY_SHARE else taking)
            spec, _programme, _courses = choice
            course_spec = rng.choice(spec.courses)
            phases = list(spec.intakes)
            weights = [{"past": 0.24, "current": 0.2, "upcoming": 0.08}[p] for p in phases]
            number_in = rng.choices(range(len(phases)), weights=weights)[0]
            intakes[(spec.key, course_spec.key)][number_in].trainees.append((profile_id, rng))
            count += 1
        return count

    def targets(self, intakes: dict[tuple[str, str], list[_Intake]], layout) -> None:
        """Targets and funding planned for about as many people as the programme takes in this data set."""
        for spec, programme, _courses in layout:
            people = sum(len(i.trainees) for (key, _c), runs in intakes.items() if key == spec.key for i in runs)
            planned = people * self.rng("target", spec.key).uniform(0.9, 1.15)
            programme.target_trained = max(20, round(planned / 10) * 10)
            programme.funding_amount = Decimal(programme.target_trained * spec.funding_per_head)
        Programme.objects.bulk_update([p for _s, p, _c in layout], ["target_trained", "funding_amount"])

    # ---------------------------------------------------------------- cohorts and enrollments
    def cohorts(self, intakes: dict[tuple[str, str], list[_Intake]]) -> list[Cohort]:
        made = []
        for (programme_key, course_key), runs in intakes.items():
            for number, intake in enumerate(runs):
                rng = self.rng("cohort", programme_key, course_key, number)
                size = rng.randint(CLASS_SIZE - 10, CLASS_SIZE)
                classes = max(1, math.ceil(len(intake.trainees) / size))
                per_class = math.ceil(len(intake.trainees) / classes) if intake.trainees else 0
                term_zh, term_en = _term(intake.starts_on)
                university = intake.programme.university_id
                for index in range(classes):
                    suffix = (f"{index + 1}班", f", class {index + 1}") if classes > 1 else ("班", "")
                    room = per_class + (rng.randint(3, 12) if intake.phase != "past" else rng.randint(0, 4))
                    cohort = Cohort(
                        course=intake.course, programme=intake.programme,
                        name=f"{term_zh}{suffix[0]} / {term_en}{suffix[1]}",
                        starts_on=intake.starts_on, ends_on=intake.ends_on, capacity=max(size if intake.phase ==
                                                                                          "upcoming" else 1, room),
                        place=("线上直播课堂 / Online classroom" if intake.course.mode == CourseMode.ONLINE
                               else f"{self.place(university)}实训楼{rng.randint(1, 6)}0{rng.randint(1, 9)}"),
                        instructor=f"{rng.choice('王李张刘陈杨黄赵周吴')}{rng.choice(('老师', '讲师', '教授'))}",
                        enrollment_opens_on=intake.starts_on - dt.timedelta(days=45),
                        enrollment_closes_on=intake.starts_on - dt.timedelta(days=3),
                        requires_approval=intake.spec.requires_approval)
                    intake.cohorts.append(cohort)
                    made.append(cohort)
        Cohort.objects.bulk_create(made, batch_size=BATCH)
        return made

    def place(self, university: int) -> str:
        return {"guicheng-tech": "桂城理工", "guixiang-vocational": "桂乡职院", "training-centre": "公共服务中心",
                "guicheng-foreign-languages": "外国语学院", "commerce-vocational": "商贸职院",
                "changjiang-it": "长江信息", "guicheng-finance": "财经学院",
                "city-technician": "技师学院"}.get(self.slug.get(university, ""), "校区")

    def enrollments(self, intakes: dict[tuple[str, str], list[_Intake]],
                    demo_profile: int | None) -> list[tuple[_Intake, Enrollment, random.Random]]:
        made = []
        for runs in intakes.values():
            for intake in runs:
                staff = self.staff.get(intake.programme.university_id)
                classes = intake.cohorts
                for position, (profile_id, rng) in enumerate(intake.trainees):
                    cohort = classes[position % len(classes)]
                    status, attendance = self.outcome(intake, rng, demo=profile_id == demo_profile)
                    enrolled_at = None
                    if status != EnrollmentStatus.APPLIED:
                        enrolled_at = _noon(cohort.enrollment_opens_on + dt.timedelta(days=rng.randint(0, 40)))
                    completed_at = _noon(cohort.ends_on) if status == EnrollmentStatus.COMPLETED else None
                    grade = rng.choice(GRADES[status]) if status in GRADES else ""
                    made.append((intake, Enrollment(
                        cohort=cohort, profile_id=profile_id, status=status, attendance=attendance, grade=grade,
                        enrolled_at=enrolled_at, completed_at=completed_at, updated_by_id=staff), rng))
        Enrollment.objects.bulk_create([e for _i, e, _r in made], batch_size=BATCH)
        return made

    @staticmethod
    def outcome(intake: _Intake, rng: random.Random, *, demo: bool) -> tuple[str, Decimal | None]:
        roll = rng.random()

        def pct(low: float, high: float) -> Decimal:
            return Decimal(rng.uniform(low, high)).quantize(Decimal("0.01"))

        if demo:
            return EnrollmentStatus.ENROLLED, Decimal("92.50")
        if intake.phase == "past":
            if roll < 0.8:
                return EnrollmentStatus.COMPLETED, pct(80, 100)
            if roll < 0.87:
                return EnrollmentStatus.FAILED, pct(40, 75)
            return EnrollmentStatus.DROPPED, pct(10, 50)
        if intake.phase == "current":
            return (EnrollmentStatus.ENROLLED, pct(70, 100)) if roll < 0.9 else (EnrollmentStatus.DROPPED, pct(10, 50))
        if intake.spec.requires_approval and roll < 0.4:
            return EnrollmentStatus.APPLIED, None
        return (EnrollmentStatus.ENROLLED, None) if roll < 0.93 else (EnrollmentStatus.DROPPED, None)

    # ---------------------------------------------------------------- credits and placements
    def credits(self, made: list[tuple[_Intake, Enrollment, random.Random]]) -> int:
        by_cohort: dict[int, list[Enrollment]] = defaultdict(list)
        for _intake, enrollment, _rng in made:
            if enrollment.status == EnrollmentStatus.COMPLETED:
                by_cohort[enrollment.cohort_id].append(enrollment)
        # Oldest first, as staff would have completed them; one batch per cohort (one completion date each).
        for _cohort_id, rows in sorted(by_cohort.items(), key=lambda item: (item[1][0].cohort.ends_on, item[0])):
            credits_grant(enrollments=rows, on=rows[0].cohort.ends_on)
        return CourseCredit.objects.filter(enrollment_id__in=[e.pk for _i, e, _r in made]).count()

    def placements(self, made: list[tuple[_Intake, Enrollment, random.Random]]) -> tuple[int, int]:
        """Graduates hired through the pipeline keep that placement; others are placed by staff (or not yet).
        Each draw comes from the trainee's own generator, so database ids play no part."""
        graduates = [(intake, e, rng) for intake, e, rng in made if e.status == EnrollmentStatus.COMPLETED]
        existing = defaultdict(list)
        for profile_id, started_on in Placement.objects.filter(
                profile_id__in={e.profile_id for _i, e, _r in graduates}).values_list("profile_id", "started_on"):
            existing[profile_id].append(started_on)
        rows, kept = [], 0
        for intake, enrollment, rng in graduates:
            if any(day >= enrollment.cohort.starts_on for day in existing[enrollment.profile_id]):
                kept += 1
                continue
            spec = intake.spec
            if rng.random() >= spec.placement_odds:
                continue
            days = round(rng.gammavariate(2.0, spec.placement_days / 2.0))
            started_on = enrollment.cohort.ends_on + dt.timedelta(days=days)
            if started_on > self.today:
                continue  # still looking
            partners = [p.firm_id for p in intake.programme.demo_partners]
            firm = rng.choice(partners) if partners and rng.random() < spec.partner_share else rng.choice(self.firms)
            title = rng.choice(spec.jobs)
            rows.append(Placement(profile_id=enrollment.profile_id, firm_id=firm, job_title=f"{title[0]} / {title[1]}",
                                  started_on=started_on, source=PlacementSource.STAFF,
                                  note=f"{spec.name[0]}结业 / Graduate of the {spec.name[1]}",
                                  recorded_by_id=self.staff.get(intake.programme.university_id)))
            existing[enrollment.profile_id].append(started_on)
        created = Placement.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
        return len(created), kept


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def demo_training(*, seed: int = 2026, today: dt.date | None = None,
                  progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Add the training data to the demo set (see the module docstring); returns counts, empty when the demo set
    already has it (runs once)."""
    say = progress or (lambda message: None)
    if demo_training_present():
        say("Training data is already present; nothing added.")
        return {}
    builder = _Builder(seed=seed, today=today or timezone.localdate(), say=say)
    with suppressed(), transaction.atomic():
        layout, course_skills = builder.catalogue()
        intakes: dict[tuple[str, str], list[_Intake]] = {}
        partners = defaultdict(list)
        for row in ProgrammePartner.objects.filter(programme__in=[p for _s, p, _c in layout]):
            partners[row.programme_id].append(row)
        for spec, programme, courses in layout:
            programme.demo_partners = partners[programme.pk]
            for course_spec, course in zip(spec.courses, courses, strict=True):
                runs = []
                for number, phase in enumerate(spec.intakes):
                    starts, ends = builder.intake_dates(spec, course_spec, number, phase)
                    runs.append(_Intake(course=course, programme=programme, spec=spec, phase=phase,
                                        starts_on=starts, ends_on=ends))
                intakes[(spec.key, course_spec.key)] = runs
        trainees = builder.trainees(intakes, layout)
        builder.targets(intakes, layout)
        cohorts = builder.cohorts(intakes)
        demo_profile = StudentProfile.objects.filter(external_id="demo-s000000").values_list("pk", flat=True).first()
        made = builder.enrollments(intakes, demo_profile)
        statuses = Counter(e.status for _i, e, _r in made)
        credits = builder.credits(made)
        placed, kept = builder.placements(made)
    counts = {"programmes": len(layout), "courses": sum(len(c) for _s, _p, c in layout),
              "course skills": course_skills, "cohorts": len(cohorts), "trainees": trainees,
              "enrollments": len(made), **{f"enrollments ({k})": v for k, v in sorted(statuses.items())},
              "course credits": credits, "placements recorded": placed, "graduates hired through the platform": kept}
    say("Training: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
    return counts
