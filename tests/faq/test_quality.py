"""Taught through the API with eight entries, the bot (real webhook, real model) answers paraphrases
it was never taught with the right entry, and leaves messages no entry answers to the rest of the
bot. Two sets: faq_eval.yml, the one thresholds were tuned on, and faq_eval_holdout.yml, written
before any tuning and its misses read from issue 14's third round on, so now a second development set
(bench/faq_quality.md).
Gates sit just under the measured figures so a change that loses ground fails: the issue's goal is
0.90 of paraphrases at most 0.05 of unrelated messages. Measured after issue 14's fifth round: 0.993
and 0.971 (bench/faq_quality.md); the floors leave a paraphrase or two of room for the NLU's retraining.
faq_eval_demo.yml (issue 14's sixth round) teaches the demo FAQ's eight, with the invoice and
change-of-address entries the NLU has acts for: 0.975 / 0.042 measured (672 / 285), gated at 0.95.
faq_eval_demo2.yml (seventh round: run-on, indirect, dialect, near-miss unrelated) 0.955 / 0.029 measured
(422 / 245), gated at 0.93; 0.96 since the ninth round.
Since issue 14's ninth round an entry's answer counts wherever it is in the reply: alone, or after the
act it explains (a fault's ticket, then the bad-fruit policy: bot/faq/policy.py), for paraphrases and
unrelated messages alike. Measured so: faq_eval 0.993 / 0.030, holdout 0.981 / 0.022, demo 0.987 / 0.039,
demo2 0.986 / 0.037 (the unrelated lists hold fault reports and bare change/invoice requests, written
when the FAQ's job was to leave acts alone; they now get the policy after the act).
The honest figures are those of holdouts nobody tuned on, measured, not gated (holdout2 has been a
development set too since the fourth round; bench/faq_quality.md)."""
from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).parents[1] / "data"
AUTH = {"Authorization": "Bearer test-api-token"}
# (file, least share of paraphrases answered right); unrelated messages answered from the FAQ ≤ 0.05
SETS = [("faq_eval.yml", 0.98), ("faq_eval_holdout.yml", 0.95),
        # the demo FAQ's eight (with the invoice and change-of-address entries), issue 14's sixth round
        ("faq_eval_demo.yml", 0.95),
        # the demo FAQ with 水果怎么保存 for 营业时间, styles the others have less of (issue 14's seventh round)
        ("faq_eval_demo2.yml", 0.96)]


def load(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def teach(app, data) -> dict[str, str]:
    client = app.test_client()
    answers = {}
    for e in data["entries"]:
        r = client.post("/api/faq", json=e, headers=AUTH)
        assert r.status_code == 201, r.get_json()
        answers[e["question"]] = e["answer"]
    return answers


# holdouts measured, not gated (bench/faq_quality.md)
MEASURED = ["faq_eval_holdout2.yml", "faq_eval_holdout4.yml"]


@pytest.mark.parametrize("name", [n for n, _ in SETS] + MEASURED)
def test_the_data_checks_what_it_claims(name):
    data = load(name)
    taught = {v for e in data["entries"] for v in [e["question"], *e["variants"]]}
    paraphrases = [p for ps in data["paraphrases"].values() for p in ps]
    assert len(paraphrases) >= 80 and len(data["unrelated"]) >= 80
    assert not [p for p in paraphrases if any(p in t or t in p for t in taught)]
    assert len(set(paraphrases + data["unrelated"])) == len(paraphrases) + len(data["unrelated"])


def test_the_holdout_shares_no_message_with_the_tuning_set():
    tuned, held = load("faq_eval.yml"), load("faq_eval_holdout.yml")
    assert tuned["entries"] == held["entries"]
    messages = lambda d: {p for ps in d["paraphrases"].values() for p in ps} | set(d["unrelated"])  # noqa: E731
    assert not messages(tuned) & messages(held)


@pytest.mark.parametrize("name,floor", SETS)
def test_paraphrases_get_the_right_entry_and_unrelated_messages_do_not(app, sim, name, floor):
    data = load(name)
    answers = teach(app, data)
    right, wrong = 0, []
    paraphrases = [(q, p) for q, ps in data["paraphrases"].items() for p in ps]
    for i, (question, text) in enumerate(paraphrases):
        reply = sim.say(f"o-faq-p{i}", text)
        if answers[question] in reply:  # alone, or after the act it explains (bot/faq/policy.py)
            right += 1
        elif "您是不是想问" in reply and question in reply:
            number = str(reply.split(question)[0].splitlines()[-1].rstrip(". "))
            right += answers[question] in sim.say(f"o-faq-p{i}", number)
        else:
            wrong.append((text, question, reply[:30]))
    # answered from the FAQ: any entry's answer in the reply, in place of the bot's own or after it
    taken = [(text, reply[:30]) for i, text in enumerate(data["unrelated"])
             for reply in [sim.say(f"o-faq-u{i}", text)]
             if any(a in reply for a in answers.values()) or "您是不是想问" in reply]
    share_right = right / len(paraphrases)
    share_taken = len(taken) / len(data["unrelated"])
    print(f"\nFAQ {name}: paraphrases answered right {share_right:.3f} ({right}/{len(paraphrases)}), "
          f"unrelated answered from the FAQ {share_taken:.3f} ({len(taken)}/{len(data['unrelated'])})")
    assert share_right >= floor, wrong
    assert share_taken <= 0.05, taken
