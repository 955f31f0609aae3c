#!/usr/bin/env python3
"""The search mix of bench/portal: at least 200 different searches, made
from the register in DATABASE_URL the same way every run (ordered, no
randomness), one query string per line on stdout.

Names, parts of names, institution numbers, postnumre, towns, kommuner,
each filter alone and with a text, and searches by distance."""
import subprocess
import sys
from urllib.parse import urlencode

url = sys.argv[1]


def column(sql):
    out = subprocess.run(["psql", "-qtA", url, "-c", sql], check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


active = "FROM institutions WHERE status = 'aktiv' AND institution_type <> 'dagpleje'"
names = column(f"SELECT navn {active} ORDER BY nummer LIMIT 30")
words = column(f"SELECT DISTINCT ON (w) w FROM (SELECT nummer, split_part(navn, ' ', 1) AS w {active}) x "
               "ORDER BY w, nummer LIMIT 20")
# The middle of a name, lower-cased: a substring search.
parts = column(f"SELECT lower(substr(navn, 3, 5)) {active} ORDER BY md5(nummer) LIMIT 20")
numbers = column(f"SELECT lower(nummer) {active} ORDER BY md5(nummer) LIMIT 15")
postnumre = column(f"SELECT DISTINCT postnummer::text {active} ORDER BY 1 LIMIT 25")
towns = column(f"SELECT DISTINCT postby {active} ORDER BY 1 LIMIT 20")
kommuner = column("SELECT navn FROM kommuner ORDER BY kode LIMIT 25")

filters = [
    {"type": t} for t in ["vuggestue", "boernehave", "integreret", "fritidshjem", "fritidsklub", "dagpleje"]
] + [{"alder": a} for a in ["0_2", "3_5", "6_9", "10_plus"]] + [
    {"profil": p} for p in ["natur", "idraet", "sprog", "musik", "skov"]
] + [{"oekologi": o} for o in ["bronze", "soelv", "guld"]] + [
    {"hensyn": h} for h in ["vegetarisk", "halal", "allergier"]
] + [{"aabner": "06:30"}, {"aabner": "06:00"}, {"lukker": "17:00"}, {"lukker": "17:30"},
     {"ejerform": "privat"}, {"ejerform": "selvejende"}]

queries = []
queries += [{"q": q} for q in names + words + parts + numbers + postnumre + towns + kommuner]
queries += filters
# Each filter within a kommune, and a few on page 2.
queries += [dict(f, q=k) for f, k in zip(filters, kommuner[::-1])]
queries += [{"q": k, "side": "2"} for k in kommuner[:10]]
# By distance: nearest first from a postnummer, within a radius, by type.
queries += [{"fra": p} for p in postnumre[:10]]
queries += [{"fra": p, "maks_km": km, "type": "boernehave"} for p, km in zip(postnumre[10:20], ["1", "2", "5", "10", "25"] * 2)]

lines = list(dict.fromkeys("?" + urlencode(q) for q in queries))
if len(lines) < 200:
    sys.exit(f"only {len(lines)} different searches; the mix needs at least 200")
print("\n".join(lines))
