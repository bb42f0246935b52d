"""Adding, changing and removing FAQ entries, with the checks every door (API, console, CSV import)
shares: a merchant's typo gets a reason in plain words, and nothing is half-saved."""
from __future__ import annotations

import csv
import io

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..infra import csvsafe
from ..models import FaqEntry

MAX_ANSWER = 2000
MAX_QUESTION = 200
MAX_VARIANTS = 50


class FaqError(ValueError):
    """Bad input for an entry; the message is shown to the person who typed it."""


def clean_variants(variants) -> list[str]:
    if variants is None:
        return []
    if isinstance(variants, str):
        variants = variants.replace("｜", "|").replace("\n", "|").split("|")
    if not isinstance(variants, (list, tuple)) or not all(isinstance(v, str) for v in variants):
        raise FaqError("variants 应该是问法的列表（文字）")
    seen, out = set(), []
    for v in (v.strip() for v in variants):
        if v and v not in seen and len(v) <= MAX_QUESTION:
            seen.add(v)
            out.append(v)
        elif len(v) > MAX_QUESTION:
            raise FaqError(f"问法太长（最多 {MAX_QUESTION} 字）：{v[:20]}…")
    if len(out) > MAX_VARIANTS:
        raise FaqError(f"问法最多 {MAX_VARIANTS} 个")
    return out


def _checked(question, answer, link) -> tuple[str, str, str | None]:
    if not isinstance(question, str) or not question.strip():
        raise FaqError("标准问题不能为空")
    if not isinstance(answer, str) or not answer.strip():
        raise FaqError("答案不能为空")
    question, answer = question.strip(), answer.strip()
    if len(question) > MAX_QUESTION:
        raise FaqError(f"标准问题太长（最多 {MAX_QUESTION} 字）")
    if len(answer) > MAX_ANSWER:
        raise FaqError(f"答案太长（最多 {MAX_ANSWER} 字，现在 {len(answer)} 字）")
    if link is not None and (not isinstance(link, str) or (link.strip() and not link.strip().startswith(("http://", "https://")))):
        raise FaqError("链接应以 http:// 或 https:// 开头")
    return question, answer, (link or "").strip() or None


def _refuse_duplicate(s: Session, question: str, own_id: int | None = None) -> None:
    query = select(FaqEntry.id).where(func.lower(FaqEntry.question) == question.lower())
    if own_id is not None:
        query = query.where(FaqEntry.id != own_id)
    if s.execute(query).first() is not None:
        raise FaqError(f"已经有这个问题了：「{question}」")


def add(s: Session, question, variants, answer, link=None, by: str = "api") -> FaqEntry:
    question, answer, link = _checked(question, answer, link)
    _refuse_duplicate(s, question)
    now = clock.utcnow()
    entry = FaqEntry(question=question, variants=clean_variants(variants), answer=answer, link=link,
                     enabled=True, updated_by=by, created_at=now, updated_at=now)
    s.add(entry)
    s.flush()
    return entry


def change(s: Session, entry: FaqEntry, data: dict, by: str = "api") -> FaqEntry:
    question, answer, link = _checked(data.get("question", entry.question), data.get("answer", entry.answer),
                                      data.get("link", entry.link))
    _refuse_duplicate(s, question, entry.id)
    if "enabled" in data and not isinstance(data["enabled"], bool):
        raise FaqError("enabled 应该是 true 或 false")
    entry.question, entry.answer, entry.link = question, answer, link
    if "variants" in data:
        entry.variants = clean_variants(data["variants"])
    if "enabled" in data:
        entry.enabled = data["enabled"]
    entry.updated_by, entry.updated_at = by, clock.utcnow()
    return entry


def as_json(entry: FaqEntry) -> dict:
    return {"id": entry.id, "question": entry.question, "variants": list(entry.variants or []),
            "answer": entry.answer, "link": entry.link, "enabled": bool(entry.enabled),
            "updated_by": entry.updated_by, "updated_at": clock.iso_local(entry.updated_at)}


def all_entries(s: Session, search: str = "") -> list[FaqEntry]:
    query = select(FaqEntry).order_by(FaqEntry.id)
    if search:
        like = f"%{search}%"
        query = query.where(FaqEntry.question.like(like) | FaqEntry.answer.like(like) | FaqEntry.variants.like(like))
    return list(s.execute(query).scalars())


CSV_COLUMNS = ("question", "variants", "answer")


def import_csv(s: Session, data: bytes, by: str = "import") -> tuple[int, int]:
    """All or nothing: every row is checked before any is saved. An existing question is updated
    (its variants and answer replaced), so importing the same file twice changes nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FaqError("文件不是 UTF-8 编码（用 Excel 保存时请选择“CSV UTF-8”）")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not set(CSV_COLUMNS) <= {f.strip() for f in reader.fieldnames}:
        raise FaqError(f"表头应为 {','.join(CSV_COLUMNS)}，现在是 {','.join(reader.fieldnames or [])}")
    rows, problems, seen = [], [], set()
    for n, row in enumerate(reader, start=2):
        row = {k.strip(): csvsafe.restore(v or "") for k, v in row.items() if k}
        try:
            question, answer, _ = _checked(row["question"], row["answer"], None)
            variants = clean_variants(row["variants"])
            if question.lower() in seen:
                raise FaqError(f"文件里重复的问题「{question}」")
            seen.add(question.lower())
            rows.append((question, variants, answer))
        except FaqError as exc:
            problems.append(f"第 {n} 行：{exc}")
    if problems:
        raise FaqError("没有导入任何条目。\n" + "\n".join(problems[:20]))
    added = updated = 0
    existing = {e.question.lower(): e for e in all_entries(s)}
    for question, variants, answer in rows:
        entry = existing.get(question.lower())
        if entry is None:
            add(s, question, variants, answer, by=by)
            added += 1
        elif entry.variants != variants or entry.answer != answer:
            change(s, entry, {"variants": variants, "answer": answer}, by=by)
            updated += 1
    return added, updated


def export_csv(s: Session) -> str:
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in all_entries(s):
        writer.writerow([e.question, "|".join(e.variants or []), e.answer])
    return out.getvalue()
