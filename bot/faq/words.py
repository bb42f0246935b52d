"""How an FAQ question is cut into terms: jieba words and character bigrams, after folding the
shop's everyday synonyms (邮费/运费, 自取/自提, 烂果/坏果) onto one word, so a customer who never
uses the merchant's wording still lands on the entry."""
from __future__ import annotations

import re

import jieba

from ..nlu.normalize import normalize
from .sounds import SoundAlike

# canonical word <- the ways customers say it (longest first when applied). General retail words,
# not any one shop's entries: a merchant's own wording is matched through its phrasings.
SYNONYMS = {
    "运费": ["快递费", "邮费", "配送费", "运输费", "寄费", "邮资", "运钱", "快递钱", "邮寄费", "送货费", "跑腿费", "物流费", "付运费", "出运费", "加运费",
          "快递费用", "配送费用", "运输费用", "邮寄费用", "送货费用", "托运费", "冷链费", "上门费", "外送费", "邮费钱", "快递费钱", "运费钱", "路费",
          "送费", "派送费", "跑腿钱", "运杂费", "别的费用", "其他费用", "额外费用", "额外的费用", "另外的费用", "其他的费用", "别的费"],
    "包邮": ["保邮", "免运费", "免邮费", "免邮", "不要运费", "不收运费", "免费配送", "免费送货", "免费送", "包快递", "邮费全免", "包运费", "包邮费", "免快递费", "免配送费",
          "不收邮费", "不要邮费", "不用运费", "不用邮费", "邮费全包", "运费全免", "包送", "免费邮寄", "免费快递", "包配送", "起送价", "起送金额", "起送", "免运", "满额免", "包邮门槛", "免邮门槛", "凑单"],
    "配送": ["送得进来", "送的进来", "送得进去", "送的进去", "整过来", "弄过来", "搞过来", "配过来", "送得到", "送的到", "送得过来", "送的过来", "送得过去", "送的过去", "隔天到", "多久到手", "多长时间到", "送货", "派送", "送达", "送到", "能送", "送上门", "上门送", "发货到", "寄到", "快递到", "可以寄", "能寄", "寄过去", "送不送", "送吗", "发到",
          "能发", "送过来", "送来", "当天到", "当天送", "今天送", "明天送", "次日达", "当日达", "几点送", "几点开始送", "开始送", "啥时候送", "什么时候送", "能到吗",
          "能到不", "几天能到", "多久能到", "几天到", "多久到", "送货上门", "配送上门", "同城配送", "同城送", "闪送", "送不到", "能不能送", "发快递", "发顺丰",
          "走快递", "冷链", "到货时间", "走什么快递", "走啥快递", "走哪家快递", "用什么快递", "用哪家快递", "发什么快递", "发哪家快递", "截单", "截止下单", "时效", "半日达", "极速达", "定时送", "预约送达", "指定时间送", "收货时间", "送达时间", "多快能到", "多快到",
          "能收到", "多久收到", "几个钟头能到", "几个小时能到", "几小时能到", "几个钟头到", "几个小时到", "到我手上", "到手上", "能到手", "给送", "给不给送", "能吃上", "吃得上", "能到家", "送到家", "到得了家", "几天收到", "哪天收到", "到得了", "送得了", "到不了", "送不了",
          "能拿到", "拿得到", "收得到", "当天能到", "今天能到", "明天能到", "当天能送到", "几点下单", "几点前下单", "几点之前下单"],
    "范围": ["区域", "地区", "哪些区", "哪些地方", "哪里能", "哪儿能", "哪几个区", "外地", "外省", "省外", "偏远地区", "哪些城市", "全国", "配送区域", "哪些区域",
          "周边", "覆盖", "偏远", "住得偏", "比较偏", "很偏", "市区", "郊区", "县城", "乡下", "农村", "外市", "省内", "全市", "哪里都送", "送哪里"],
    "发票": ["开票", "凭证", "单据", "票据", "报账", "出票", "增票", "invoice", "报销凭证", "专票", "普票", "开发票", "电子发票", "纸质发票", "增值税", "收据", "报销", "税号", "抬头"],
    "修改": ["更改", "变更", "改一下", "改下", "改成", "换一下", "换个", "更正", "改正", "修正", "改动", "调整", "调一下", "调下", "更新", "能变", "可以变", "变一下", "重新填", "重填", "重新写", "重写", "重新选", "重选"],
    "地址": ["收货地址", "收件地址", "住址", "送货地址", "配送地址", "详细地址", "位置", "地点", "收货信息", "收件信息", "收货人", "收件人",
          "小区名字", "小区名", "楼号", "楼栋号", "栋号", "幢号", "房号", "房间号", "单元号", "门牌", "收货的地方", "收件的地方", "送去的地方", "寄去的地方", "送到的地方", "送的地方", "送货的地方", "送货地点", "收货地点", "寄的地方", "门牌号"],
    # what goes wrong when an order is filled in (「地址写岔了」 is 「地址填错了」)
    "填错": ["没选对", "没填对", "没写对", "填成", "写成", "写错", "弄错", "搞错", "选错", "打错", "下错", "填岔", "写岔", "填反", "写反", "填漏", "漏写", "少写", "写漏", "选成", "填的是", "写的是"],
    "自提": ["领货", "拿货", "自取", "自己取", "自己拿", "自己来拿", "自己去拿", "自己过去拿", "自己来取", "自己去取", "到店取", "门店取", "上门取", "提货", "来店里拿", "到店拿",
          "店里拿", "取货", "到店自取", "店里取", "门店自提", "上门自提", "上门拿", "到店", "来店", "取东西", "拿东西", "来拿", "来取", "线下取", "取件", "过去拿", "过来拿", "过去取", "过来取", "自己提", "亲自去拿", "顺路拿"],
    "自提点": ["取货点", "提货点", "自取点", "取件地方", "取件的地方", "取货的地方", "提货的地方", "自提的地方", "取货地方"],
    # where the shop is, keeping the question of place (「门店在哪里呀」 shares 在哪 with 「自提点在哪」)
    "门店在哪": ["店在哪", "店在哪里", "店在哪儿", "门店在哪里", "门店在哪儿", "店开在哪", "店开在哪里", "店开在哪儿",
             "店铺地址", "店的地址", "店的位置", "店地址", "店址", "店面地址", "门店地址", "店开在哪儿的", "店开在哪里的"],
    "门店": ["仓库", "开的店", "实体店", "线下店", "店面", "店铺", "你们店", "线下门店", "实体门店", "门市", "门面", "铺子", "店开在", "你们的店", "你们家的店", "你家店"],
    "坏果": ["烂果", "坏的", "烂的", "坏了", "烂了", "变质", "压坏", "磕坏", "发霉", "破损", "坏掉", "霉了", "不新鲜", "坏掉的", "烂掉", "腐烂", "变坏",
          "磕碰", "碰伤", "压烂", "挤坏", "摔坏", "摔烂", "裂开", "破皮", "长毛", "长虫", "有虫", "质量问题", "品质问题", "流汁", "出水", "烂掉了", "磕伤", "压伤", "碰坏", "摔伤", "撞坏", "颠坏",
          "有霉", "霉点", "霉斑", "黑斑", "烂心", "坏心", "黑心", "软塌塌", "异味", "发软", "蔫了", "发黑", "不好的果", "品相不好", "品相差", "熟过头", "过熟", "冻坏", "冻伤",
          # goods other than fruit are damaged too (牛奶漏了, 鸡蛋碎了)
          "烂果子", "坏果子", "烂水果", "坏水果", "化水", "漏了", "碎掉", "摔碎", "压碎", "打碎", "蛋碎", "漏液", "破了", "瘪了", "全黑了", "都黑了", "黑了"],
    "赔": ["包赔", "赔付", "理赔", "赔偿", "补发", "售后", "包退", "包换", "退换", "赔钱", "赔不赔", "能赔", "怎么赔",
          "负责", "负不负责", "管不管", "认不认", "保障", "能退", "给退", "可以退", "退不退", "退点钱", "退一点钱", "退一部分", "给个说法", "讨个说法"],
    "储存": ["冰格", "冷冻格", "冻着", "冰着", "冻起来", "冰起来", "冰一下", "冻一下", "冰柜", "冷柜", "搁几天", "搁多久", "能搁", "放外面", "隔夜", "保存", "存放", "放冰箱", "冷藏", "保鲜", "放几天", "能放", "放多久", "怎么存", "咋存", "冷冻", "冰箱", "常温", "怎么放", "咋放", "放哪", "储藏",
          "贮存", "冷藏室", "冷冻室", "室温", "阴凉", "通风", "放得住", "久放", "存多久", "保存多久", "能放多久", "放坏", "放烂", "能冻", "可以冻", "冻一冻", "冻得"],
    "产地": ["原产地", "哪里产", "哪产", "哪儿产", "哪里的", "哪儿的", "从哪来", "什么地方产", "产自", "哪里进的", "原产", "产区", "进口的", "国产的", "源头",
          "出产", "产于", "种植基地", "哪里种的", "哪儿种的"],
    "营业": ["收工", "开张", "关店", "作息", "开业", "开门", "关门", "上班", "下班", "营业时间", "几点开", "几点关", "营业到", "开到几点", "放假", "休息吗", "在线时间", "开吗", "开不开", "开着吗",
          "还开着", "上线", "下线", "几点有人", "什么时候有人", "啥时候有人", "什么时候在", "啥时候在", "值班", "开门时间", "上班时间", "工作时间", "在线吗", "打烊",
          "歇业", "节假日", "休息日", "几点下班", "收摊", "出摊", "工作到几点", "上班到几点", "在线到几点", "干到几点", "全年无休", "无休", "天天开", "每天都开", "干活", "开工", "啥时候休息", "什么时候休息", "哪天休息", "开到多晚", "开始接单", "接单", "什么时间在", "啥时间在", "几点在"],
    "支付": ["交钱", "付账", "白条", "苹果支付", "applepay", "赊账", "打钱", "打款", "收款账户", "付款", "付钱", "给钱", "结账", "买单", "货到付款", "支付宝", "微信支付", "刷卡", "信用卡", "花呗", "转账", "现金", "分期", "到付", "扫码付",
          "微信付", "付", "用微信", "月结", "钱怎么给", "支持微信", "先货后款", "货到再付", "数字人民币", "对公", "银行卡", "储蓄卡",
          "借记卡", "云闪付", "扫码", "二维码", "收款码", "付款码", "对公转账", "公司转账", "零钱", "先付", "后付", "先用后付", "现付", "付现", "代付", "苹果pay", "applepay", "pay", "结算", "埋单", "收钱码", "刷脸", "定金", "网银", "paypal", "visa", "转给你", "转你", "微信转", "把钱给", "钱给你", "钱打给", "钱转给", "钱打到", "打到哪", "钱打哪", "钱转哪", "打哪里", "转哪里"],
    "礼盒": ["果篮", "水果篮", "包装费", "包好看", "包漂亮", "包装好看", "礼品装", "礼品包装", "礼盒装", "礼物", "送礼", "礼品", "精装", "送人", "送朋友", "送长辈", "能送人", "盒子", "包装盒", "礼品盒", "礼品袋", "礼袋",
          "包装袋", "盒装", "送礼用", "送老师", "伴手礼", "包装一下", "包起来", "丝带", "彩带"],
    "贺卡": ["卡片", "祝福语", "祝福卡", "留言卡", "祝福", "写几句", "写卡", "手写卡", "留言", "祝福的话"],
    "当天": ["当日", "今天", "今日"],
    "下单": ["拍下", "订货", "订购", "购买", "买的话"],
    "多少钱": ["什么价", "啥价", "价格", "多少米", "几块钱", "几个钱", "几多钱", "好多钱", "贵不贵", "贵吗", "贵么", "贵伐", "贵嘛", "贵不"],
    "多久": ["几天", "多长时间", "多少天", "什么时候", "几个钟头", "几个小时", "多少个小时", "几小时"],
}
# The words that name what a question is about (a topic), as opposed to how it is asked
# (多少钱, 多久, 当天): an entry and a message naming the same topic are likely the same question
# even when the rest of their words differ (「礼品包装要加钱吗」 / 「有礼盒包装吗」).
# (the shop named alone is no topic: 「门店还招人吗」; where it is, is pick-up)
TOPICS = {"运费": "运费", "包邮": "运费", "配送": "配送", "范围": "配送", "自提": "自提", "自提点": "自提",
          "门店在哪": "自提", "坏果": "坏果", "赔": "坏果", "储存": "储存", "产地": "产地", "营业": "营业",
          "支付": "支付", "礼盒": "礼盒", "贺卡": "礼盒", "发票": "发票"}
# topics named by two words together: changing the delivery address (「收件地址能修改吗」, 「地址写错了怎么办」,
# 「能换个地址吗」), not the address alone (「自提地址」) nor a change alone (「能改成明天送吗」)
TOPIC_PATTERNS = [(re.compile(r"改派|转寄|改寄|(?:别的|其他|其它|另一个|另外一个|另外的)地址|(?:老|旧|以前的|之前的|原来的)地址|地址.{0,8}?(?:修改|填错|不对|有误|错)|(?:修改|填错).{0,4}?地址|填错.{0,2}?小区|小区.{0,4}?填错|修改(?:个|一个|成别的|到别的)?地方(?:收|送)"), "改地址")]
# each canonical word maps to itself too, so 「付」 folding to 支付 cannot eat into 「支付」; so do words
# that only look like a synonym's start (「几点开始送」 is not 「几点开」门; 「店开在哪儿的」 asks where, not
# where from)
KEEP = ["一定", "隔天", "隔日", "隔多久", "几点开始", "取件码", "快递柜", "在哪里的", "在哪儿的"]
# things named with a topic's word that are not the topic: the shop's licence and turnover are no
# question of hours, shipping insurance none of the fee, the courier none of where we deliver
OTHER = {"执照": ["营业执照"], "流水": ["营业额"], "退货险": ["运费险"], "骑手": ["配送员", "送货员", "快递员", "送货小哥", "快递小哥"],
         # the customer's own day, not the shop's hours (「我下班过去取可以不」)
         "我有空": ["我下班", "我上班", "我放假", "我休息"],
         # the code a parcel is fetched with is no question of where to fetch it
         "取件码": ["自提码", "取货码", "提货码", "取货号", "提货号"],
         # a voucher is no fee and no way of paying (「运费券怎么用」, 「能用优惠券付吗」)
         "优惠券": ["运费券", "包邮券", "免邮券", "代金券", "满减券", "券"],
         # the box the goods travel in is no gift box
         "赠品": ["冰箱贴", "小礼品", "小礼物", "赠送", "送点小", "送个小", "送一个小", "送一份小"],
         "纸箱": ["快递盒子", "快递盒", "快递箱", "泡沫箱", "泡沫盒", "外箱", "冷链箱", "保温箱", "冰袋"],
         # insurance is no keeping fresh (保险 sounds like 保鲜)
         "保险": ["运输保险", "运费保险", "保价"],
         # what arrived is what was received (「送来的葡萄碎了一半」 tells of the goods, not asks about delivery)
         "收到的": ["快递送来的", "送过来的", "送来的", "送到的", "寄来的", "寄到的", "到手的", "刚到的"],
         "收到": ["签收"], "收到就": ["送到就", "送来就", "寄到就", "到手就"]}
_FOLD = sorted([(variant, word) for word, variants in {**SYNONYMS, **OTHER}.items() for variant in [word, *variants]]
               + [(word, word) for word in KEEP], key=lambda pair: -len(pair[0]))
# a time of day or of the week, not a greeting (「晚上好」)
WHEN = (r"(?:早上|上午|中午|下午|傍晚|晚上|半夜|凌晨|夜里|周末|周[一二三四五六日天]|礼拜[一二三四五六日天]?|星期[一二三四五六日天]|"
        r"节假日|这个点|这会儿|最晚|最早|过年|春节|国庆|五一|端午|中秋|元旦|清明|过节|假期|时段|时间段|[\d一二三四五六七八九十两]+点|几点)(?![好安])")
NICE = "好看|漂亮|精致|精美|体面|像样|高档|上档次|大气|讲究|有面子|美观"
# what a literal list cannot say: 「自己开车过去拿」, 「能去你们仓库拿吗」 are pick-up (not 「去取消」, 「拿到」), 「送城东吗」 asks about delivery, and
# paying named after a fee is paying that fee (「快递钱谁付」 asks about the fee, not how to pay)
PATTERNS = [(re.compile(r"(?:自己|亲自|去|过来).{0,6}?[拿取提](?![消前醒供交款现到走])"), "自提"), (re.compile(r"(?<!配)送(?=[^人礼给朋长错来]{1,3}(?:[吗嘛伐不没]|(?<!什)么))"), "配送"),
            (re.compile(r"(运费[^支]{0,5}?)支付(?!方式)"), r"\1付"),
            # a payment given back is a refund, not a way of paying (「微信支付怎么退款」)
            (re.compile(r"支付.{0,4}?(?=退(?:款|钱|回))"), ""),
            # 开 after an invoice issues it (「发票能开吗」 is no question of opening hours)
            (re.compile(r"(发票.{0,6}?)营业"), r"\1开票"),
            # what sending costs is the fee (「寄外地贵不贵」, 「送上门要另外收钱吗」)
            (re.compile(r"((?:配送|范围|寄|送|快递).{0,8}?)(?:多少钱|加钱|收钱|收费|要钱|另外出钱|另外算钱|另算|算钱|收多少|要多少|掏钱|出钱|服务费|收几块|几块钱|几块|加多少|多加|自费|自己出|自己付)"), r"\1运费"),
            # a present for someone (「送女朋友的」, 「送给客户」) asks about gift wrap; sending to someone (寄给) does not
            (re.compile(r"送给?(?:女朋友|男朋友|女友|男友|对象|老婆|老公|爸妈|父母|长辈|领导|客户|同事|亲戚|闺蜜|老师|朋友)"), "礼盒"),
            # wrapping said to look good is gift wrap (「能包得体面点不」, 「有像样的包装吗」); praise of it
            # (「包装很好看」) is not
            (re.compile(rf"(?:{NICE}).{{0,4}}?(?:包装|盒|袋)|(?:包装|包得|包成|装得)[^很真太挺超蛮]{{0,3}}?(?:{NICE})"), "礼盒"),
            # someone there, or open, at a time of day or week: the hours (「周末店里有人吗」, 「九点开了没」)
            (re.compile(rf"({WHEN}.{{0,6}}?)(?:有人|找到人|找得到人|找到客服|找客服|找你们|找得到你们|找不到人|没人回|不回|歇|休(?=[吗么伐不]|$)|(?<![现正还])在(?=[吗么伐]?$)|(?:能|可以)下单(?!.{0,4}?[到送])|有人回|回消息|回信息|回复|在线|休息|能问|问吗|咨询|联系|开了|开没开|开门了|开(?=[吗么伐没不]|$))"), r"\1营业"),
            # 改 alone is changing (「地址还能改吗」), but not 改天 (another day), 改善/改进 (better);
            # 换 with an address is changing it (「能换个地址吗」), 换货 is an exchange
            (re.compile(r"(?<!修)改(?![天善进革良])"), "修改"), (re.compile(r"(地址.{0,6}?)换(?!货)|换(?=[^货]{0,3}地址)"), r"\1修改"),
            # 票 alone, opened or given, is the invoice (「可以给开张票吗」 is no opening hours, 车票/门票 are no invoice)
            (re.compile(r"营业(?=[张个]?票)"), "开"), (re.compile(r"(?<![发车门机船彩股邮])票(?![价房])"), "发票"),
            # what a delivery costs (「邮寄的钱怎么算」, 「送上门这一趟收多少」)
            (re.compile(r"(?:邮寄|快递|寄件|寄|配送|路上|运过来|运送|运输)[^退]{0,4}?(?:钱|费用)"), "运费"),
            # delivery for free is the fee (「你们送货是免费的吗」)
            (re.compile(r"配送.{0,4}?免费|免费.{0,2}?配送"), "包邮"),
            # when or how the money is given (「接龙的钱啥时候给」), not given back (退)
            (re.compile(r"(?<!退)[钱款](?!退)[^给交转退]{0,5}?(?:给|交|转|(?:怎么|咋|如何)收)"), "支付"),
            (re.compile(r"((?:配送|寄|送|快递)[^支]{0,8}?(?:还要|还得|另外|额外)再?)支付"), r"\1运费"),
            # paying a fee is the fee (「还要付配送费吗」), not how to pay
            (re.compile(r"支付(?=.{0,2}?运费)"), "付"),
            # leaving a parcel somewhere (「能放门口吗」, 「能不能放快递柜」) is no question of keeping fruit
            (re.compile(r"储存(?=[在到]?(?:家门口|门口|快递柜|驿站|前台|楼下|物业|传达室|门卫|保安))"), "放"),
            # the place sent to is the fee's context when the fee is named (「寄到外地邮费贵吗」)
            (re.compile(r"(?:配送|范围)+(?=[^运]{0,6}?运费)"), ""),
            # how soon it is sent (「下单后多长时间发出」) or when it goes out (「送货员几点出门送」)
            (re.compile(r"(?:一般|通常|下单后|下单以后|付款后|支付(?:后|以后|之后|完))(?:一般|大概|大约)?.{0,4}?多久.{0,2}?(?:发出|发货|出库|寄出)|(?:几点|啥时候|什么时候).{0,4}?配?送(?![人礼给])"), "配送"),
            # receiving an invoice is no delivery (「电子发票多久能收到」)
            (re.compile(r"(发票.{0,6}?)配送"), r"\1收到"),
            # whether goods go out to a place (「宁波发货不」), not whether one order went (已发货, 发货了吗)
            (re.compile(r"(?<![已没未])发货(?=[吗么嘛伐不]\s*$)"), "配送"),
            # a free gift sent (「冰箱贴送不送」) is no delivery
            (re.compile(r"(赠品.{0,3}?)配送"), r"\1赠送"),
            # how often it goes out (「一天送几趟」)
            (re.compile(r"送(?:几|多少)(?:趟|次|回|轮|批)|多久送一次|隔多久送"), "配送"),
            # how long until the goods are received (「下单到收货要几天」)
            (re.compile(r"多久.{0,3}?收货|收货.{0,3}?多久"), "配送"),
            # bad said of the goods named (「收到烂桃子了」, 「鸡蛋碎了几个」: the name is cut out, 烂 is left beside it)
            (re.compile(r"[烂坏臭霉](?=\|)|(?<=\|)[碎漏破烂坏](?=了|掉|开)"), "坏果"),
            # fruit that is no good any more (「到手的果子有些不行了」)
            (re.compile(r"(?:果子?|水果|东西).{0,4}?不行了"), "坏果"),
            # fruit that looks bad (「品相很差」)
            (re.compile(r"品相.{0,2}?(?:差|不好|一般|难看)"), "坏果"),
            # arriving the day after (「是不是要隔天才到」)
            (re.compile(r"(?:隔天|次日|第二天|隔日)才?能?(?:到|送)"), "配送"),
            # when what is ordered arrives (「今天下单啥时候到」), not stock arriving (到货) or a refund (到账);
            # without 下单, 「啥时候能到」 asks about the customer's own order
            (re.compile(r"(下单.{0,6}?)(?:多久|啥时候|何时|多会儿?)能?(?:到|送)(?![货账新])"), r"\1配送"),
            # coming to the shop to fetch (「能到你们店里提吗」)
            (re.compile(r"[到来](?:你们|咱们|贵)?门店.{0,3}?[拿取提](?![消前醒供交款现到走示])"), "自提"),
            # whether there is a shop to go to (「你们有实体店吗」) asks where it is
            (re.compile(r"有(?:没有)?(?:线下|实体)?门店(?=.{0,4}?(?:[吗么嘛伐没不]|$))|(?:线下|实体)有(?:没有)?店(?=.{0,4}?(?:[吗么嘛伐没不]|$))"), "有门店在哪"),
            # whether a place is the shop (「文三路那边是你们店吗」, 「那个店是你们的吗」) asks where it is
            (re.compile(r"是(?:不是)?门店(?=[吗么嘛伐不没]|$)|店是(?:不是)?你们的?(?:吗|么|嘛|伐|不)?$"), "是门店在哪"),
            # delivery at a time of day or week (「一般是上午送还是下午送」, 「周末送吗」)
            (re.compile(rf"({WHEN})送(?=[吗么嘛伐呢不]|还是)"), r"\1配送"),
            # where the shop stands (「铺子开在哪条路上」)
            (re.compile(r"门店.{0,6}?(?:在哪|哪里|哪儿|什么地方|什么位置|地址|位置|定位|哪条路|哪条街|什么路|怎么走)|(?:在哪|哪里|哪儿).{0,3}?门店"),
             r"\g<0>门店在哪"),
            # how to keep it (「到了以后咋个存」), not 放心/放假
            (re.compile(r"(?:怎么|咋|如何|怎样)个?(?:存|放)(?![心假学])"), "储存"),
            # a threshold of the order's amount with paying more is the fee's rule (「不满49是不是要多掏钱」)
            (re.compile(r"满\d+[块元]?.{0,6}?(?:多掏钱|多出钱|多付|加钱|另外收|收钱|掏钱|出钱|支付)"), "包邮运费"),
            # how long goods wait at the pick-up point is no question of keeping fruit (「自提的货能放几天」)
            (re.compile(r"(自提.{0,6}?)储存"), r"\1保留"),
            # what money is taken with is paying (「你们收钱用啥」)
            (re.compile(r"收(?:钱|款)(?=.{0,3}?(?:用|走|方式))"), "支付"),
            # a charge of so much asked about is the fee (「下单页面那个6块钱是什么费用」)
            (re.compile(r"\d+(?:块|元|块钱)[^什啥]{0,4}?(?:是|算)?(?:什么|啥)(?:费用|费|钱)"), "运费"),
            # more than can be eaten at once is how to keep it (「一天吃不完第二天还能吃不」)
            (re.compile(r"吃不完.{0,8}?(?:还能吃|还可以吃|放|存|坏)"), "储存"),
            # when to wash it is how to keep it (「草莓先洗还是吃的时候再洗」, 「洗了再放冰箱吗」)
            (re.compile(r"先洗|洗了?再(?:放|储存|吃)|洗好?了?(?:能|可以|再)?(?:储存|放)|吃(?:的时候|之前|前)再?洗"), "储存"),
            # the shop's goods: a fridge or wraps sold (「你们有冰箱卖吗」, 「卖保鲜盒吗」) are no question of keeping fruit
            (re.compile(r"(?:卖|买)储存[盒膜袋]?|储存[盒膜袋]?(?=有?卖)"), "家用品"),
            # a card put in the box (「能放个小卡片吗」) is no keeping of fruit
            (re.compile(r"储存(?=[个张一]{0,2}小?贺卡)"), "放"),
            # not sent (「我不要配送 到时候自己去提」) is no question of delivery
            (re.compile(r"(?:不用|不要|别|无需|不需要)再?配送(?!费)"), "免送"),
            # how many hours a day it is open
            (re.compile(r"(?<!票)开(?:(?:几个|多少个?)(?:钟头|小时|钟)|多久)"), "营业")]
SOUNDS = SoundAlike([v for v, _ in _FOLD])
_FOLD_RE = re.compile("|".join(re.escape(v) for v, _ in _FOLD))
_FOLD_MAP = dict(_FOLD)
_NOISE = re.compile(r"[^\w]+|_")
# an A-not-A question names its verb once: 「收不收运费」 asks 收运费, 「休不休息」 休息, 「包不包邮」 包邮
# (one the list has as it is, 「送不送」, stays)
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
# words that say nothing about which question it is
STOP = {"的", "了", "吗", "呢", "啊", "呀", "吧", "嘛", "哦", "么", "我", "你", "您", "我们", "你们", "请问",
        "问下", "问一下", "想问", "一下", "是", "有", "在", "这个", "那个", "可以", "能", "能不能", "可不可以",
        "怎么", "如何", "多少", "几点", "什么", "啥", "咋", "老板", "亲", "客服", "请", "谢谢", "好", "嗯", "还", "就", "都", "也", "要", "会"}


def fold(text: str, products: re.Pattern | None = None) -> str:
    """Normalised, punctuation gone, synonyms folded onto their canonical word, and product names
    cut out: 「草莓怎么放」 is a question about keeping fruit, and must not answer 「草莓还有货吗」."""
    text = _NOISE.sub("", normalize(text).lower())
    if products is not None:
        text = products.sub("|", text)
    text = _A_NOT_A.sub(lambda m: m.group(0) if m.group(0) in _FOLD_MAP else m.group(1), text)
    text = SOUNDS(text)
    text = _FOLD_RE.sub(lambda m: _FOLD_MAP[m.group(0)], text)
    for pattern, word in PATTERNS:  # what the literal words left
        text = pattern.sub(word, text)
    return text


def topics(folded: str) -> set[str]:
    """The topics a folded text names (see TOPICS)."""
    return ({topic for word, topic in TOPICS.items() if word in folded}
            | {topic for pattern, topic in TOPIC_PATTERNS if pattern.search(folded)})


def product_pattern(names) -> re.Pattern | None:
    names = sorted({n.lower() for n in names if n and len(n) >= 2}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)) if names else None


def terms(text: str, products: re.Pattern | None = None) -> list[str]:
    return folded_terms(fold(text, products))


def folded_terms(folded: str) -> list[str]:
    """The terms of a text already folded: a match folds once for its terms and its topics."""
    out = []
    for piece in folded.split("|"):
        out += [w for w in jieba.lcut(piece) if w not in STOP]
        out += [f"#{b}" for i in range(len(piece) - 1) for b in [piece[i:i + 2]]
                if not (b[0] in STOP_CHARS and b[1] in STOP_CHARS) and not PARTICLES & set(b)]
    return out


# sentence-final particles: 「人吗」 in 「你是机器人吗」 and 「能送人吗」 is not a shared question
PARTICLES = set("的了吗呢啊呀吧嘛哦么哈啦呐咯嘞哇噢")
STOP_CHARS = set("的了吗呢啊呀吧嘛哦么我你您请问下是有在这那个可以能怎如何好嗯还就都也要会")

# Goods customers name in questions about any of them (the catalog's own names are added per shop)
GOODS = ["水果", "草莓", "蓝莓", "芒果", "香蕉", "苹果", "橙子", "桃子", "葡萄", "车厘子", "樱桃", "西瓜", "榴莲",
         "猕猴桃", "荔枝", "龙眼", "梨", "柚子", "橘子", "菠萝", "牛奶", "酸奶", "鸡蛋", "蔬菜", "肉"]
