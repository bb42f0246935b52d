"""「草莓还有吗」: stock per warehouse, front warehouse first; asks which product when a word fits
several (「薯片」), offers the closest catalog names for an unknown one, and offers to tell the
customer when an out-of-stock product is back."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from integrations.commerce import CommerceUnavailable

from .. import clock
from ..dialogue.registry import Turn, registry
from ..faq import unanswered
from ..dialogue.words import CHOICE_NUMBERS, NO_WORDS, PUNCTUATION, YES_WORDS, bare
from ..shop import wording
from ..shop.restock import watch

_FILLER = re.compile(r"请问|你们家|你们店|你家|咱家|店里|这边|那边|你们|现在|今天|最近|还有没有货|有没有货|还有没有|"
                     r"还有货吗|有货吗|有没有|还有吗|还剩多少|还剩|库存|有吗|有货|缺货|还有|查一下|查查|查|我想买|想买|"
                     r"我要|买|多少|什么时候|啥时候|几时|时候|再上|上架|上新|补货|到货|会|能|那|吗|呢|啊|呀|的|了|有(?=\W*$)|"
                     + PUNCTUATION)
YES = YES_WORDS | {"通知我", "到货通知我"}
NO = NO_WORDS | {"不必"}
NOTIFY = re.compile(r"通知|告诉我|提醒|说一声|喊我|叫我")
DEALS = re.compile(r"优惠|便宜|打折|折扣|活动|满减|券|降价|特价")
DEALS_ANSWER = "现在的优惠以商品页和公众号推送为准；积分也能兑换优惠券，发「积分兑换」看看。想问某个商品的价格，直接发「草莓多少钱」。"
ASK_PRODUCT = "您想查哪个商品的库存？直接发商品名就行，比如「草莓还有吗」。"


def _bare(text: str) -> str:
    return bare(text).lower()


def _candidates(term: str, catalog: list[tuple[str, list[str]]]) -> list[str]:
    """Catalog names the customer's word can mean: an exact name wins, else every containing entry."""
    if any(term == name for name, _ in catalog):
        return [term]
    return [name for name, aliases in catalog if any(term in t for t in [name, *aliases])]


# 车厘子 and 橙子 share only a suffix that many goods end in: no likeness
SUFFIXES = set("子儿头")


def closest(term: str, catalog: list[tuple[str, list[str]]], n: int = 3) -> list[str]:
    """Catalog names that look most like an unknown word (shared characters, then similarity)."""
    def score(entry: tuple[str, list[str]]) -> float:
        return max(len((set(term) & set(t)) - SUFFIXES) + SequenceMatcher(None, term, t).ratio()
                   for t in [entry[0], *entry[1]])
    ranked = sorted(catalog, key=score, reverse=True)
    return [name for name, _ in [e for e in ranked if score(e) >= 1][:n]]


def _pick(text: str, choices: list[str]) -> str | None:
    bare = _bare(text)
    if bare in CHOICE_NUMBERS and CHOICE_NUMBERS[bare] < len(choices):
        return choices[CHOICE_NUMBERS[bare]]
    bare = bare.removesuffix("的")
    hits = [c for c in choices if bare and (bare in c or c in bare)]
    return hits[0] if len(hits) == 1 else None


@registry.intent("stock_query")
def stock_query(turn: Turn) -> str:
    svc = turn.services
    slots = dict(turn.state.slots)
    turn.state.clear()
    product = turn.nlu.first("product") if turn.nlu else None
    if slots.get("notify_for") and product is None:  # the answer to 「需要到货时通知您吗」
        bare = _bare(turn.text)
        if bare in YES or "通知" in bare:
            watch(svc.db, turn.openid, slots["notify_for"])
            return f"好的，{slots['notify_for']}一到货我就发消息通知您。"
        if bare in NO:
            return "好的，不打扰您了。还有什么可以帮您？"
    if slots.get("choices") and (product is None or product not in slots["choices"]):
        product = _pick(turn.text, slots["choices"]) or product
    catalog = svc.catalog()
    term = product or _FILLER.sub("", turn.text or "") or turn.state.topic.get("product")  # 「还有吗」 after eggs
    if slots.get("unknown") and product is None and NOTIFY.search(turn.text or ""):
        term = ""  # 「有了通知我一下」 after 「没有找到「车厘子」」: about that, not a product called so
    if not term and slots.get("unknown"):  # 「那什么时候有」 after 「没有找到「车厘子」」
        return (f"「{slots['unknown']}」店里暂时没有在卖，还说不准什么时候有，上新了会在公众号通知大家。"
                "着急的话发「人工」问问客服能不能帮您订。")
    if not term:
        return turn.ask("product", ASK_PRODUCT)
    names = _candidates(term, catalog)
    if len(names) > 1:
        listed = "\n".join(f"{i}. {name}" for i, name in enumerate(names, 1))
        return turn.ask("product", f"「{term}」有好几种，您问的是哪一种？\n{listed}\n回复数字或名称即可。", choices=names)
    if not names:
        if product is None and DEALS.search(term):  # 「有没有优惠」 read as a stock question
            return DEALS_ANSWER
        near = closest(term, catalog) or [name for name, _ in catalog[:3]]
        if product is None:  # no goods word found: maybe not a product at all, so no promise to pass it on
            return turn.ask("product", f"没有找到「{term}」。" + (f"您是不是想找：{'、'.join(near)}？" if near else "")
                            + "回复商品名我帮您查，比如「草莓还有吗」。")
        if term != slots.get("unknown"):  # goods customers ask for that we do not sell: the merchant sees them
            with svc.db.session() as s:
                unanswered.record(s, turn.text, "unknown_product")
        if not near:
            return turn.ask("product", f"没有找到「{term}」。回复商品名我帮您查，比如「草莓还有吗」。", unknown=term)
        return turn.ask("product", f"没有找到「{term}」，店里暂时没有这个商品，我已经记下转告店家。"
                                   f"您是不是想找：{'、'.join(near)}？回复商品名我帮您查。", unknown=term)
    return _answer(turn, names[0])


def _answer(turn: Turn, name: str) -> str:
    svc = turn.services
    turn.state.topic = {"product": name}
    try:
        stock = svc.commerce.stock(name)
    except CommerceUnavailable:
        return wording.STOCK_UNAVAILABLE
    today = clock.today()
    if stock is None or not stock.warehouses:
        return f"暂时查不到{name}的库存信息，请发「人工」让客服帮您确认。"
    if stock.total <= 0:
        return turn.ask("notify", wording.out_of_stock(stock, today), notify_for=stock.product)
    return wording.stock_answer(stock, svc.config.LOW_STOCK_THRESHOLD, today)
