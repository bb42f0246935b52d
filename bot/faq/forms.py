"""How a message is put, whatever it is about: a question of the shop's policy, which the FAQ answers,
as against a report of something that happened, a fault, a grievance, a question about one order of
the customer's, or one about another subject of customer service; the rest of the bot answers those.
(words.py says what a message is about.)"""
from __future__ import annotations

import re

_NOISE = re.compile(r"[^\w]+|_")


# How a customer asks (a question, a choice, a request to be told) as against reports something that
# has happened (「草莓烂了」, 「已付款」, 「包装破了」; 「免邮不 买了三斤」 asks: 不 ends its clause): an FAQ answers the first; the second is an event
# for the rest of the bot, even when it names an entry's topic.
ASKING = re.compile(r"[吗么嘛呢伐咩噻?？]|(?<=[\u4e00-\u9fff])(?<![还并也我你他她您])不(?=\s+\S)|(?:能|可以|行|会|有)[^\s不没]{0,6}[不没](?=\s)|点样|系唔系|得唔得|可唔可以|有冇|唔该|[不没否](?:[亲呀啊哈呢嘞]|\s)*(?:老板娘?|亲亲?|客服|美女|小哥|掌柜)?\s*$|吧\s*$|怎|咋|啥|什么|哪|(?<!好)(?<![坏烂碎破伤裂霉]了)几(?!乎|个是|个都|个已经)|多少|多久|多会|多长|多大|多[高远早晚快贵重]|"
                    r"(.)[不没]\1|是否|能否|可否|有没有|要不要|行不行|可不可|能不能|会不会|谁|如何|还是|的话|"
                    r"发我|发一下|发下|发个|给个|告诉|想问|问下|请问|介绍|想|要|冇|多钱|"
                    r"(?:时间|方式|范围|费用|流程|规则|政策|标准|规定|安排)(?:是|是什么|是多少)?\W*$|"
                    # a mistake of one's own in filling in an order asks what can be done (「地址写错了」)
                    r"(?:地址|收货|收件|门牌|电话|手机号).{0,4}?(?:错|不对|没选对|没填对|没写对|填成|写成|填岔|写岔|漏写|少写|写漏|填漏)|"
                    r"(?:填错|写错|填成|写成|弄错|搞错|选错|打错|下错|填岔|写岔|漏写|少写).{0,4}?(?:地址|收货|收件|门牌|电话|手机号)")
# (过 as a direction, 「过去拿」, and 完 as what cannot be done, 「吃不完」, report nothing; 伐 is Wu for 吗)
REPORTED = re.compile(r"了|已经?|(?<![不得])完|过(?![去来])")
# Something that does not work (「付款页面打不开」, 「微信支付一直失败」, 「为什么电话打不通」) is a fault to
# look into, not a question of the shop's policy, whether or not it is put as a question.
FAULT = re.compile(r"打不开|打不通|点不开|(?<![区门])进不去|登不上|加载不出|失败|不成功|没成功|报错|出错|没反应|卡住|卡死|闪退|"
                   r"丢了|弄丢|丢失|找不到了|扣了钱|扣款了|重复扣|多扣|扣了两|扣两次|转圈|一直加载|卡在|风险|"
                   # a grievance put as a question (「配送费怎么这么贵」) is no question of policy
                   r"说好的?|不是说好|答应好?的|收了两次|收两次|收了两遍|重复收|多收|显示错误|提示错误|出现错误|页面错误|异常|了才[发送到寄]|怎么这么|咋这么|为什么这么|太贵了|不合理|坑人|离谱|怎么比|比上次|比之前|比以前|待付款|待支付|显示[未没]|[未没]到账|付错|付多了|多付了")


# Asking whether something has happened yet (「送人的那份已经寄出去了吗」, 「坏果的钱退了没」, 「怎么还没到」) is
# about one order or claim: the rest of the bot looks it up. Whether the shop is open or closed now
# (「开门了吗」, 「下班了吗」, 「打烊了没」) and whether a price includes something (「运费包了没」) aside.
HAPPENED_YET = re.compile(r"钱.{0,3}?(?:什么时候|啥时候|多久|几时|何时)能?(?:退|到账|返|给我)|发票.{0,3}?开[了好](?:吗|么|没|伐)|[到发寄送放]哪(?:儿|里)?了|开好[了没]|已经.{0,6}?了?(?:[吗么没伐]|$)|(?<![开门班业息烊包得])了(?:吗|么|没|伐)|还没(?!发(?:货|出去?|走)?(?:的话|吧|之前|前|呢|\s*[能可]))|怎么没|咋没|"
                          # a claim's progress (「上次补发的什么时候到」, 「赔的钱啥时候退」)
                          r"(?:补发|补寄|退款|赔付|赔偿|赔的|退的)的?(?:东西|货|钱|款)?.{0,3}?(?:什么时候|啥时候|多久|几时|何时)")


# praise, said (「自提点老板人很好」): a judgement, not a question
PRAISE = re.compile(r"很好|真好|挺好|蛮好|不错|太好了|很棒|真棒|好评|点赞|很赞|很满意")


# A customer who asks names it in a few words (「运费」, 「客服上班时间」) or puts it as a question; a longer
# message with no question or request in it says something (「上次送的礼盒很好看 朋友很喜欢」).
SAYS = 8


# A message about one order or purchase of the customer's (「自提的单子我朋友帮我拿行吗」, 「上次买的那箱」)
# asks about that order, which the order system answers, not the shop's policy; so does one that
# gives an order number (「鸡蛋碎了一半，怎么处理 DD20261101001」).
# (an order's amount is the fee's rule, not one order: 「订单满多少包邮」)
ONE_ORDER = re.compile(r"我(?:要|订|买|拍|下)的[^，。]{0,8}?(?:能到|到了|到没|送到|发货|发了)|\d{6,}|我的(?:单|运费|发票|快递|货|包裹|钱)|发票.{0,2}?开[成错][^不吗]{0,6}?了|那单|这单|(?:单子|订单)(?!满|金额|总额|超过|不满|不到|不够|多少|.{0,2}?(?:地址|信息))|单号|买的那|[上这那]次买的|那[箱份盒袋]")


# 单子 is also the slip a customer gets for their expenses (「报销用的单子你们能出吗」, 「单子能开吗」): issued or
# claimed, it is a receipt, a question of the invoice policy, not one order
RECEIPT_SLIP = re.compile(r"(?:报销|报账|开票|发票|凭证|收据)[^，,。\s]{0,4}?单子|单子[^，,。\s]{0,3}?(?:[开出打](?![错了])|报销|报账)")


# Other subjects of a shop's customer service, which a message about them names (「配送进度怎么查」,
# 「自提柜密码多少」, 「坏果补偿什么时候到账」): when no entry's phrasings name the subject too, the message
# is about that subject and only shares a topic word with the entries.
SUBJECTS = re.compile(r"取消|退订|退回|退还|返还|退给|优惠券|积分|会员|红包|折扣|打折|满减|秒杀|活动|密码|验证码|进度|到账|余额|账号|登录|注册|"
                      r"截图|评价|好评|差评|赠品|试吃|招聘|兼职|加盟|批发|代理|小程序|公众号|群|菜单|柜|退货险|保留|放门口|放在门口|放到门口|楼上|上楼|驿站|门卫|还能吃|能不能吃|可以吃吗|能吃吗|给宝宝吃|给孩子吃|代取|代拿|代领|代提|代收|(?:别人|朋友|家人|同事|邻居|室友)帮?(?:我|忙)?[拿取领提]|打个?电话|电话多少|电话是多少|联系方式|分开配?[送发寄]|分[批次]配?送|合并|拆单|一起配?送")


def subjects(folded: str) -> set[str]:
    return set(SUBJECTS.findall(folded))


def reports(text: str) -> bool:
    """A statement of something done or happened, with no question in it; a longer statement of any
    kind; a fault; or a question whether something has happened yet."""
    asking = ASKING.search(text) is not None
    return ((not asking and (REPORTED.search(text) is not None or len(_NOISE.sub("", text)) > SAYS
                             or PRAISE.search(text) is not None))
            or FAULT.search(text) is not None or HAPPENED_YET.search(text) is not None
            or ONE_ORDER.search(RECEIPT_SLIP.sub("凭证", text)) is not None)
