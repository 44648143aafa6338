# Regenerates articles.jsonl (hand-written test articles with expected actors, one per
# rule of GUIDELINES section 3) from the texts and expectations below:
#   python3 make_articles.py articles.jsonl
import json, sys
docs = []
def doc(did, text, exp):
    anns = []
    for item in exp:
        surf, occ, typ, val = item
        pos = -1
        for _ in range(occ + 1):
            pos = text.find(surf, pos + 1)
            assert pos >= 0, (did, surf, occ)
        anns.append({"layer": "actor", "start": pos, "end": pos + len(surf), "text": surf, "type": typ, "value": val})
    anns.sort(key=lambda a: a["start"])
    for a, b in zip(anns, anns[1:]):
        assert a["end"] <= b["start"], (did, a, b)
    docs.append({"id": did, "source": "gloss tests (hand-written)", "dct": None, "text": text, "annotations": anns})

S, O, G, P = "state", "org", "group", "person"

doc("act-metonymy",
"KABUL: Washington wants a deal, officials said. Tehran accuses Kabul of harbouring militants, while Moscow is no longer interested in the talks in Moscow. "
"The Taliban took over Kabul in August. Islamabad’s statement warned Dushanbe. Leaders in Moscow met in Tashkent. "
"The U.S. ambassador to Washington was recalled, and aid to Islamabad was frozen. The Kremlin said the White House had ignored the Pentagon. "
"The Washington Post reported frustration in Washington.",
[("Washington",0,S,"USA"),("Tehran",0,S,"IRN"),("Kabul",0,S,"AFG"),("Moscow",0,S,"RUS"),("Taliban",0,G,"TALIBAN"),
 ("Islamabad",0,S,"PAK"),("Dushanbe",0,S,"TJK"),("U.S.",0,S,"USA"),("Washington",1,S,"USA"),("Islamabad",1,S,"PAK"),
 ("Kremlin",0,S,"RUS"),("White House",0,S,"USA"),("Pentagon",0,S,"USA")])

doc("act-persons",
"U.S. President Joe Biden met Pakistani Prime Minister Imran Khan. Biden later called Khan. "
"Taliban spokesman Zabihullah Mujahid said the group would talk. Mujahid added that Mullah Mohammed Omar founded the movement. "
"Former U.S. Ambassador to Afghanistan Ryan Crocker disagreed. Crocker said Gen. Mark Milley agreed. "
"Uzbek Foreign Minister Bakhtiyor Saidov visited Kabul. Saidov met Amir Khan Muttaqi.",
[("U.S.",0,S,"USA"),("Joe Biden",0,P,"PERSON:Joe Biden"),("Pakistani",0,S,"PAK"),("Imran Khan",0,P,"PERSON:Imran Khan"),
 ("Biden",1,P,"PERSON:Joe Biden"),("Khan",1,P,"PERSON:Imran Khan"),("Taliban",0,G,"TALIBAN"),
 ("Zabihullah Mujahid",0,P,"PERSON:Zabihullah Mujahid"),("Mujahid",1,P,"PERSON:Zabihullah Mujahid"),
 ("Mohammed Omar",0,P,"PERSON:Mullah Omar"),("U.S.",1,S,"USA"),("Afghanistan",0,S,"AFG"),("Ryan Crocker",0,P,"PERSON:Ryan Crocker"),
 ("Crocker",1,P,"PERSON:Ryan Crocker"),("Mark Milley",0,P,"PERSON:Mark Milley"),("Uzbek",0,S,"UZB"),
 ("Bakhtiyor Saidov",0,P,"PERSON:Bakhtiyor Saidov"),("Saidov",1,P,"PERSON:Bakhtiyor Saidov"),("Amir Khan Muttaqi",0,P,"PERSON:Amir Khan Muttaqi")])

doc("act-unknown-person",
"Kazakh Ambassador Yerlan Sultanbekov said relations were good. Sultanbekov spoke after Senator Jane Doerner questioned the plan. "
"Doerner’s office declined to comment.",
[("Kazakh",0,S,"KAZ"),("Yerlan Sultanbekov",0,P,"PERSON:Yerlan Sultanbekov"),("Sultanbekov",1,P,"PERSON:Yerlan Sultanbekov"),
 ("Jane Doerner",0,P,"PERSON:Jane Doerner"),("Doerner",1,P,"PERSON:Jane Doerner")])

doc("act-compounds",
"US-Pakistan relations soured after the US-Taliban agreement. The 1947 India-Pakistan War and Tajik–Afghan trade were discussed. "
"Anti-American and post-Soviet sentiment grew in US-backed states, while NATO-led forces left Taliban-ruled areas.",
[("US",0,S,"USA"),("Pakistan",0,S,"PAK"),("US",1,S,"USA"),("Taliban",0,G,"TALIBAN"),("India",0,S,"IND"),("Pakistan",1,S,"PAK"),
 ("Tajik",0,S,"TJK"),("Afghan",0,S,"AFG"),("American",0,S,"USA"),("Soviet",0,S,"SUN"),("US",2,S,"USA"),("NATO",0,O,"NATO"),("Taliban",1,G,"TALIBAN")])

doc("act-bodies",
"The U.S. Senate and the Pakistan army disagreed. Uzbekistan's senate met while the Russian Foreign Ministry and the Embassy of India issued notes. "
"The U.S. government and the Afghan defence ministry were silent, but the CIA, the ISI and the State Department were busy. "
"Russia’s Central Military District held drills. The Taliban government and the Afghan regime argued.",
[("U.S. Senate",0,S,"USA"),("Pakistan army",0,S,"PAK"),("Uzbekistan",0,S,"UZB"),("Russian Foreign Ministry",0,S,"RUS"),
 ("Embassy of India",0,S,"IND"),("U.S.",1,S,"USA"),("Afghan",0,S,"AFG"),("CIA",0,S,"USA"),("ISI",0,S,"PAK"),("State Department",0,S,"USA"),
 ("Russia",1,S,"RUS"),("Taliban",0,G,"TALIBAN"),("Afghan",1,S,"AFG")])

doc("act-groups",
"The Afghan Taliban, the Pakistani Taliban and the Haqqani Network deny links to al-Qaida. "
"Islamic State Khorasan Province (ISKP), also called ISIS-K, fights the Islamic Emirate. Tehreek-e-Taliban Pakistan (TTP) attacks rose. "
"The Islamic Movement of Uzbekistan and Afghan mujahedin fought the Soviets. Pakistan was declared an Islamic state.",
[("Afghan Taliban",0,G,"TALIBAN"),("Pakistani Taliban",0,G,"TTP"),("Haqqani Network",0,G,"HAQQANI"),("al-Qaida",0,G,"ALQAEDA"),
 ("Islamic State Khorasan Province",0,G,"ISKP"),("ISKP",0,G,"ISKP"),("ISIS-K",0,G,"ISKP"),("Islamic Emirate",0,G,"TALIBAN"),
 ("Tehreek-e-Taliban Pakistan",0,G,"TTP"),("TTP",0,G,"TTP"),("Islamic Movement of Uzbekistan",0,G,"IMU"),("Afghan mujahedin",0,G,"MUJAHIDEEN"),
 ("Soviets",0,S,"SUN"),("Pakistan",2,S,"PAK")])

doc("act-orgs-ethnic",
"The UN Security Council, the U.N. and the European Union met NATO, the SCO and the Gulf Cooperation Council. "
"Ethnically Tajik fighters and ethnic Uzbek clans live in northern Afghanistan, in Central Asia. "
"Reuters and the Hudson Institute reported that Latin American and Central Asian states watched the Cold War.",
[("UN Security Council",0,O,"UN"),("U.N.",0,O,"UN"),("European Union",0,O,"EU"),("NATO",0,O,"NATO"),("SCO",0,O,"SCO"),
 ("Gulf Cooperation Council",0,O,"GCC"),("Afghanistan",0,S,"AFG")])

doc("act-era",
"In 1979 Moscow sent troops into Afghanistan, and the Russians withdrew in 1989. Today Russia hosts Taliban delegations and the Kremlin wants trade.",
[("Moscow",0,S,"SUN"),("Afghanistan",0,S,"AFG"),("Russians",0,S,"SUN"),("Russia",1,S,"RUS"),("Taliban",0,G,"TALIBAN"),("Kremlin",0,S,"RUS")])

doc("act-edges",
"Pakistan’s army chief met “China’s” envoy – and America’s. Afghans/ Taliban never attacked the United States. Ties with Iran",
[("Pakistan",0,S,"PAK"),("China",0,S,"CHN"),("America",0,S,"USA"),("Afghans",0,S,"AFG"),("Taliban",0,G,"TALIBAN"),("United States",0,S,"USA"),("Iran",0,S,"IRN")])

with open(sys.argv[1], "w", encoding="utf-8") as fh:
    for d in docs:
        fh.write(json.dumps(d, ensure_ascii=False) + "\n")
print(len(docs), "docs", sum(len(d["annotations"]) for d in docs), "actors")
