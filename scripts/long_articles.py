#!/usr/bin/env python3
"""Two very long articles that are near-copies of each other, as JSON Lines.

    scripts/long_articles.py N [--seed S] [--outlets same|two] [--every K] > pair.jsonl

Writes two records, ids "a" and "b", each of N sentences; "b" is "a" with
every K-th sentence (default 50) replaced by a new one. The sentences are
built from news-like word lists (people, places, organisations, numbers,
dates, verbs, nouns), so their words repeat across thousands of sentences
the way a long news text's do. This is the input that shows whether the
differences step (sentence alignment, facts, name variants, copy edits)
stays near-linear in the length of an article. Deterministic for a seed;
Python 3 standard library only.
"""

import argparse
import json
import random
import sys

FIRST = """Ahmed Maria John Olga Pierre Fatima Yusuf Elena Omar Sarah Li Kenji Amina Carlos Ivan
Nadia Samir Laura Tomas Aisha Peter Hana Rafael Leila Marco Ines Viktor Zainab Daniel Mei""".split()
LAST = """Haddad Novak Brennan Dbeibah Okafor Silva Kowalski Haftar Tanaka Moreau Schmidt Rossi
Petrov Mensah Larsen Ibrahim Costa Nguyen Walker Dubois Yilmaz Fischer Mahmoud Garcia Kim Osei
Lindqvist Ferreira Aziz Horvat""".split()
PLACES = """Tripoli Benghazi Ankara Malatya Brussels Geneva Nairobi Lagos Cairo Tunis Rome Paris
Berlin Warsaw Kyiv Lisbon Madrid Athens Beirut Amman Doha Dubai Tehran Kabul Delhi Dhaka Jakarta
Manila Tokyo Seoul Lima Quito Bogota Caracas Havana Ottawa Denver Houston Chicago Boston""".split()
ORGS = """United Nations|European Union|World Bank|Central Bank|National Army|Red Cross|
Interior Ministry|Health Ministry|Supreme Court|Electoral Commission|African Union|
Finance Ministry|Security Council|Coast Guard|Red Crescent|Energy Agency""".replace("\n", "").split("|")
TITLES = "President|Minister|General|Ambassador|Governor|Senator|Commander|Spokesman".split("|")
VERBS = """announced approved rejected discussed signed criticised welcomed postponed confirmed
denied launched suspended proposed reviewed expanded reduced extended defended questioned
endorsed blocked delayed supported opposed investigated funded reported demanded promised
warned""".split()
NOUNS = """agreement budget ceasefire election investigation reform plan talks treaty deal
sanctions tariff vote report inquiry programme project contract loan aid shipment protest
strike crisis negotiation summit proposal measure law policy strategy initiative operation
offensive evacuation reconstruction recovery inflation deficit pipeline harbour border
airport hospital school bridge railway factory market refinery reservoir""".split()
ADJECTIVES = """new major controversial temporary regional national joint emergency
long-term economic military political humanitarian fragile ambitious costly disputed
historic modest sweeping delayed urgent formal bilateral provisional""".split()
UNITS = "people|percent|million dollars|tonnes|kilometres|soldiers|families|votes|billion euros|days".split("|")
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = """January February March April May June July August September October
November December""".split()
FRAMES = [
    "{title} {person} {verb} the {adj} {noun} in {place} on {weekday}.",
    "The {org} {verb} a {adj} {noun} worth {number} {unit}, officials in {place} said.",
    "{person} said the {noun} would affect {number} {unit} before {month} {day}.",
    "In {place}, the {org} {verb} the {noun} after {number} {unit} were counted.",
    "Officials {verb} the {adj} {noun} with {person} of the {org} in {place}.",
    "\"We {verb} the {noun} because it serves {place},\" {person} told reporters on {weekday}.",
    "The {adj} {noun} near {place} was {verb} by the {org} on {month} {day}, {year}.",
    "{person} and {person2} {verb} a {noun} that the {org} had {verb2} in {month}.",
]


def person(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng):
    frame = rng.choice(FRAMES)
    return frame.format(
        title=rng.choice(TITLES),
        person=person(rng),
        person2=person(rng),
        verb=rng.choice(VERBS),
        verb2=rng.choice(VERBS),
        adj=rng.choice(ADJECTIVES),
        noun=rng.choice(NOUNS),
        place=rng.choice(PLACES),
        org=rng.choice(ORGS),
        number=f"{rng.randint(2, 99_999):,}",
        unit=rng.choice(UNITS),
        weekday=rng.choice(WEEKDAYS),
        month=rng.choice(MONTHS),
        day=rng.randint(1, 28),
        year=rng.randint(1990, 2026),
    )


def body(sentences, per_paragraph=5):
    paragraphs = [" ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]
    return "\n\n".join(paragraphs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", type=int, help="sentences per article")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--outlets", choices=["same", "two"], default="two")
    parser.add_argument("--every", type=int, default=50, help="change every K-th sentence in b")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    first = [sentence(rng) for _ in range(args.sentences)]
    second = [sentence(rng) if (i + 1) % args.every == 0 else s for i, s in enumerate(first)]
    hosts = ["news-a.example", "news-a.example"] if args.outlets == "same" else ["news-a.example", "news-b.example"]
    for ident, sents, host in zip(["a", "b"], [first, second], hosts):
        record = {
            "id": ident,
            "url": f"https://{host}/2024/09/23/long-report-{ident}",
            "title": "Officials review the long report on regional talks",
            "published": "2024-09-23",
            "text": body(sents),
        }
        sys.stdout.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
