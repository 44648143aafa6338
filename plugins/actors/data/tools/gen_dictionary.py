#!/usr/bin/env python3
"""Regenerate the generated dictionary files of the actors plugin.

    python3 gen_dictionary.py PETRARCH_DIR ISO_CODES_JSON_DIR OUT_DIR

Writes OUT_DIR/iso3166.tsv (country names from Debian's iso-codes) and
OUT_DIR/petrarch_people.tsv (named people from PETRARCH-2's
Phoenix.Countries.actors.txt).  The hand-curated actors.tsv is not touched.
The output format is the one documented at the top of actors.tsv.
"""
import json
import os
import re
import sys

PARTICLES = {"bin", "ibn", "al", "ul", "el", "de", "van", "von", "da", "der", "la", "le", "du", "ud", "e"}
# Words that mark an institution, a place or a group rather than a person.
NOT_PERSON = set("""
ARMY NAVY FORCE FORCES MINISTRY MINISTER MINISTERS PARTY COUNCIL COMMITTEE COURT GOVERNMENT
POLICE OFFICE BANK UNION FRONT MOVEMENT ASSEMBLY PARLIAMENT SENATE CONGRESS AGENCY SERVICE
DEPARTMENT COMMISSION CABINET GUARD GUARDS BRIGADE BRIGADES CORPS ORGANIZATION ASSOCIATION
LEAGUE INSTITUTE UNIVERSITY NATIONAL REPUBLIC KINGDOM STATE STATES PROVINCE CITY ISLAND ISLANDS
RIVER SEA GULF MOUNT AIRPORT PRESIDENT PRESIDENTIAL PRIME GENERAL SECRETARY SPOKESMAN OFFICIALS
OFFICIAL REBELS REBEL GROUP GROUPS EMBASSY CONSULATE MILITARY TROOPS SOLDIERS PEOPLE CITIZENS
POLICEMEN AUTHORITY AUTHORITIES JUNTA REGIME COALITION ALLIANCE FEDERATION DISTRICT REGION
CHIEF COMMANDER AMBASSADOR DIPLOMAT DIPLOMATS LEADER LEADERS MR MR. MRS DR DR. GEN GEN. KING QUEEN
PRINCE EMIR SHEIKH SULTAN CROWN HOUSE CHAMBER BUREAU COMMAND COMPANY CORPORATION NEWS TIMES
""".split())


# Aliases that start with one of these carry a title and are left out: titles
# are outside the span, the plugin finds them from the title rule.
ALIAS_TITLES = set("""
PRESIDENT PRESIDENT-ELECT SENATOR SEN MR MRS MS DR PRIME FOREIGN DEFENSE DEFENCE GENERAL GEN THE KING
QUEEN PRINCE SHEIKH EMIR AMBASSADOR SECRETARY MINISTER CHANCELLOR GOVERNOR FORMER VICE DEPUTY ACTING
CHAIRMAN COL LT MAJ CAPT ADM ADMIRAL MULLAH HAJI JUDGE JUSTICE REP REPRESENTATIVE
""".split())


def title_word(w):
    low = w.lower()
    if low in PARTICLES:
        return low
    parts = re.split(r"([-'.])", w)
    out = []
    for p in parts:
        if p.lower() in ("al", "el", "ul", "ud") and out == []:
            out.append(p.lower())
        elif p and p[0].isalpha():
            out.append(p[0].upper() + p[1:].lower())
        else:
            out.append(p)
    s = "".join(out)
    # "Mc" names: keep as-is; good enough for news text
    return s


def norm_name(raw):
    words = [w for w in raw.strip().strip("_").split("_") if w]
    return [title_word(w) for w in words]


def parse_petrarch(path):
    """Yield (head, aliases, codes) blocks."""
    entries = []
    cur = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("\t") or line.startswith(" "):
                if cur is not None:
                    cur[2].extend(re.findall(r"\[([^\]]+)\]", line))
                continue
            if line.startswith("+"):
                if cur is not None:
                    cur[1].append(re.sub(r"\[.*", "", line[1:]).strip())
                continue
            head = re.sub(r"\[.*", "", line).strip()
            cur = [head, [], re.findall(r"\[([^\]]+)\]", line)]
            entries.append(cur)
    return entries


def gen_people(petrarch_dir, out):
    entries = parse_petrarch(os.path.join(petrarch_dir, "Phoenix.Countries.actors.txt"))
    rows = {}
    for head, aliases, codes in entries:
        codes = [c.split()[0] for c in codes if c.split()]
        if not codes:
            continue
        last = codes[-1]
        if len(last) < 6 or not last[:3].isalpha() or not last[:3].isupper():
            continue
        words = [w for w in head.strip("_").split("_") if w]
        if not 2 <= len(words) <= 4:
            continue
        if any(w.upper().strip(".,") in NOT_PERSON for w in words):
            continue
        if any(not re.fullmatch(r"[A-Z][A-Z'.-]*", w) for w in words):
            continue
        name = norm_name(head)
        full = " ".join(name)
        forms = [full]
        for a in aliases:
            aw = [w for w in a.strip("_").split("_") if w]
            if not aw or any(w.upper().strip(".,") in NOT_PERSON for w in aw):
                continue
            if any(not re.fullmatch(r"[A-Z][A-Z'.-]*", w) for w in aw):
                continue
            if aw[0].upper().strip(".") in ALIAS_TITLES or "ADMINISTRATION" in a.upper():
                continue
            if len(aw) == 1:
                # a bare surname alias only when it is the entry's own surname
                if aw[0].upper() != words[-1].upper() or len(aw[0]) < 5:
                    continue
            forms.append(" ".join(norm_name(a)))
        country = last[:3]
        agent = last[3:6]
        role = {"GOV": "government", "ELI": "elite", "MIL": "military", "OPP": "opposition",
                "REB": "rebel", "LEG": "legislator", "JUD": "judiciary", "BUS": "business",
                "MED": "media", "EDU": "education", "REL": "religious", "COP": "police",
                "SPY": "intelligence", "IGO": "igo", "NGO": "ngo", "CVL": "civilian",
                "LAB": "labor", "HLH": "health", "AGR": "agriculture", "DEV": "development",
                "ENV": "environment", "HRI": "human rights", "REF": "refugees"}.get(agent, agent.lower())
        key = full
        if key in rows:
            rows[key][0].extend(f for f in forms if f not in rows[key][0])
            continue
        rows[key] = [forms, "PERSON:" + full, last, country, role]
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# Generated by tools/gen_dictionary.py from PETRARCH-2 Phoenix.Countries.actors.txt\n")
        fh.write("# (MIT, Copyright (c) 2014 Open Event Data Alliance).  Do not edit by hand: put\n")
        fh.write("# corrections and newer people in actors.tsv, which wins on a tie.\n")
        fh.write("# Format: see the top of actors.tsv.\n")
        for key in sorted(rows):
            forms, value, cameo, country, role = rows[key]
            seen = []
            for f in forms:
                if f not in seen:
                    seen.append(f)
            fh.write("\t".join(["|".join(seen), "person", value, "-", cameo, country, role]) + "\n")
    return len(rows)


def gen_iso(iso_dir, out):
    d = json.load(open(os.path.join(iso_dir, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    h = json.load(open(os.path.join(iso_dir, "iso_3166-3.json"), encoding="utf-8"))["3166-3"]
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("# Generated by tools/gen_dictionary.py from Debian's iso-codes (iso_3166-1.json,\n")
        fh.write("# iso_3166-3.json; LGPL-2.1+, see NOTICE).  Country names -> ISO 3166-1 alpha-3.\n")
        fh.write("# Do not edit by hand: short forms, demonyms and capitals are in actors.tsv.\n")
        fh.write("# Format: see the top of actors.tsv.\n")
        for c in d:
            forms = []
            for k in ("common_name", "name", "official_name"):
                v = c.get(k)
                if not v or "," in v or "(" in v:
                    continue
                if v.startswith("the "):
                    v = v[4:]
                if v not in forms:
                    forms.append(v)
            if not forms:
                continue
            fh.write("\t".join(["|".join(forms), "state", c["alpha_3"], "-", c["alpha_3"], "-", "-"]) + "\n")
            n += 1
        for c in h:
            # Historical states that news still names; the short forms
            # (Soviet, North Vietnam) are curated in actors.tsv.
            if c["alpha_3"] in ("SUN", "DDR", "CSK", "YUG"):
                nm = c["name"].split(",")
                forms = [x.strip() for x in nm if x.strip() and "(" not in x]
                fh.write("\t".join(["|".join(forms), "state", c["alpha_3"], "-", c["alpha_3"], "-", "-"]) + "\n")
                n += 1
    return n


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    p, i, o = sys.argv[1:]
    print("iso3166.tsv:", gen_iso(i, os.path.join(o, "iso3166.tsv")))
    print("petrarch_people.tsv:", gen_people(p, os.path.join(o, "petrarch_people.tsv")))
