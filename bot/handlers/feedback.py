"""Feedback and complaints become supply-chain records; the customer hears what we understood."""
from __future__ import annotations

import logging

from ..dialogue.registry import Turn, registry
from ..feedback.analysis import Analysis
from ..feedback.lexicon import ASPECT_NAMES
from ..feedback.records import record_message

log = logging.getLogger(__name__)

_TONE = {"positive": "您满意，我们会继续保持", "negative": "不够理想，我们会转告采购和品控改进",
         "neutral": "已记下"}
_PREFERENCE = {"after": "{} 以后", "before": "{} 以前", "around": "{} 左右"}


def describe_preference(code: str) -> str:
    """'after 19:00' -> '19:00 以后' for the customer."""
    word, _, time = code.partition(" ")
    if word in _PREFERENCE:
        return _PREFERENCE[word].format(time)
    return {"weekend": "周末", "weekdays": "工作日", "before work": "上班前", "after work": "下班后"}.get(code, code)


def acknowledge(analysis: Analysis) -> str:
    """Warm and specific: repeat back what was heard, per aspect, then the wishes."""
    lines = ["谢谢您的反馈！我记下了" + (f"（{analysis.product}）" if analysis.product else "") + "："]
    seen = set()
    for r in analysis.records():
        key = (r["aspect"], r["text"])
        if key in seen or (r["suggestion"] and r["sentiment"] == "neutral"):
            continue
        seen.add(key)
        lines.append(f"· {ASPECT_NAMES.get(r['aspect'], r['aspect'])}：「{r['text']}」，{_TONE[r['sentiment']]}")
    wishes = list(dict.fromkeys(f.suggestion for f in analysis.findings if f.suggestion))
    for wish in wishes:
        lines.append(f"· 您的建议「{wish}」已转给供应链同事")
    prefs = list(dict.fromkeys(f.delivery_preference for f in analysis.findings if f.delivery_preference))
    for pref in prefs:
        lines.append(f"· 配送时间偏好：{describe_preference(pref)}，安排配送时会参考")
    if analysis.incident:
        lines.append("如果是收到的商品出了问题（坏了、破了、少了），回复「投诉」，我马上为您登记投诉单，客服会优先处理。")
    return "\n".join(lines)


@registry.intent("feedback")
def feedback(turn: Turn) -> str:
    if not turn.text.strip():  # a menu choice: ask for the words first
        return turn.ask("text", "您想提什么建议或评价？直接说就行，比如「希望晚上七点后送」「杯子好看但太沉」。")
    try:
        analysis = record_message(turn.services, turn.text, turn.openid, "chat")
    except Exception:
        log.exception("feedback could not be recorded")
        return "谢谢您的反馈！我们已经收到，会认真看。"
    return acknowledge(analysis)


@registry.observe("complaint")
def complaint_records(turn: Turn) -> None:
    """Complaints count too: the supply chain sees 烂了/碎了 next to the praise."""
    if not turn.text.strip():
        return
    record_message(turn.services, turn.text, turn.openid, "complaint")
