#!/bin/bash
# test_cli.sh - the gloss CLI against a real glossd: starts glossd on an
# ipc:// socket in a temporary folder, then drives every command and checks
# its output and exit status, bad input included (wrong token, unknown
# project, bad offsets, stale versions, invalid UTF-8, duplicates, ...).
#
# Environment: GLOSSD and GLOSS (the binaries), GLOSS_PLUGINS_DIR (the build's
# plugins/ folder).  Prints "ok NAME" / "FAIL NAME" per check and ends with
# "N passed, N failed".
set -u

GLOSSD=${GLOSSD:?set GLOSSD to the glossd binary}
GLOSS=${GLOSS:?set GLOSS to the gloss binary}
PLUGINS=${GLOSS_PLUGINS_DIR:-}

. "$(dirname "$0")/lib.sh"
TOKEN=cli-test-admin-token-0123456789
export GLOSS_URL="ipc://$tmp/glossd.sock"
export GLOSS_TOKEN=$TOKEN
unset GLOSS_TLS_CA

# ---- start glossd -----------------------------------------------------------
plugin_args=()
[ -n "$PLUGINS" ] && plugin_args=(--plugins "$PLUGINS")
GLOSS_ADMIN_TOKEN=$TOKEN "$GLOSSD" --data "$tmp/data" --listen "$GLOSS_URL" \
	"${plugin_args[@]}" >"$tmp/glossd.log" 2>&1 &
glossd_pid=$!
up=0
for _ in $(seq 1 200); do
	if "$GLOSS" --timeout 500 health >/dev/null 2>&1; then up=1; break; fi
	kill -0 "$glossd_pid" 2>/dev/null || break
	sleep 0.1
done
if [ "$up" -ne 1 ]; then
	echo "FAIL glossd did not come up"
	sed 's/^/    glossd: /' "$tmp/glossd.log"
	echo "0 passed, 1 failed"
	exit 1
fi

# ---- health, help, usage ----------------------------------------------------
run health 0 health
out_has health_serving "SERVING"
run health_json 0 health --json
out_has health_json_status '"status":"SERVING"'
out_has health_json_max '"max_message":16777216'
run health_no_server 24 --timeout 300 --url "ipc://$tmp/nobody.sock" health
err_has health_no_server_msg "gloss: UNAVAILABLE: cannot reach"

run help 0 --help
out_has help_lists_ann "ann"
out_has help_exit_codes "26 UNAUTHENTICATED"
run help_ann_add 0 ann add --help
out_has help_ann_add_quote "--quote Q"
out_has help_ann_add_global "--timeout MS"
run help_group 0 ann --help
out_has help_group_lists "reject"
run help_cmd_word 0 help import
out_has help_cmd_word_text "--project P"
run usage_unknown_command 2 frobnicate
run usage_unknown_option 2 project list --frob
err_has usage_unknown_option_msg "unknown option --frob"
run usage_missing_value 2 ann list --doc
run usage_bad_number 2 ann list --doc seven
run usage_missing_required 2 ann add --doc 1 --layer actor

# ---- tokens -----------------------------------------------------------------
run wrong_token 26 --token not-the-token project list
err_has wrong_token_msg "gloss: UNAUTHENTICATED:"
GLOSS_TOKEN= run no_token 26 project list
err_has no_token_msg "UNAUTHENTICATED"
GLOSS_TOKEN=wrong-token-from-env run env_token 26 project list

# ---- projects -----------------------------------------------------------------
run project_create 0 project create demo --mode shared
out_has project_create_msg "created project demo"
run project_create_again 16 project create demo
err_has project_create_again_msg "ALREADY_EXISTS"
run project_bad_name 13 project create "no spaces allowed"
run project_bad_mode 13 project create other --mode sideways
cat >"$tmp/schema.json" <<'EOF'
{"layers": [
  {"name": "actor", "labels": ["STATE", {"name": "PERSON", "color": "#aa3377"}],
   "attributes": [{"name": "cameo", "type": "string"}]},
  {"name": "date"}
]}
EOF
run project_schema 0 project create coded --mode independent --schema "$tmp/schema.json" --json
out_has project_schema_json '"mode":"independent"'
run project_show_schema 0 project show coded
out_has project_show_layer "layer actor"
out_has project_show_label "label PERSON"
out_has project_show_color "#aa3377"
echo '{"layers": [' >"$tmp/bad-schema.json"
run project_bad_schema_file 13 project create other --schema "$tmp/bad-schema.json"
err_has project_bad_schema_msg "bad-schema.json: not JSON"
run project_missing_schema_file 1 project create other --schema "$tmp/nope.json"
run project_list 0 project list
out_has project_list_demo "demo"
out_has project_list_coded "coded"
run project_list_json 0 project list --json
out_has project_list_json_name '"name":"demo"'
run project_show 0 project show demo
out_has project_show_mode "shared"
run project_show_unknown 15 project show no-such-project
err_has project_show_unknown_msg "gloss: NOT_FOUND:"

# ---- import -------------------------------------------------------------------
printf 'Taliban talks resume in Doha\n\nDOHA, 29 December 2023 - Envoys met in Doha on Friday to discuss a ceasefire and new talks.\n' >"$tmp/doha.txt"
printf 'Москва и Вашингтон 🙂 Kabul\nThe summit ended without a treaty.\n' >"$tmp/multi.txt"
cat >"$tmp/two.jsonl" <<'EOF'
{"title": "Sanctions", "text": "Washington announced new sanctions on Monday.", "published": "2024-02-19", "source": "wire", "metadata": {"desk": "asia"}}

{"id": "dev-1", "dct": "2021-03-10", "text": "Islamabad said the refugees would return."}
EOF
run import 0 import --project demo "$tmp/doha.txt" "$tmp/multi.txt" "$tmp/two.jsonl"
out_has import_counts "imported 4, duplicates 0"
out_has import_title "Taliban talks resume in Doha"
out_has import_origin "two.jsonl:3"
run import_json 0 import --project demo --json "$tmp/doha.txt"
out_has import_dup_json '"duplicate":true'
out_has import_dup_counts '"imported":0,"duplicates":1'
doha=$(json_num id)
run import_dup_text 0 import --project demo "$tmp/doha.txt"
out_has import_dup_reported "imported 0, duplicates 1"
out_has import_dup_status "duplicate"
printf 'bad \xff\xfe bytes\n' >"$tmp/latin1.txt"
run import_invalid_utf8 13 import --project demo "$tmp/doha.txt" "$tmp/latin1.txt"
err_has import_invalid_utf8_msg "not valid UTF-8"
err_has import_invalid_utf8_file "latin1.txt"
printf '{"text": "fine"}\n{"title": "no text"}\n' >"$tmp/bad.jsonl"
run import_bad_jsonl 13 import --project demo "$tmp/bad.jsonl"
err_has import_bad_jsonl_line "bad.jsonl line 2"
run import_unknown_project 15 import --project no-such-project "$tmp/doha.txt"
run import_missing_file 1 import --project demo "$tmp/missing.txt"
run import_no_project 2 import "$tmp/doha.txt"
printf 'nul\0byte\n' >"$tmp/nul.txt"
run import_nul 13 import --project demo "$tmp/nul.txt"

# A big import: three batches (500 + 500 + 5), then a list across pages.
for i in $(seq 1 1005); do
	printf '{"title": "Report %d", "text": "Report number %d on the border talks."}\n' "$i" "$i"
done >"$tmp/big.jsonl"
run project_big 0 project create big
run import_big 0 import --project big "$tmp/big.jsonl"
out_has import_big_counts "imported 1005, duplicates 0"
run docs_list_big 0 docs list --project big
eq docs_list_big_rows "$(($(wc -l <"$tmp/out") - 1))" 1005
run docs_list_big_limit 0 docs list --project big --limit 1001
eq docs_list_big_limit_rows "$(($(wc -l <"$tmp/out") - 1))" 1001

# ---- documents ----------------------------------------------------------------
run docs_list 0 docs list --project demo
eq docs_list_rows "$(($(wc -l <"$tmp/out") - 1))" 4
out_has docs_list_published "2024-02-19"
run docs_list_limit 0 docs list --project demo --limit 2
eq docs_list_limit_rows "$(($(wc -l <"$tmp/out") - 1))" 2
run docs_list_json 0 docs list --project demo --json
eq docs_list_json_count "$(grep -o '"sha256"' "$tmp/out" | wc -l)" 4
run docs_list_unknown 15 docs list --project no-such-project
run docs_show 0 docs show "$doha"
out_has docs_show_title "Taliban talks resume in Doha"
out_has docs_show_meta '{"file":"doha.txt"}'
run docs_show_text 0 docs show "$doha" --text
if cmp -s "$tmp/out" "$tmp/doha.txt"; then ok docs_show_text_exact; else bad docs_show_text_exact "text differs from the file"; fi
run docs_show_json 0 docs show "$doha" --json
out_has docs_show_json_text '"text":"Taliban talks resume in Doha\n\nDOHA'
run docs_show_unknown 15 docs show 999999
run docs_show_bad_id 2 docs show abc

run search 0 search --project demo Doha
out_has search_snippet "[Doha]"
run search_json 0 search --project demo --json sanctions
out_has search_json_title '"title":"Sanctions"'
run search_bad_query 13 search --project demo '"unbalanced'

# ---- annotations --------------------------------------------------------------
run ann_add 0 ann add --doc "$doha" --layer actor --label STATE --start 24 --end 28 --quote Doha --attr '{"cameo":"QAT"}' --score 0.75 --json
a1=$(json_num id)
out_has ann_add_version '"version":1'
out_has ann_add_attr '"attributes":{"cameo":"QAT"}'
out_has ann_add_score '"has_score":true'
run ann_add_second 0 ann add --doc "$doha" --layer actor --label CITY --start 30 --end 34 --value QAT
out_has ann_add_second_msg "created annotation"
out_has ann_add_second_quote "DOHA"
run ann_bad_offsets 13 ann add --doc "$doha" --layer actor --label X --start 5 --end 3
err_has ann_bad_offsets_msg "gloss: INVALID_ARGUMENT:"
run ann_offsets_past_end 13 ann add --doc "$doha" --layer actor --label X --start 0 --end 100000
run ann_wrong_quote 19 ann add --doc "$doha" --layer actor --label X --start 24 --end 28 --quote Kabul
err_has ann_wrong_quote_msg "FAILED_PRECONDITION"
run ann_bad_attr 2 ann add --doc "$doha" --layer actor --label X --start 24 --end 28 --attr '[1]'
run ann_unknown_doc 15 ann add --doc 999999 --layer actor --label X --start 0 --end 1

# Code points, not bytes: "Москва" is 0-6 and "Kabul" 21-26 after an emoji.
run docs_find_multi 0 search --project demo --json Kabul
multi=$(json_num id)
run ann_cyrillic 0 ann add --doc "$multi" --layer actor --label CITY --start 0 --end 6 --quote Москва --json
m1=$(json_num id)
run ann_after_emoji 0 ann add --doc "$multi" --layer actor --label CITY --start 21 --end 26 --quote Kabul
run ann_list_multi 0 ann list --doc "$multi" --json
out_has ann_list_multi_quote '"quote":"Москва"'
out_has ann_list_multi_kabul '"start":21,"end":26,"quote":"Kabul"'

run ann_list 0 ann list --doc "$doha"
out_has ann_list_state "STATE"
out_has ann_list_city "CITY"
run ann_list_layer 0 ann list --doc "$doha" --label CITY --json
a2=$(json_num id)
eq ann_list_label_filter "$(grep -o '"label":"[A-Z]*"' "$tmp/out" | sort -u)" '"label":"CITY"'
run ann_list_status 0 ann list --doc "$doha" --status rejected --json
eq ann_list_status_empty "$(cat "$tmp/out")" "[]"

run ann_update 0 ann update "$a1" --version 1 --label COUNTRY --value QAT
out_has ann_update_version "version 2"
out_has ann_update_label "COUNTRY"
run ann_update_stale 20 ann update "$a1" --version 1 --label STATE
err_has ann_update_stale_msg "gloss: ABORTED:"
err_has ann_update_stale_detail "current_version=2"
run ann_update_span 0 ann update "$a1" --version 2 --start 0 --end 7 --quote Taliban --json
out_has ann_update_span_quote '"quote":"Taliban"'
run ann_update_bad_span 13 ann update "$a1" --version 3 --start 9 --end 2
run ann_update_nothing 2 ann update "$a1" --version 3
run ann_update_half_span 2 ann update "$a1" --version 3 --start 1

# Schema checks in the project that has one.
run import_coded 0 import --project coded --json "$tmp/doha.txt"
coded_doc=$(json_num id)
run ann_schema_ok 0 ann add --doc "$coded_doc" --layer actor --label PERSON --start 0 --end 7
run ann_schema_bad_label 13 ann add --doc "$coded_doc" --layer actor --label PLANET --start 0 --end 7

# ---- relations ----------------------------------------------------------------
run rel_add 0 rel add --from "$a1" --to "$a2" --label stance --json
rel=$(json_num id)
out_has rel_add_label '"label":"stance"'
run rel_list 0 rel list --doc "$doha"
out_has rel_list_label "stance"
run rel_cross_doc 13 rel add --from "$a1" --to "$m1" --label x
run rel_rm 0 rel rm "$rel"
run rel_list_after_rm 0 rel list --doc "$doha" --json
eq rel_list_after_rm_empty "$(cat "$tmp/out")" "[]"

# ---- deletes ------------------------------------------------------------------
run ann_rm_stale 20 ann rm "$a2" --version 7
run ann_rm 0 ann rm "$a2"
out_has ann_rm_msg "deleted annotation $a2"
run ann_list_after_rm 0 ann list --doc "$doha"
out_lacks ann_list_after_rm_gone "CITY"
run ann_list_deleted 0 ann list --doc "$doha" --deleted
out_has ann_list_deleted_shown "(deleted)"

# ---- watch ----------------------------------------------------------------------
run watch_history 0 watch --project demo --since 0 --count 3
eq watch_history_lines "$(wc -l <"$tmp/out")" 3
out_has watch_history_first "project.created"
run watch_json 0 watch --project demo --since 0 --count 2 --json
eq watch_json_first "$(head -c 9 "$tmp/out")" '{"seq":1,'
eq watch_json_lines "$(grep -c '^{"seq":' "$tmp/out")" 2
# Live: a watcher started at "now" sees the next change and exits.
run health_seq 0 health --json
now=$(json_num last_seq)
timeout 60 "$GLOSS" watch --project demo --since "$now" --count 1 --json >"$tmp/live" 2>&1 &
watcher=$!
sleep 0.5
run ann_add_live 0 ann add --doc "$doha" --layer actor --label LIVE --start 0 --end 7
wait "$watcher"
eq watch_live_status "$?" 0
if grep -qF '"kind":"annotation.created"' "$tmp/live" && grep -qF '"label":"LIVE"' "$tmp/live"; then
	ok watch_live_event
else
	bad watch_live_event "$(cat "$tmp/live")"
fi
run watch_unknown_project 15 watch --project no-such-project --since 0 --count 1

# ---- analyzers and jobs ---------------------------------------------------------
if [ -n "$PLUGINS" ] && [ -e "$PLUGINS/example/example.so" ]; then
	run analyzers 0 analyzers
	out_has analyzers_example "example"
	run analyzers_json 0 analyzers --json
	out_has analyzers_json_name '"name":"example"'
	run analyze 0 analyze --project demo --plugin example
	out_has analyze_done "done"
	run analyze_json 0 analyze --project demo --plugin example --doc "$doha" --json
	out_has analyze_json_state '"state":"done"'
	run sugg_list 0 ann list --doc "$doha" --status suggested --json
	out_has sugg_author '"author":"plugin:example@'
	sugg=$(json_num id)
	run ann_accept 0 ann accept "$sugg" --json
	out_has ann_accept_status '"status":"accepted"'
	out_has ann_accept_author '"author":"plugin:example@'
	run sugg_list2 0 ann list --doc "$multi" --status suggested --json
	sugg2=$(json_num id)
	run ann_reject 0 ann reject "$sugg2"
	out_has ann_reject_status "rejected"
	run ann_reject_again_stale 20 ann reject "$sugg2" --version 1
	run project_auto 0 project create auto --auto-plugins example
	run project_auto_show 0 project show auto
	out_has project_auto_plugins "auto-plugins:  example"
	run import_auto 0 import --project auto --json "$tmp/doha.txt"
	out_has import_auto_jobs '"jobs":['
	out_lacks import_auto_job '"jobs":[]'
	run import_auto_text 0 import --project auto "$tmp/two.jsonl"
	out_has import_auto_text_job "analysis jobs started"
	run analyze_unknown_plugin 13 analyze --project demo --plugin no-such-plugin
else
	bad analyzers "no example plugin under GLOSS_PLUGINS_DIR=$PLUGINS"
fi
run analyze_no_project 2 analyze --plugin example

# ---- document delete, then shutdown ------------------------------------------------
run docs_rm 0 docs rm "$multi"
out_has docs_rm_msg "deleted document $multi"
run docs_show_deleted 15 docs show "$multi"
run ann_list_deleted_doc 15 ann list --doc "$multi"

# The daemon kept serving through every bad request above.
run health_end 0 health

# A watcher rides out a server restart: it resumes after its last event and
# gets the change made after the restart, nothing twice.
start_glossd() {
	GLOSS_ADMIN_TOKEN=$TOKEN "$GLOSSD" --data "$tmp/data" --listen "$GLOSS_URL" \
		"${plugin_args[@]}" >>"$tmp/glossd.log" 2>&1 &
	glossd_pid=$!
	for _ in $(seq 1 200); do
		"$GLOSS" --timeout 500 health >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
run health_seq2 0 health --json
now=$(json_num last_seq)
timeout 90 "$GLOSS" watch --project demo --since "$now" --count 2 --json >"$tmp/live2" 2>&1 &
watcher=$!
run ann_add_before_restart 0 ann add --doc "$doha" --layer actor --label BEFORE --start 0 --end 7
kill -TERM "$glossd_pid"
wait "$glossd_pid"
eq glossd_restart_exit "$?" 0
if start_glossd; then ok glossd_restarted; else bad glossd_restarted "no health after restart"; fi
run ann_add_after_restart 0 ann add --doc "$doha" --layer actor --label AFTER --start 0 --end 7
wait "$watcher"
eq watch_restart_status "$?" 0
eq watch_restart_lines "$(grep -c '"kind":"annotation.created"' "$tmp/live2")" 2
if grep -qF '"label":"BEFORE"' "$tmp/live2" && grep -qF '"label":"AFTER"' "$tmp/live2"; then
	ok watch_restart_events
else
	bad watch_restart_events "$(cat "$tmp/live2")"
fi
kill -TERM "$glossd_pid"
wait "$glossd_pid"
eq glossd_clean_exit "$?" 0
glossd_pid=

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
