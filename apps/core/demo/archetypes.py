"""Job archetypes: what each kind of cross-border vacancy asks for, in taxonomy skill codes.

Each archetype gives bilingual title variants (with a seniority step that moves levels and pay), the
skills every such vacancy requires (``core``), a pool from which one or two more are required
(``more``), a pool of nice-to-have skills (``optional``), languages at a minimum CEFR level (3 = B1,
4 = B2), the markets it serves and a monthly pay band in CNY. Codes must exist in
``apps/skills/data/taxonomy.json``; a test checks that.
"""

from __future__ import annotations

from dataclasses import dataclass

Skill = tuple[str, int, float]  # (skill code, typical minimum level 1-5, weight)


@dataclass(frozen=True)
class Archetype:
    """One kind of job with the skill mix, languages, markets and pay firms usually attach to it."""

    code: str
    titles: tuple[tuple[str, str, int], ...]  # (Chinese, English, seniority -1/0/+1)
    core: tuple[Skill, ...]
    more: tuple[Skill, ...]
    optional: tuple[Skill, ...]
    languages: tuple[tuple[str, int], ...]
    markets: tuple[str, ...]
    salary: tuple[int, int]
    duties: tuple[tuple[str, str], ...]  # (Chinese, English) sentences
    internship_share: float = 0.15
    part_time_share: float = 0.05
    remote_share: float = 0.1


ARCHETYPES: dict[str, Archetype] = {}


def _add(archetype: Archetype) -> None:
    ARCHETYPES[archetype.code] = archetype


_add(
    Archetype(
        code="amazon_operator",
        titles=(
            ("亚马逊运营助理", "Amazon Operations Assistant", -1),
            ("亚马逊运营专员", "Amazon Operations Specialist", 0),
            ("亚马逊欧洲站运营", "Amazon Europe Marketplace Operator", 0),
            ("亚马逊运营主管", "Amazon Operations Lead", 1),
        ),
        core=(("platform.amazon_seller_central", 3, 3.0), ("platform.listing_optimization", 3, 2.0)),
        more=(
            ("product.product_selection", 3, 2.0),
            ("marketing.amazon_ppc", 3, 2.0),
            ("logistics.fba", 2, 1.5),
            ("platform.keyword_research", 3, 1.5),
        ),
        optional=(
            ("data_it.excel_pivot_tables", 3, 1.0),
            ("content.listing_copywriting", 3, 1.0),
            ("platform.account_health", 2, 1.0),
            ("content.a_plus_content", 2, 0.8),
            ("logistics.inventory_planning", 2, 1.0),
            ("platform.amazon_brand_registry", 2, 0.5),
            ("finance.store_pnl", 2, 0.8),
        ),
        languages=(("lang.en", 3),),
        markets=("united_states", "european_union", "germany", "united_kingdom", "japan"),
        salary=(5000, 9000),
        duties=(
            (
                "负责亚马逊店铺日常运营、上新和Listing优化",
                "Run the Amazon store day to day: new listings and listing optimisation",
            ),
            ("分析销售与广告数据，制定推广计划", "Analyse sales and ad data and plan promotions"),
            ("跟进FBA补货和库存，避免断货", "Follow FBA replenishment and stock so items never run out"),
            ("调研竞品和市场趋势，参与选品", "Research competitors and trends and help choose products"),
            ("维护账号健康，处理绩效和政策通知", "Keep the account healthy and handle performance notices"),
        ),
    )
)

_add(
    Archetype(
        code="alibaba_b2b",
        titles=(
            ("外贸业务员（阿里巴巴国际站）", "B2B Sales Representative (Alibaba.com)", 0),
            ("阿里国际站运营专员", "Alibaba.com Store Operator", 0),
            ("外贸业务助理", "Export Sales Assistant", -1),
            ("外贸业务经理", "Export Sales Manager", 1),
        ),
        core=(("platform.alibaba_international", 3, 3.0), ("trade.inquiry_quotation", 3, 2.5)),
        more=(
            ("trade.foreign_trade_practice", 3, 2.0),
            ("trade.incoterms", 3, 1.5),
            ("trade.customer_development", 3, 2.0),
            ("trade.sales_contracts", 2, 1.0),
        ),
        optional=(
            ("trade.cold_email", 3, 1.0),
            ("trade.trade_fairs", 2, 1.0),
            ("trade.trade_documents", 2, 1.0),
            ("management.negotiation", 3, 1.0),
            ("marketing.linkedin", 2, 0.8),
            ("trade.trade_data_research", 2, 0.8),
            ("product.textiles_apparel", 2, 0.8),
            ("product.abrasives", 2, 0.8),
            ("product.hardware_tools", 2, 0.8),
        ),
        languages=(("lang.en", 4),),
        markets=("belt_and_road", "middle_east", "south_america", "africa", "southeast_asia", "germany", "japan"),
        salary=(4500, 8500),
        duties=(
            ("回复国际站询盘，完成报价和打样跟进", "Answer Alibaba.com inquiries, quote and follow samples"),
            ("开发并维护海外采购商客户", "Find and keep overseas buyers"),
            ("参加广交会等展会，接待来访客户", "Work trade fairs such as the Canton Fair and host visiting buyers"),
            ("跟进订单生产、出货和收汇", "Follow orders through production, shipment and payment"),
            ("维护国际站店铺产品和橱窗", "Keep the Alibaba.com store's products and showcases current"),
        ),
    )
)

_add(
    Archetype(
        code="tiktok_live",
        titles=(
            ("TikTok英语直播主播", "TikTok English Live-stream Host", 0),
            ("跨境直播带货主播", "Cross-border Live-commerce Host", 0),
            ("直播运营助理", "Live-stream Operations Assistant", -1),
            ("直播团队负责人", "Live-commerce Team Lead", 1),
        ),
        core=(("marketing.livestream_host", 3, 3.0), ("marketing.livestream_selling", 3, 2.5)),
        more=(
            ("platform.tiktok_shop", 3, 2.0),
            ("marketing.short_video_marketing", 3, 1.5),
            ("marketing.livestream_operations", 3, 1.5),
        ),
        optional=(
            ("content.video_scripting", 2, 1.0),
            ("management.cross_cultural_communication", 3, 1.0),
            ("content.capcut", 2, 0.8),
            ("marketing.tiktok_affiliate", 2, 0.8),
            ("management.stress_resilience", 3, 0.5),
        ),
        languages=(("lang.en", 4),),
        markets=("united_states", "united_kingdom", "southeast_asia"),
        salary=(5500, 12000),
        internship_share=0.2,
        part_time_share=0.15,
        remote_share=0.0,
        duties=(
            ("用英语在TikTok直播间讲解产品、促成下单", "Present products live on TikTok in English and close sales"),
            ("参与直播脚本策划和选品", "Help script streams and pick the products to show"),
            ("复盘直播数据，提升转化率", "Review stream data and lift conversion"),
            ("与短视频团队配合引流", "Work with the short-video team to bring viewers in"),
        ),
    )
)

_add(
    Archetype(
        code="tiktok_shop_operator",
        titles=(
            ("TikTok Shop运营专员", "TikTok Shop Operator", 0),
            ("TikTok Shop运营助理", "TikTok Shop Operations Assistant", -1),
            ("TikTok电商运营经理", "TikTok Commerce Manager", 1),
        ),
        core=(("platform.tiktok_shop", 3, 3.0), ("marketing.short_video_marketing", 3, 2.0)),
        more=(
            ("marketing.tiktok_affiliate", 3, 2.0),
            ("marketing.tiktok_ads", 2, 1.5),
            ("platform.platform_promotions", 3, 1.0),
        ),
        optional=(
            ("content.capcut", 2, 1.0),
            ("data_it.data_analysis", 2, 1.0),
            ("marketing.influencer_marketing", 2, 1.0),
            ("content.ugc_content", 2, 0.8),
            ("product.trend_research", 2, 0.8),
        ),
        languages=(("lang.en", 3),),
        markets=("united_states", "united_kingdom", "southeast_asia"),
        salary=(5000, 10000),
        duties=(
            (
                "负责TikTok Shop店铺上新、活动报名和日常运营",
                "Run the TikTok Shop store: new products, campaigns, daily work",
            ),
            ("对接海外达人，管理联盟带货", "Recruit and manage affiliate creators"),
            ("策划短视频内容，提升自然流量", "Plan short videos that grow organic reach"),
            ("跟踪广告与销售数据，优化投放", "Track ads and sales and tune spending"),
        ),
    )
)

_add(
    Archetype(
        code="logistics_coordinator",
        titles=(
            ("跨境物流专员", "Cross-border Logistics Coordinator", 0),
            ("国际货代操作员", "Freight Forwarding Operator", 0),
            ("物流助理", "Logistics Assistant", -1),
            ("物流主管（中欧班列）", "Logistics Supervisor (China-Europe Railway)", 1),
        ),
        core=(("logistics.first_leg", 3, 2.5), ("logistics.channel_selection_costing", 3, 2.0)),
        more=(
            ("logistics.freight_forwarding", 3, 2.0),
            ("logistics.rail_freight", 2, 1.5),
            ("logistics.sea_freight", 3, 1.5),
            ("logistics.overseas_warehouse", 2, 1.5),
            ("logistics.fba", 2, 1.0),
        ),
        optional=(
            ("logistics.shipment_tracking", 3, 1.0),
            ("logistics.cross_border_erp", 2, 1.0),
            ("customs.customs_declaration", 2, 1.0),
            ("trade.trade_documents", 2, 1.0),
            ("data_it.spreadsheet_analysis", 3, 0.8),
            ("logistics.container_loading", 2, 0.8),
            ("finance.cargo_insurance", 1, 0.5),
        ),
        languages=(("lang.en", 3),),
        markets=("european_union", "germany", "russia_central_asia", "belt_and_road", "middle_east", "united_states"),
        salary=(4500, 8000),
        duties=(
            ("安排头程海运、空运和中欧班列订舱", "Book first-leg sea, air and China-Europe Railway freight"),
            ("比较物流渠道和运费，控制物流成本", "Compare channels and rates to keep freight costs down"),
            ("跟踪货物状态，处理清关和派送异常", "Track cargo and fix clearance and delivery exceptions"),
            ("协调保税物流中心和海外仓入库", "Coordinate the bonded logistics centre and overseas warehouse receipts"),
        ),
    )
)

_add(
    Archetype(
        code="customs_declarant",
        titles=(
            ("报关员", "Customs Declarant", 0),
            ("跨境电商关务专员", "Cross-border Customs Specialist", 0),
            ("报关助理", "Customs Declaration Assistant", -1),
            ("关务主管", "Customs Affairs Supervisor", 1),
        ),
        core=(("customs.customs_declaration", 3, 3.0), ("customs.hs_classification", 3, 2.5)),
        more=(
            ("customs.mode_9610", 2, 1.5),
            ("customs.mode_9710", 2, 1.5),
            ("customs.mode_9810", 2, 1.5),
            ("customs.single_window", 3, 1.5),
            ("customs.export_tax_rebate", 2, 1.5),
        ),
        optional=(
            ("customs.general_trade_0110", 3, 1.0),
            ("customs.certificate_of_origin", 2, 1.0),
            ("customs.inspection_quarantine", 2, 1.0),
            ("trade.trade_documents", 3, 1.0),
            ("customs.mode_1210", 2, 0.8),
            ("customs.aeo", 1, 0.5),
            ("data_it.office_software", 3, 0.5),
        ),
        languages=(("lang.en", 2),),
        markets=("belt_and_road", "european_union", "southeast_asia", "middle_east"),
        salary=(4000, 7000),
        remote_share=0.0,
        duties=(
            (
                "办理一般贸易和跨境电商9610/9710/9810出口申报",
                "File general-trade and 9610/9710/9810 e-commerce export declarations",
            ),
            ("核对商品归类、申报要素和单证", "Check HS classification, declaration elements and documents"),
            ("通过国际贸易单一窗口办理业务", "Work through the International Trade Single Window"),
            ("协助企业办理出口退税和原产地证", "Help exporters with tax rebates and certificates of origin"),
        ),
    )
)

_add(
    Archetype(
        code="customer_service_es",
        titles=(
            ("西班牙语客服（拉美市场）", "Spanish-speaking Customer Service (Latin America)", 0),
            ("美客多西语运营", "Mercado Libre Operator (Spanish)", 0),
            ("西语客服助理", "Spanish Customer Service Assistant", -1),
            ("拉美市场客服主管", "Latin America Customer Service Lead", 1),
        ),
        core=(("service.cross_cultural_customer_service", 3, 2.5), ("service.after_sales_disputes", 3, 2.0)),
        more=(
            ("platform.mercado_libre", 2, 2.0),
            ("service.live_chat_support", 3, 1.5),
            ("service.email_ticket_support", 3, 1.5),
            ("marketing.whatsapp_business", 2, 1.0),
        ),
        optional=(
            ("content.localization", 3, 1.0),
            ("service.complaint_handling", 3, 1.0),
            ("platform.aliexpress", 2, 0.8),
            ("finance.local_payment_methods", 2, 0.8),
            ("service.customer_retention", 2, 0.8),
        ),
        languages=(("lang.es", 4), ("lang.en", 2)),
        markets=("south_america", "mexico_central_america"),
        salary=(5000, 8500),
        internship_share=0.2,
        remote_share=0.25,
        duties=(
            (
                "用西班牙语处理拉美买家咨询、售后和纠纷",
                "Answer Latin American buyers in Spanish: questions, after-sales, disputes",
            ),
            ("维护美客多和速卖通西语店铺评价", "Look after reviews on Mercado Libre and AliExpress Spanish stores"),
            ("翻译和本地化商品信息", "Translate and localise product information"),
            ("收集客户反馈，推动产品改进", "Collect customer feedback and push product fixes"),
        ),
    )
)

_add(
    Archetype(
        code="arabic_warehouse",
        titles=(
            ("阿拉伯语海外仓专员（迪拜）", "Arabic-speaking Overseas Warehouse Specialist (Dubai)", 0),
            ("中东市场运营（阿语）", "Middle East Marketplace Operator (Arabic)", 0),
            ("迪拜海外仓主管", "Dubai Overseas Warehouse Supervisor", 1),
        ),
        core=(("logistics.overseas_warehouse", 3, 3.0), ("service.cross_cultural_customer_service", 3, 1.5)),
        more=(
            ("platform.noon", 2, 1.5),
            ("logistics.warehouse_operations", 3, 2.0),
            ("customs.destination_clearance", 2, 1.5),
            ("logistics.last_mile", 2, 1.0),
        ),
        optional=(
            ("logistics.returns_handling", 2, 1.0),
            ("logistics.inventory_planning", 2, 1.0),
            ("management.business_etiquette", 2, 0.8),
            ("trade.distributor_development", 2, 0.8),
            ("product.tea_products", 2, 0.5),
        ),
        languages=(("lang.ar", 3), ("lang.en", 3)),
        markets=("middle_east", "belt_and_road"),
        salary=(7000, 13000),
        internship_share=0.05,
        remote_share=0.0,
        duties=(
            (
                "常驻或轮岗迪拜，管理本市中东海外仓的入库、出库和盘点",
                "Work in Dubai running receipts, dispatch and stock counts at the city's Middle East warehouse",
            ),
            ("用阿拉伯语对接当地清关、派送和客户", "Deal with local clearance, delivery and customers in Arabic"),
            ("帮助本市中小企业“借仓出海”", "Help the city's small firms share the warehouse to sell abroad"),
            ("开发中东经销商和Noon平台渠道", "Develop Middle East distributors and the Noon marketplace"),
        ),
    )
)

_add(
    Archetype(
        code="customer_service_en",
        titles=(
            ("英语客服专员", "English Customer Service Specialist", 0),
            ("跨境售后客服", "Cross-border After-sales Agent", 0),
            ("客服组长", "Customer Service Team Leader", 1),
        ),
        core=(("service.email_ticket_support", 3, 2.0), ("service.after_sales_disputes", 3, 2.0)),
        more=(
            ("service.live_chat_support", 3, 1.5),
            ("service.cross_cultural_customer_service", 3, 1.5),
            ("platform.review_management", 2, 1.0),
        ),
        optional=(
            ("service.complaint_handling", 2, 1.0),
            ("service.ai_chatbot", 2, 0.8),
            ("data_it.crm_systems", 2, 0.8),
            ("service.voice_of_customer", 2, 0.8),
        ),
        languages=(("lang.en", 4),),
        markets=("united_states", "united_kingdom", "european_union", "australia_oceania"),
        salary=(4000, 6500),
        internship_share=0.25,
        part_time_share=0.15,
        remote_share=0.3,
        duties=(
            ("用英语处理邮件、站内信和在线咨询", "Answer email, marketplace messages and chat in English"),
            ("处理退换货、差评和A-to-Z纠纷", "Handle returns, negative reviews and A-to-Z claims"),
            ("整理客户反馈给运营和产品团队", "Pass customer feedback to operations and product teams"),
        ),
    )
)

_add(
    Archetype(
        code="customer_service_ru",
        titles=(
            ("俄语客服与运营（Ozon/Wildberries）", "Russian-speaking Operator (Ozon/Wildberries)", 0),
            ("俄语跨境客服", "Russian-speaking Customer Service", 0),
        ),
        core=(("service.cross_cultural_customer_service", 3, 2.0), ("platform.ozon", 2, 2.0)),
        more=(
            ("platform.wildberries", 2, 1.5),
            ("service.after_sales_disputes", 3, 1.5),
            ("logistics.rail_freight", 2, 1.0),
        ),
        optional=(
            ("marketing.vk_russian_social", 2, 1.0),
            ("content.localization", 3, 1.0),
            ("product.tea_products", 2, 0.5),
        ),
        languages=(("lang.ru", 3), ("lang.en", 2)),
        markets=("russia_central_asia", "belt_and_road"),
        salary=(5500, 9500),
        duties=(
            ("用俄语处理Ozon和Wildberries买家咨询与售后", "Serve Ozon and Wildberries buyers in Russian"),
            ("协助俄语商品信息翻译与上架", "Translate and list products in Russian"),
            ("配合中欧班列发运计划", "Work with China-Europe Railway shipping schedules"),
        ),
    )
)

_add(
    Archetype(
        code="customer_service_jp",
        titles=(
            ("日语客服与运营（乐天/亚马逊日本）", "Japanese-speaking Operator (Rakuten/Amazon Japan)", 0),
            ("日语外贸业务员", "Japanese-speaking Export Sales", 0),
        ),
        core=(("service.cross_cultural_customer_service", 3, 2.0), ("management.business_etiquette", 3, 1.5)),
        more=(
            ("platform.rakuten", 2, 1.5),
            ("platform.amazon_seller_central", 2, 1.5),
            ("trade.inquiry_quotation", 3, 1.5),
        ),
        optional=(
            ("content.localization", 3, 1.0),
            ("product.quality_control", 2, 1.0),
            ("product.textiles_apparel", 2, 0.8),
        ),
        languages=(("lang.ja", 4),),
        markets=("japan", "rcep"),
        salary=(5500, 10000),
        duties=(
            ("用日语对接日本客户与平台", "Work with Japanese buyers and marketplaces in Japanese"),
            ("处理日本站点售后和品质反馈", "Handle after-sales and quality feedback from Japan"),
            ("翻译商品资料，配合展会接待", "Translate product material and host buyers at fairs"),
        ),
    )
)

_add(
    Archetype(
        code="customer_service_sea",
        titles=(
            ("东南亚小语种客服", "Southeast Asia Customer Service (local languages)", 0),
            ("Shopee本地化运营", "Shopee Localisation Operator", 0),
        ),
        core=(("service.cross_cultural_customer_service", 3, 2.0), ("service.live_chat_support", 3, 2.0)),
        more=(("platform.shopee", 2, 1.5), ("platform.lazada", 2, 1.5), ("content.localization", 3, 1.5)),
        optional=(
            ("service.after_sales_disputes", 2, 1.0),
            ("marketing.whatsapp_business", 2, 0.8),
            ("finance.local_payment_methods", 2, 0.5),
        ),
        languages=(("lang.en", 3),),
        markets=("southeast_asia", "rcep"),
        salary=(4500, 8000),
        remote_share=0.2,
        duties=(
            ("处理Shopee、Lazada东南亚买家咨询", "Answer Shopee and Lazada buyers across Southeast Asia"),
            ("本地化商品标题和描述", "Localise product titles and descriptions"),
            ("维护店铺评分与聊天响应率", "Keep store ratings and chat response rates up"),
        ),
    )
)

_add(
    Archetype(
        code="aliexpress_operator",
        titles=(
            ("速卖通运营专员", "AliExpress Store Operator", 0),
            ("速卖通运营助理", "AliExpress Operations Assistant", -1),
        ),
        core=(("platform.aliexpress", 3, 3.0), ("platform.listing_optimization", 3, 2.0)),
        more=(
            ("platform.platform_promotions", 3, 1.5),
            ("marketing.marketplace_ads", 2, 1.5),
            ("product.product_selection", 3, 1.5),
        ),
        optional=(
            ("data_it.spreadsheet_analysis", 3, 1.0),
            ("logistics.postal_small_parcel", 2, 1.0),
            ("platform.fully_managed_model", 2, 1.0),
            ("product.consumer_electronics", 2, 0.8),
        ),
        languages=(("lang.en", 3),),
        markets=("south_america", "russia_central_asia", "european_union", "middle_east"),
        salary=(4500, 8500),
        duties=(
            ("负责速卖通店铺运营、上新和活动报名", "Run the AliExpress store, new listings and campaigns"),
            ("优化商品标题、主图和价格", "Optimise titles, main images and prices"),
            (
                "分析各国站点销售，拓展巴西、墨西哥等市场",
                "Analyse sales by country and grow markets such as Brazil and Mexico",
            ),
        ),
    )
)

_add(
    Archetype(
        code="shopee_operator",
        titles=(
            ("Shopee/Lazada运营专员", "Shopee/Lazada Store Operator", 0),
            ("东南亚电商运营助理", "Southeast Asia E-commerce Assistant", -1),
        ),
        core=(("platform.shopee", 3, 3.0), ("platform.platform_promotions", 3, 1.5)),
        more=(
            ("platform.lazada", 2, 2.0),
            ("platform.listing_optimization", 3, 1.5),
            ("marketing.marketplace_ads", 2, 1.5),
        ),
        optional=(
            ("platform.multi_store_management", 2, 1.0),
            ("data_it.excel_formulas", 3, 0.8),
            ("product.beauty_personal_care", 2, 0.8),
            ("platform.tokopedia", 2, 0.5),
        ),
        languages=(("lang.en", 3),),
        markets=("southeast_asia", "rcep"),
        salary=(4500, 8000),
        duties=(
            ("运营Shopee和Lazada多站点店铺", "Run Shopee and Lazada stores in several countries"),
            ("报名大促活动，制定价格与优惠", "Enter mega-sales and set prices and vouchers"),
            ("分析站内广告和流量数据", "Analyse in-platform ads and traffic"),
        ),
    )
)

_add(
    Archetype(
        code="temu_operator",
        titles=(
            ("Temu全托管运营", "Temu Fully-managed Operator", 0),
            ("平台全托管运营助理", "Managed-marketplace Assistant", -1),
        ),
        core=(("platform.temu", 3, 3.0), ("platform.fully_managed_model", 3, 2.0)),
        more=(
            ("management.pricing_cost_accounting", 3, 2.0),
            ("product.product_selection", 3, 1.5),
            ("platform.shein", 2, 1.0),
        ),
        optional=(
            ("product.supplier_management", 2, 1.0),
            ("data_it.excel_pivot_tables", 3, 1.0),
            ("product.quality_control", 2, 0.8),
        ),
        languages=(("lang.en", 2),),
        markets=("united_states", "european_union"),
        salary=(4500, 8000),
        duties=(
            (
                "负责Temu、SHEIN全托管店铺核价、备货和上新",
                "Price, stock and list products for Temu and SHEIN managed stores",
            ),
            ("核算成本利润，制定报价", "Work out costs and margins and set quotes"),
            ("对接工厂备货与质检", "Coordinate factory stock and quality checks"),
        ),
    )
)

_add(
    Archetype(
        code="ebay_operator",
        titles=(
            ("eBay运营专员", "eBay Store Operator", 0),
            ("eBay/沃尔玛多平台运营", "eBay and Walmart Marketplace Operator", 0),
        ),
        core=(("platform.ebay", 3, 3.0), ("platform.listing_optimization", 3, 2.0)),
        more=(
            ("platform.walmart", 2, 1.5),
            ("logistics.fbm_self_fulfilment", 2, 1.5),
            ("platform.multi_store_management", 2, 1.0),
        ),
        optional=(
            ("marketing.marketplace_ads", 2, 1.0),
            ("service.after_sales_disputes", 2, 1.0),
            ("data_it.spreadsheet_analysis", 3, 0.8),
            ("product.home_garden", 2, 0.5),
        ),
        languages=(("lang.en", 3),),
        markets=("united_states", "united_kingdom", "germany", "australia_oceania"),
        salary=(4500, 8000),
        duties=(
            ("运营eBay和沃尔玛店铺，管理刊登和价格", "Run eBay and Walmart stores: listings and prices"),
            ("安排自发货和海外仓订单", "Arrange merchant-fulfilled and overseas-warehouse orders"),
            ("处理买家纠纷，保持账号表现", "Resolve buyer disputes and keep seller ratings up"),
        ),
    )
)

_add(
    Archetype(
        code="independent_store",
        titles=(
            ("Shopify独立站运营", "Shopify Independent Store Operator", 0),
            ("独立站运营主管", "DTC Store Lead", 1),
            ("独立站运营助理", "DTC Store Assistant", -1),
        ),
        core=(("platform.independent_store", 3, 3.0), ("platform.shopify", 3, 2.5)),
        more=(
            ("marketing.seo", 3, 1.5),
            ("marketing.google_ads", 2, 1.5),
            ("marketing.meta_ads", 2, 1.5),
            ("marketing.email_marketing", 2, 1.0),
        ),
        optional=(
            ("data_it.web_analytics", 2, 1.0),
            ("finance.payment_gateways", 2, 1.0),
            ("marketing.cro", 2, 1.0),
            ("data_it.storefront_customization", 2, 0.8),
            ("management.brand_building", 2, 0.8),
            ("marketing.crowdfunding", 1, 0.5),
        ),
        languages=(("lang.en", 4),),
        markets=("united_states", "european_union", "united_kingdom", "australia_oceania"),
        salary=(6000, 11000),
        remote_share=0.25,
        duties=(
            ("搭建和运营Shopify独立站", "Build and run the Shopify store"),
            ("负责谷歌、Meta广告和SEO引流", "Bring traffic through Google and Meta ads and SEO"),
            ("优化转化率，策划邮件营销", "Improve conversion and plan email campaigns"),
        ),
    )
)

_add(
    Archetype(
        code="ads_specialist",
        titles=(
            ("跨境广告投放专员", "Cross-border Ads Specialist", 0),
            ("亚马逊广告优化师", "Amazon PPC Specialist", 0),
            ("广告投放主管", "Paid Media Lead", 1),
        ),
        core=(("marketing.amazon_ppc", 3, 3.0), ("data_it.data_analysis", 3, 2.0)),
        more=(
            ("marketing.google_ads", 2, 1.5),
            ("marketing.meta_ads", 2, 1.5),
            ("marketing.tiktok_ads", 2, 1.5),
            ("platform.keyword_research", 3, 1.5),
        ),
        optional=(
            ("data_it.excel_pivot_tables", 3, 1.0),
            ("marketing.retargeting", 2, 0.8),
            ("data_it.bi_tools", 2, 0.8),
            ("marketing.cro", 2, 0.8),
        ),
        languages=(("lang.en", 3),),
        markets=("united_states", "european_union", "japan"),
        salary=(6000, 11000),
        remote_share=0.2,
        duties=(
            ("制定和优化亚马逊站内广告与站外投放", "Plan and tune Amazon PPC and off-platform ads"),
            ("监控ACoS、ROAS等指标，控制广告预算", "Watch ACoS and ROAS and keep to the budget"),
            ("输出广告周报和优化建议", "Write weekly ad reports with recommendations"),
        ),
    )
)

_add(
    Archetype(
        code="influencer_marketing",
        titles=(
            ("海外网红营销专员", "Influencer Marketing Specialist", 0),
            ("海外社媒运营", "Overseas Social Media Operator", 0),
        ),
        core=(("marketing.influencer_marketing", 3, 3.0), ("marketing.social_media_marketing", 3, 2.0)),
        more=(("marketing.instagram", 2, 1.5), ("marketing.youtube", 2, 1.5), ("marketing.tiktok_affiliate", 2, 1.5)),
        optional=(
            ("content.copywriting", 3, 1.0),
            ("management.negotiation", 2, 1.0),
            ("content.ugc_content", 2, 0.8),
            ("marketing.campaign_planning", 2, 0.8),
        ),
        languages=(("lang.en", 4),),
        markets=("united_states", "european_union", "southeast_asia", "south_america"),
        salary=(5500, 10000),
        remote_share=0.3,
        duties=(
            ("寻找并联络海外网红，谈判合作", "Find overseas creators, reach out and negotiate"),
            ("运营Instagram、YouTube等品牌账号", "Run the brand's Instagram and YouTube accounts"),
            ("跟踪合作效果与投入产出", "Track campaign results and return"),
        ),
    )
)

_add(
    Archetype(
        code="designer",
        titles=(
            ("电商美工设计师", "E-commerce Graphic Designer", 0),
            ("产品摄影与修图师", "Product Photographer and Retoucher", 0),
            ("视觉设计助理", "Visual Design Assistant", -1),
            ("视觉设计主管", "Visual Design Lead", 1),
        ),
        core=(("content.ecommerce_graphic_design", 3, 3.0), ("content.photoshop", 3, 2.5)),
        more=(
            ("content.product_photography", 3, 2.0),
            ("content.a_plus_content", 3, 1.5),
            ("content.image_editing", 3, 1.5),
        ),
        optional=(
            ("content.illustrator", 2, 1.0),
            ("content.canva", 2, 0.8),
            ("content.ai_image_generation", 2, 1.0),
            ("content.packaging_design", 2, 0.8),
            ("content.product_3d_rendering", 2, 0.8),
        ),
        languages=(),
        markets=("united_states", "european_union", "japan"),
        salary=(4500, 9000),
        internship_share=0.2,
        remote_share=0.2,
        duties=(
            ("设计商品主图、详情页和A+页面", "Design main images, detail pages and A+ content"),
            ("拍摄和精修产品图片", "Shoot and retouch product photos"),
            ("维护品牌视觉统一", "Keep the brand's look consistent"),
        ),
    )
)

_add(
    Archetype(
        code="video_editor",
        titles=(("短视频剪辑师", "Short-video Editor", 0), ("跨境短视频编导", "Cross-border Short-video Producer", 1)),
        core=(("content.video_editing", 3, 3.0), ("content.capcut", 3, 2.0)),
        more=(("content.video_shooting", 3, 2.0), ("content.video_scripting", 2, 1.5), ("content.premiere", 3, 1.5)),
        optional=(
            ("content.motion_graphics", 2, 1.0),
            ("marketing.short_video_marketing", 2, 1.0),
            ("content.digital_human_video", 2, 0.8),
            ("content.voiceover", 2, 0.5),
        ),
        languages=(("lang.en", 2),),
        markets=("united_states", "southeast_asia"),
        salary=(4500, 9000),
        internship_share=0.25,
        part_time_share=0.1,
        remote_share=0.2,
        duties=(
            ("拍摄和剪辑TikTok、Reels短视频", "Shoot and edit TikTok and Reels videos"),
            ("根据数据迭代脚本和创意", "Improve scripts and ideas from the numbers"),
            ("制作直播切片和广告素材", "Cut live-stream clips and ad creatives"),
        ),
    )
)

_add(
    Archetype(
        code="data_analyst",
        titles=(
            ("跨境电商数据分析师", "Cross-border E-commerce Data Analyst", 0),
            ("运营数据专员", "Operations Data Specialist", 0),
            ("数据分析助理", "Data Analysis Assistant", -1),
        ),
        core=(("data_it.data_analysis", 3, 3.0), ("data_it.spreadsheet_analysis", 3, 2.0)),
        more=(
            ("data_it.sql", 3, 2.0),
            ("data_it.bi_tools", 3, 1.5),
            ("data_it.excel_pivot_tables", 3, 1.5),
            ("data_it.python", 2, 1.5),
        ),
        optional=(
            ("data_it.data_visualization", 3, 1.0),
            ("data_it.statistics", 2, 1.0),
            ("logistics.demand_forecasting", 2, 1.0),
            ("finance.store_pnl", 2, 0.8),
            ("data_it.web_scraping", 2, 0.5),
        ),
        languages=(("lang.en", 3),),
        markets=("united_states", "european_union", "southeast_asia"),
        salary=(6000, 12000),
        remote_share=0.2,
        duties=(
            ("搭建销售、广告和库存数据报表", "Build sales, advertising and stock reports"),
            ("分析店铺利润和产品表现", "Analyse store profit and product performance"),
            ("为选品和补货提供数据支持", "Give product selection and replenishment the numbers they need"),
        ),
    )
)

_add(
    Archetype(
        code="developer",
        titles=(
            ("跨境ERP开发工程师", "Cross-border ERP Developer", 0),
            ("独立站前端工程师", "Storefront Front-end Developer", 0),
            ("技术负责人", "Engineering Lead", 1),
        ),
        core=(("data_it.api_integration", 3, 2.5), ("data_it.python", 3, 2.0)),
        more=(
            ("data_it.javascript", 3, 2.0),
            ("data_it.sql", 3, 2.0),
            ("data_it.html_css", 3, 1.5),
            ("logistics.cross_border_erp", 2, 1.5),
        ),
        optional=(
            ("data_it.rpa_automation", 2, 1.0),
            ("data_it.storefront_customization", 2, 1.0),
            ("data_it.cybersecurity", 2, 0.8),
            ("data_it.generative_ai_tools", 2, 0.8),
        ),
        languages=(("lang.en", 3),),
        markets=("united_states", "european_union"),
        salary=(8000, 16000),
        remote_share=0.3,
        duties=(
            ("对接亚马逊、Shopify等平台API", "Integrate Amazon, Shopify and other platform APIs"),
            ("开发和维护ERP订单、库存模块", "Build and maintain ERP order and stock modules"),
            ("开发自动化工具提升运营效率", "Build automation that saves the operations team time"),
        ),
    )
)

_add(
    Archetype(
        code="compliance",
        titles=(
            ("跨境合规专员", "Cross-border Compliance Specialist", 0),
            ("产品认证与知识产权专员", "Certification and IP Specialist", 0),
        ),
        core=(("customs.eu_vat_ioss", 3, 2.5), ("customs.ip_protection", 3, 2.0)),
        more=(
            ("customs.ce_certification", 2, 1.5),
            ("customs.fcc_certification", 2, 1.5),
            ("customs.trademark_registration", 2, 1.5),
            ("customs.gpsr_eu_rep", 2, 1.5),
        ),
        optional=(
            ("customs.epr_compliance", 2, 1.0),
            ("customs.product_test_documents", 2, 1.0),
            ("customs.gdpr", 2, 0.8),
            ("customs.export_control", 2, 0.8),
        ),
        languages=(("lang.en", 4),),
        markets=("european_union", "germany", "united_kingdom", "united_states"),
        salary=(6000, 11000),
        duties=(
            ("办理欧盟VAT、IOSS注册和申报", "Register and file EU VAT and IOSS"),
            ("办理CE、FCC等产品认证", "Obtain CE, FCC and other certifications"),
            ("注册海外商标，排查侵权风险", "Register trademarks abroad and screen for infringement"),
        ),
    )
)

_add(
    Archetype(
        code="payments_specialist",
        titles=(
            ("跨境支付业务专员", "Cross-border Payments Specialist", 0),
            ("供应链金融客户经理", "Supply-chain Finance Account Manager", 1),
        ),
        core=(("finance.cross_border_collection", 3, 2.5), ("finance.fx_settlement", 3, 2.5)),
        more=(
            ("finance.forex_compliance", 3, 1.5),
            ("finance.export_credit_insurance", 2, 1.5),
            ("finance.supply_chain_finance", 2, 1.5),
            ("finance.receivables_financing", 2, 1.0),
        ),
        optional=(
            ("finance.warehouse_receipt_pledge", 2, 1.0),
            ("finance.fx_risk", 2, 1.0),
            ("finance.intl_settlement", 2, 1.0),
            ("data_it.spreadsheet_analysis", 3, 0.8),
            ("finance.subsidy_applications", 2, 0.5),
        ),
        languages=(("lang.en", 3),),
        markets=("belt_and_road", "rcep", "european_union", "united_states"),
        salary=(6000, 12000),
        duties=(
            ("为跨境电商企业开通收款账户并办理结汇", "Open collection accounts for sellers and handle FX settlement"),
            ("讲解出口信用保险和供应链金融产品", "Explain export credit insurance and supply-chain finance"),
            ("审核交易背景，确保外汇合规", "Check trade background for foreign-exchange compliance"),
        ),
    )
)
