"""Demo organisations: firms of the kinds the city report names, its universities and the two bureaus.

The named firms come first (精华纺织 and 玉立砂带 are the report's own examples); larger data sets add
generated firms built from name parts, so ``--firms 4000`` still gives unique, plausible names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrgSpec:
    """One organisation to create: names in both languages, kind, firm category and a bilingual blurb."""

    slug: str
    name_zh: str
    name_en: str
    kind: str
    category: str = ""
    description: str = ""
    # Archetype codes this firm mostly hires for (firms only); see archetypes.py.
    hires: tuple[str, ...] = ()
    status: str = "approved"
    location: str = ""


def _firm(slug, zh, en, category, hires, zh_desc, en_desc) -> OrgSpec:
    return OrgSpec(
        slug=slug,
        name_zh=zh,
        name_en=en,
        kind="firm",
        category=category,
        hires=tuple(hires),
        description=f"{zh_desc}\n\n{en_desc}",
    )


# The firm whose admin is firm@demo.talentmatch.cn; always created first.
DEMO_FIRM_SLUG = "jinghua-textiles"
DEMO_UNIVERSITY_SLUG = "guicheng-tech"
DEMO_GOVERNMENT_SLUG = "commerce-bureau"
PENDING_FIRM_SLUG = "haichuan-supply-chain"

NAMED_FIRMS: list[OrgSpec] = [
    _firm(
        "jinghua-textiles",
        "精华纺织",
        "Jinghua Textiles",
        "manufacturer",
        ["amazon_operator", "alibaba_b2b", "designer", "data_analyst", "customer_service_en"],
        "老牌纺织制造企业，正在从广交会订单转向亚马逊和阿里巴巴国际站，主攻日本、德国和中东市场。",
        "An established textile mill moving from Canton Fair orders to Amazon and Alibaba.com, selling to "
        "Japan, Germany and the Middle East.",
    ),
    _firm(
        "yuli-abrasive-belts",
        "玉立砂带",
        "Yuli Abrasive Belts",
        "manufacturer",
        ["alibaba_b2b", "amazon_operator", "customs_declarant", "customer_service_es"],
        "砂带与磨具制造商，通过阿里巴巴国际站和独立站开拓南美、中东和东南亚工业客户。",
        "Maker of abrasive belts and grinding tools, winning industrial buyers in South America, the "
        "Middle East and Southeast Asia through Alibaba.com and its own store.",
    ),
    _firm(
        "guixiang-home",
        "桂乡家居跨境",
        "Guixiang Home Cross-border",
        "seller",
        ["amazon_operator", "ads_specialist", "designer", "data_analyst"],
        "在亚马逊美国站和欧洲站销售家居收纳和桂花香氛产品。",
        "Sells home storage and osmanthus home fragrance on Amazon US and Europe.",
    ),
    _firm(
        "chufeng-apparel",
        "楚风服饰",
        "Chufeng Apparel",
        "seller",
        ["tiktok_live", "tiktok_shop_operator", "designer", "video_editor"],
        "原创服饰品牌，在TikTok Shop和独立站做直播带货。",
        "An apparel brand selling through TikTok Shop live streams and its own Shopify store.",
    ),
    _firm(
        "xinghe-outdoor",
        "星河户外用品",
        "Xinghe Outdoor Gear",
        "seller",
        ["amazon_operator", "ebay_operator", "ads_specialist", "customer_service_en"],
        "帐篷、露营灯等户外用品卖家，主营亚马逊和eBay。",
        "Tents, camping lights and outdoor gear on Amazon and eBay.",
    ),
    _firm(
        "qingzhuan-tea",
        "青砖茶业",
        "Qingzhuan Brick Tea",
        "manufacturer",
        ["alibaba_b2b", "arabic_warehouse", "customer_service_ru", "designer"],
        "百年青砖茶企业，借中东海外仓和中欧班列把茶叶卖到迪拜和俄罗斯。",
        "A century-old brick-tea maker shipping to Dubai and Russia through the Middle East overseas "
        "warehouse and the China-Europe Railway Express.",
    ),
    _firm(
        "jingui-electronics",
        "金桂电子",
        "Jingui Electronics",
        "seller",
        ["aliexpress_operator", "amazon_operator", "customer_service_es", "compliance"],
        "消费电子配件卖家，速卖通和亚马逊双平台运营，重点拓展巴西和墨西哥。",
        "Consumer-electronics accessories on AliExpress and Amazon, expanding into Brazil and Mexico.",
    ),
    _firm(
        "wenquan-beauty",
        "温泉美妆",
        "Wenquan Beauty",
        "seller",
        ["tiktok_live", "shopee_operator", "influencer_marketing", "customer_service_sea"],
        "温泉矿物护肤品牌，在Shopee、Lazada和TikTok Shop东南亚站销售。",
        "A hot-spring mineral skincare brand on Shopee, Lazada and TikTok Shop in Southeast Asia.",
    ),
    _firm(
        "hongtai-hardware",
        "鸿泰五金工具",
        "Hongtai Hardware & Tools",
        "manufacturer",
        ["alibaba_b2b", "customer_service_es", "customs_declarant", "logistics_coordinator"],
        "五金工具制造商，阿里巴巴国际站B2B出口拉美和非洲。",
        "A hand-tool manufacturer exporting B2B through Alibaba.com to Latin America and Africa.",
    ),
    _firm(
        "zhuyun-crafts",
        "竹韵工艺品",
        "Zhuyun Bamboo Crafts",
        "manufacturer",
        ["independent_store", "designer", "amazon_operator"],
        "竹制家居和工艺品工厂，开设独立站并入驻亚马逊手工艺品频道。",
        "A bamboo homeware and craft workshop with its own Shopify store and Amazon Handmade shop.",
    ),
    _firm(
        "zhuma-materials",
        "苎麻新材料",
        "Zhuma Ramie Materials",
        "manufacturer",
        ["alibaba_b2b", "customer_service_jp", "compliance"],
        "苎麻面料和新材料企业，主攻日本和欧盟市场。",
        "Ramie fabrics and new materials for Japan and the EU.",
    ),
    _firm(
        "chongle-pet",
        "宠乐宠物用品",
        "Chongle Pet Supplies",
        "seller",
        ["temu_operator", "amazon_operator", "data_analyst", "ads_specialist"],
        "宠物用品卖家，Temu全托管和亚马逊FBA并行。",
        "Pet supplies sold through Temu's fully managed model and Amazon FBA.",
    ),
    _firm(
        "zhongou-tongda",
        "中欧通达国际物流",
        "Zhong'ou Tongda International Logistics",
        "logistics",
        ["logistics_coordinator", "customs_declarant", "customer_service_ru", "data_analyst"],
        "中欧班列集拼和海外仓服务商，连接本市保税物流中心与欧洲。",
        "Consolidates China-Europe Railway Express freight and runs overseas warehouses linking the "
        "city's bonded logistics centre with Europe.",
    ),
    _firm(
        "silk-road-warehouse",
        "丝路中东海外仓",
        "Silk Road Middle East Warehousing",
        "logistics",
        ["arabic_warehouse", "logistics_coordinator", "customs_declarant"],
        "运营本市在迪拜的海外仓，为中小企业提供“借仓出海”服务。",
        "Runs the city's overseas warehouse in Dubai so small manufacturers can share it to sell abroad.",
    ),
    _firm(
        "suda-logistics",
        "速达跨境物流",
        "Suda Cross-border Logistics",
        "logistics",
        ["logistics_coordinator", "customer_service_en", "data_analyst"],
        "跨境小包、空运和头程物流服务商。",
        "Cross-border parcels, air freight and first-mile logistics to FBA warehouses.",
    ),
    _firm(
        "guantong-customs",
        "关通报关",
        "Guantong Customs Brokerage",
        "customs_broker",
        ["customs_declarant", "compliance", "logistics_coordinator"],
        "代报关、9610/9710/9810申报和出口退税代理。",
        "Customs brokerage (代报关): 9610/9710/9810 declarations and export tax rebates.",
    ),
    _firm(
        "chengxin-customs",
        "诚信代理报关",
        "Chengxin Customs Agency",
        "customs_broker",
        ["customs_declarant", "compliance"],
        "为本市外贸企业提供一般贸易与跨境电商报关服务。",
        "General-trade and cross-border e-commerce customs declarations for local exporters.",
    ),
    _firm(
        "chuhaibang-agency",
        "出海帮代运营",
        "Chuhaibang E-commerce Agency",
        "agency",
        ["amazon_operator", "tiktok_shop_operator", "ads_specialist", "influencer_marketing"],
        "为传统工厂提供亚马逊、TikTok代运营和品牌出海服务。",
        "Agency operation (代运营) of Amazon and TikTok stores for factories going online.",
    ),
    _firm(
        "kuajingxing-agency",
        "跨境星代运营",
        "Kuajingxing Store Operations",
        "agency",
        ["shopee_operator", "aliexpress_operator", "designer", "customer_service_sea"],
        "东南亚电商代运营，服务Shopee、Lazada店铺。",
        "Runs Shopee and Lazada stores for brands entering Southeast Asia.",
    ),
    _firm(
        "latam-connect",
        "拉美通数字营销",
        "LatAm Connect Digital Marketing",
        "agency",
        ["customer_service_es", "influencer_marketing", "ads_specialist"],
        "面向拉美市场的西语营销与客服外包团队。",
        "Spanish-language marketing and customer service for sellers entering Latin America.",
    ),
    _firm(
        "huitong-payments",
        "汇通跨境支付",
        "Huitong Cross-border Payments",
        "payments",
        ["payments_specialist", "compliance", "data_analyst"],
        "跨境收款、结汇和出口信用保险服务。",
        "Cross-border collection, FX settlement (结汇) and export credit insurance.",
    ),
    _firm(
        "finance-town-scf",
        "金融小镇供应链金融",
        "Finance Town Supply Chain Finance",
        "payments",
        ["payments_specialist", "data_analyst"],
        "依托市金融小镇，为跨境电商企业提供仓单质押和应收账款融资。",
        "Warehouse-receipt and receivables financing for cross-border sellers, based in the city's Finance Town.",
    ),
    _firm(
        "yunfan-saas",
        "云帆跨境SaaS",
        "Yunfan Cross-border SaaS",
        "platform",
        ["developer", "data_analyst", "customer_service_en"],
        "跨境ERP和多平台店铺管理软件服务商。",
        "Cross-border ERP and multi-store management software.",
    ),
    _firm(
        "new-silk-road-tech",
        "新丝路独立站科技",
        "New Silk Road Store Tech",
        "platform",
        ["independent_store", "developer", "designer", "ads_specialist"],
        "Shopify独立站建站、前端定制和广告投放服务。",
        "Builds and customises Shopify stores and runs their ads.",
    ),
]

PENDING_FIRM = OrgSpec(
    slug=PENDING_FIRM_SLUG,
    name_zh="海川跨境供应链",
    name_en="Haichuan Cross-border Supply Chain",
    kind="firm",
    category="logistics",
    status="pending",
    hires=("logistics_coordinator",),
    description="新注册的供应链服务企业，等待平台审核。\n\nA newly registered supply-chain firm awaiting approval.",
)

UNIVERSITIES: list[OrgSpec] = [
    OrgSpec(
        "guicheng-tech",
        "桂城理工大学",
        "Guicheng University of Technology",
        "university",
        description="开设跨境电子商务、国际经济与贸易、计算机等专业，与本地企业共建校企政联合实验室。\n\n"
        "Offers cross-border e-commerce, international trade and computing, with a "
        "school-enterprise-government joint lab.",
    ),
    OrgSpec(
        "guixiang-vocational",
        "桂乡职业技术学院",
        "Guixiang Vocational and Technical College",
        "university",
        description="高职院校，开设电子商务、物流管理和跨境电商订单班。\n\n"
        "A vocational college with e-commerce, logistics and firm-sponsored order classes.",
    ),
    OrgSpec(
        "training-centre",
        "市跨境电商公共服务中心（培训中心）",
        "City Cross-border E-commerce Public Service and Training Centre",
        "university",
        description="政府支持的公共服务中心，为企业员工和转岗外贸人员提供免费跨境电商培训。\n\n"
        "The government-backed public centre giving free cross-border e-commerce training "
        "to firm staff and retraining foreign-trade workers.",
    ),
    OrgSpec(
        "guicheng-foreign-languages",
        "桂城外国语学院",
        "Guicheng College of Foreign Languages",
        "university",
        description="培养英语、西班牙语、阿拉伯语、日语等外语人才。\n\n"
        "Trains English, Spanish, Arabic and Japanese speakers.",
    ),
    OrgSpec(
        "commerce-vocational",
        "市商贸职业学院",
        "City Vocational College of Commerce and Trade",
        "university",
        description="商贸类高职院校，开设市场营销、商务英语和电子商务专业。\n\n"
        "Vocational college for marketing, business English and e-commerce.",
    ),
    OrgSpec(
        "changjiang-it",
        "长江信息工程学院",
        "Changjiang Institute of Information Engineering",
        "university",
        description="信息技术类院校，开设计算机、数据分析和数字媒体专业。\n\n"
        "An IT college: computing, data analysis and digital media.",
    ),
    OrgSpec(
        "guicheng-finance",
        "桂城财经学院",
        "Guicheng College of Finance and Economics",
        "university",
        description="财经类院校，开设国际经济与贸易、金融和会计专业。\n\n"
        "Finance and economics: international trade, finance and accounting.",
    ),
    OrgSpec(
        "city-technician",
        "市技师学院",
        "City Technician College",
        "university",
        description="技工院校，开设物流、电子商务和直播电商短期课程。\n\n"
        "A technician college with logistics, e-commerce and live-commerce short courses.",
    ),
]

GOVERNMENT: list[OrgSpec] = [
    OrgSpec(
        DEMO_GOVERNMENT_SLUG,
        "市商务局",
        "Municipal Bureau of Commerce",
        "government",
        description="负责本市跨境电商发展规划、外贸扶持政策和公共服务平台建设。\n\n"
        "Plans the city's cross-border e-commerce growth, trade support and public platforms.",
    ),
    OrgSpec(
        "hr-bureau",
        "市人力资源和社会保障局（市人社局）",
        "Municipal Human Resources and Social Security Bureau",
        "government",
        description="负责人才引进、职业技能培训补贴和就业统计。\n\n"
        "Runs talent recruitment, training subsidies and employment statistics.",
    ),
]

# Parts for generated firms beyond the named ones: prefix x trade x form gives 40 x 20 x 5 = 4,000 names.
FIRM_PREFIXES = [
    ("华信", "Huaxin"),
    ("恒达", "Hengda"),
    ("瑞丰", "Ruifeng"),
    ("长江", "Changjiang"),
    ("九宫", "Jiugong"),
    ("金山", "Jinshan"),
    ("银河", "Yinhe"),
    ("鼎盛", "Dingsheng"),
    ("宏远", "Hongyuan"),
    ("嘉禾", "Jiahe"),
    ("明德", "Mingde"),
    ("天成", "Tiancheng"),
    ("永安", "Yong'an"),
    ("东方", "Dongfang"),
    ("锦程", "Jincheng"),
    ("富源", "Fuyuan"),
    ("新航", "Xinhang"),
    ("博远", "Boyuan"),
    ("通泰", "Tongtai"),
    ("海纳", "Haina"),
    ("润达", "Runda"),
    ("华美", "Huamei"),
    ("远航", "Yuanhang"),
    ("凯越", "Kaiyue"),
    ("泰和", "Taihe"),
    ("隆昌", "Longchang"),
    ("益佳", "Yijia"),
    ("卓越", "Zhuoyue"),
    ("桂香", "Guixiang"),
    ("温泉", "Wenquan"),
    ("星城", "Xingcheng"),
    ("楚天", "Chutian"),
    ("淦河", "Ganhe"),
    ("香城", "Xiangcheng"),
    ("鸿运", "Hongyun"),
    ("聚源", "Juyuan"),
    ("盛世", "Shengshi"),
    ("万通", "Wantong"),
    ("信达", "Xinda"),
    ("和盛", "Hesheng"),
]
FIRM_TRADES = [
    ("纺织", "Textiles", "manufacturer"),
    ("砂带磨具", "Abrasives", "manufacturer"),
    ("家居", "Home Goods", "seller"),
    ("服饰", "Apparel", "seller"),
    ("五金", "Hardware", "manufacturer"),
    ("电子", "Electronics", "seller"),
    ("户外用品", "Outdoor Gear", "seller"),
    ("茶业", "Tea", "manufacturer"),
    ("竹木制品", "Bamboo & Wood Products", "manufacturer"),
    ("宠物用品", "Pet Supplies", "seller"),
    ("国际物流", "International Logistics", "logistics"),
    ("报关", "Customs Brokerage", "customs_broker"),
    ("电商服务", "E-commerce Services", "agency"),
    ("跨境支付", "Cross-border Payments", "payments"),
    ("美妆", "Beauty", "seller"),
    ("玩具", "Toys", "seller"),
    ("汽配", "Auto Parts", "manufacturer"),
    ("灯饰", "Lighting", "manufacturer"),
    ("箱包", "Bags & Luggage", "seller"),
    ("母婴用品", "Baby Products", "seller"),
]
FIRM_FORMS = [
    ("贸易有限公司", "Trading Co., Ltd."),
    ("科技有限公司", "Technology Co., Ltd."),
    ("实业有限公司", "Industrial Co., Ltd."),
    ("电子商务有限公司", "E-commerce Co., Ltd."),
    ("供应链有限公司", "Supply Chain Co., Ltd."),
]

# What each category of generated firm hires for.
HIRES_BY_CATEGORY = {
    "seller": (
        "amazon_operator",
        "tiktok_shop_operator",
        "ads_specialist",
        "designer",
        "customer_service_en",
        "data_analyst",
        "aliexpress_operator",
        "temu_operator",
        "ebay_operator",
        "tiktok_live",
    ),
    "manufacturer": (
        "alibaba_b2b",
        "amazon_operator",
        "customer_service_es",
        "customs_declarant",
        "designer",
        "arabic_warehouse",
        "customer_service_jp",
        "independent_store",
    ),
    "logistics": (
        "logistics_coordinator",
        "customs_declarant",
        "arabic_warehouse",
        "customer_service_ru",
        "data_analyst",
    ),
    "customs_broker": ("customs_declarant", "compliance", "logistics_coordinator"),
    "agency": (
        "amazon_operator",
        "tiktok_live",
        "shopee_operator",
        "influencer_marketing",
        "ads_specialist",
        "customer_service_sea",
        "video_editor",
    ),
    "payments": ("payments_specialist", "compliance", "data_analyst"),
    "platform": ("developer", "data_analyst", "independent_store"),
}

# Where firms of each category usually sit (Location codes of the shipped taxonomy).
LOCATIONS_BY_CATEGORY = {
    "seller": ("ecommerce_park", "hi_tech_zone", "city_centre"),
    "manufacturer": ("economic_dev_zone", "east_county", "west_county"),
    "logistics": ("bonded_logistics_centre", "economic_dev_zone"),
    "customs_broker": ("bonded_logistics_centre", "city_centre"),
    "agency": ("ecommerce_park", "city_centre"),
    "payments": ("finance_town",),
    "platform": ("hi_tech_zone", "ecommerce_park"),
    "": ("city_centre", "hi_tech_zone"),
}

# Vocational colleges beyond the named eight, for very large student sets.
UNIVERSITY_PLACES = [
    ("东县", "East County"),
    ("西县", "West County"),
    ("高新区", "Hi-tech Zone"),
    ("经开区", "Economic Development Zone"),
    ("南湖", "Nanhu"),
    ("北山", "Beishan"),
    ("温泉", "Wenquan"),
    ("金桂", "Jingui"),
]
UNIVERSITY_KINDS = [
    ("职业技术学院", "Vocational and Technical College"),
    ("商贸学校", "School of Commerce"),
    ("电商培训学校", "E-commerce Training School"),
]
