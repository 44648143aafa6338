#!/bin/bash
# test_team_cli.sh - the team flows of issue 7 through the gloss CLI against
# a real glossd: users with tokens (user add --json), membership, two
# annotators and a curator on an independent project, annotating as
# different users, curate diff and merge, presence (heartbeat, who, the
# session closing after the TTL), ann history, refusals (import as an
# annotator -> exit 17) and token revocation (-> exit 26 on the next call).
#
# Environment: GLOSSD and GLOSS (the binaries).  Prints "ok NAME" / "FAIL
# NAME" per check and ends with "N passed, N failed".
set -u

GLOSSD=${GLOSSD:?set GLOSSD to the glossd binary}
GLOSS=${GLOSS:?set GLOSS to the gloss binary}

. "$(dirname "$0")/lib.sh"
ADMIN=team-cli-admin-token-0123456789
export GLOSS_URL="ipc://$tmp/glossd.sock"
export GLOSS_TOKEN=$ADMIN
unset GLOSS_TLS_CA

# as USER args...: gloss with USER's token.
as() { local u=$1; shift; local v="TOK_$u"; "$GLOSS" --token "${!v}" "$@"; }
# run_as NAME WANT USER args...
run_as() {
	local name=$1 want=$2 u=$3
	shift 3
	as "$u" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want"; fi
}

# ---- start glossd (short presence TTL) --------------------------------------
GLOSS_ADMIN_TOKEN=$ADMIN GLOSS_SESSION_TTL_MS=1500 "$GLOSSD" --data "$tmp/data" \
	--listen "$GLOSS_URL" >"$tmp/glossd.log" 2>&1 &
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

# ---- users and tokens --------------------------------------------------------
for spec in alice:annotator bob:annotator carol:curator vic:viewer; do
	u=${spec%%:*}
	r=${spec#*:}
	run "user_add_$u" 0 --json user add "$u" --role "$r"
	out_has "user_add_${u}_json_user" "\"user\":{"
	out_has "user_add_${u}_json_role" "\"role\":\"$r\""
	t=$(json_str token)
	[ -n "$t" ] && ok "user_add_${u}_token" || bad "user_add_${u}_token" "no token"
	printf -v "TOK_$u" '%s' "$t"
done
eq tokens_differ "$([ "$TOK_alice" != "$TOK_bob" ] && echo yes)" yes
run user_add_dup 16 user add alice     # ALREADY_EXISTS
run user_add_bad_role 13 user add eve --role boss
run user_list 0 user list
out_has user_list_carol "carol"
run_as user_list_as_annotator 17 alice user list
run_as user_add_as_curator 17 carol user add mallory
run_as token_issue_as_annotator 17 alice token issue alice

# ---- project and members -----------------------------------------------------
run project_create 0 project create team --mode independent
run add_alice 0 project add-member team alice
out_has add_alice_default_role "annotator"
run add_bob 0 --json project add-member team bob --role annotator
out_has add_bob_json '"user":"bob","role":"annotator"'
run add_carol 0 project add-member team carol
run add_vic 0 project add-member team vic --role viewer
run add_bad_role 13 project add-member team vic --role boss
run add_unknown_user 15 project add-member team nobody
run_as add_as_annotator 17 alice project add-member team vic --role manager
run members 0 --json project members team
for m in '"user":"alice","role":"annotator"' '"user":"bob","role":"annotator"' \
	'"user":"carol","role":"curator"' '"user":"vic","role":"viewer"'; do
	out_has "members_has_${m:8:5}" "$m"
done
printf 'Kabul and Islamabad traded accusations while Washington urged calm and Beijing offered to mediate.\n' >"$tmp/doc.txt"
run_as import_as_annotator 17 alice import --project team "$tmp/doc.txt"
err_has import_as_annotator_msg "PERMISSION_DENIED"
run_as import_as_curator 17 carol import --project team "$tmp/doc.txt"
run import_as_admin 0 --json import --project team "$tmp/doc.txt"
DOC=$(grep -o '"id":[0-9]*' "$tmp/out" | head -n 1 | cut -d: -f2)
[ -n "$DOC" ] && ok import_doc_id || bad import_doc_id "no id"

# ---- annotating as different users -------------------------------------------
# Kabul [0,5) Islamabad [10,19) Washington [45,55) Beijing [71,78)
add() { # add NAME WANT USER START END LABEL -> id in $LAST
	run_as "$1" "$2" "$3" --json ann add --doc "$DOC" --layer actor --label "$6" --start "$4" --end "$5"
	LAST=$(json_num id)
}
add ann_alice_kabul 0 alice 0 5 GOV;        A_K=$LAST
add ann_alice_islamabad 0 alice 10 19 GOV;  A_I=$LAST
add ann_alice_washington 0 alice 45 55 GOV; A_W=$LAST
add ann_bob_kabul 0 bob 0 5 GOV;            B_K=$LAST
add ann_bob_islamabad 0 bob 10 19 STATE;    B_I=$LAST
out_has ann_author_is_bob '"author":"bob"'
add ann_as_viewer 17 vic 0 5 GOV
run_as ann_gold_as_annotator 17 alice ann add --doc "$DOC" --layer actor --label G --start 0 --end 5 --status gold
# Independent: each annotator sees only their own set; the curator sees all.
run_as list_alice 0 alice --json ann list --doc "$DOC"
out_has list_alice_own '"author":"alice"'
out_lacks list_alice_not_bob '"author":"bob"'
run_as list_bob 0 bob --json ann list --doc "$DOC"
out_lacks list_bob_not_alice '"author":"alice"'
run_as list_carol 0 carol --json ann list --doc "$DOC"
eq list_carol_all "$(grep -o '"author":"[a-z]*"' "$tmp/out" | sort -u | tr '\n' ' ')" '"author":"alice" "author":"bob" '
run_as bob_edits_alice 15 bob ann update "$A_K" --version 1 --label X

# ---- curation -------------------------------------------------------------------
run_as diff_as_annotator 17 alice curate diff --doc "$DOC" --layer actor
run_as diff 0 carol curate diff --doc "$DOC" --layer actor
out_has diff_agreed "agreed"
out_has diff_conflict "conflict"
out_has diff_single "single"
run_as diff_json 0 carol --json curate diff --doc "$DOC" --layer actor
eq diff_kinds "$(grep -o '"kind":"[a-z]*"' "$tmp/out" | tr '\n' ' ')" \
	'"kind":"agreed" "kind":"conflict" "kind":"single" '
out_has diff_annotators '"annotators":["alice","bob"]'
run_as merge_as_annotator 17 bob curate merge --doc "$DOC" --layer actor --agreed
run_as merge 0 carol --json curate merge --doc "$DOC" --layer actor --agreed \
	--accept "$B_I" --add 71:78:STATE
eq merge_gold_count "$(grep -o '"status":"gold"' "$tmp/out" | wc -l | tr -d ' ')" 3
eq merge_author "$(grep -o '"author":"[a-z]*"' "$tmp/out" | sort -u)" '"author":"carol"'
out_has merge_agreed_by_both '"agreed_by":["alice","bob"]'
out_has merge_curated_from_bob "\"curated_from\":[$B_I]"
out_has merge_agreed_by_bob '"agreed_by":["bob"]'
eq merge_skipped "$(json_num skipped)" 0
run_as merge_again 0 carol --json curate merge --doc "$DOC" --layer actor --agreed \
	--accept "$B_I" --add 71:78:STATE
eq merge_again_skipped "$(json_num skipped)" 3
out_lacks merge_again_no_gold '"status":"gold"'
run_as merge_table 0 carol curate merge --doc "$DOC" --layer actor --accept "$A_W"
out_has merge_table_line "wrote 1 gold annotation"
run gold_list 0 --json ann list --doc "$DOC" --status gold
eq gold_list_count "$(grep -o '"status":"gold"' "$tmp/out" | wc -l | tr -d ' ')" 4
run_as diff_after 0 carol --json curate diff --doc "$DOC" --layer actor
eq diff_after_curated "$(grep -o '"curated":true' "$tmp/out" | wc -l | tr -d ' ')" 3

# ---- history -----------------------------------------------------------------------
run_as update_1 0 alice ann update "$A_K" --version 1 --label STATE
run_as update_stale 20 alice ann update "$A_K" --version 1 --label ORG
run_as update_2 0 carol ann update "$A_K" --version 2 --value AFG
run_as delete 0 alice ann rm "$A_K" --version 3
run_as history 0 alice ann history "$A_K"
out_has history_created "annotation.created"
out_has history_deleted "annotation.deleted"
run_as history_json 0 carol --json ann history "$A_K"
eq history_versions "$(grep -c '"kind":"annotation' "$tmp/out")" 4
eq history_authors "$(grep -o '^{"version":[0-9]*,"kind":"[a-z.]*","author":"[a-z]*"' "$tmp/out" | sed 's/.*"author":"//; s/"$//' | tr '\n' ' ')" \
	'alice alice carol alice '
eq history_changed "$(grep -o '"changed":\[[^]]*\]' "$tmp/out" | tr '\n' ' ')" \
	'"changed":["created"] "changed":["label"] "changed":["value"] "changed":["deleted"] '
run_as history_hidden 15 bob ann history "$A_K"

# ---- presence ------------------------------------------------------------------------
run_as heartbeat_alice 0 alice heartbeat --project team --doc "$DOC"
out_has heartbeat_ttl "1500"
run_as heartbeat_vic 0 vic --json heartbeat --project team --doc "$DOC"
out_has heartbeat_json '"ttl_ms":1500'
run who 0 who --project team
out_has who_alice "alice"
out_has who_vic "vic"
run who_json 0 --json who --project team
out_has who_json_doc "\"document_id\":$DOC"
run_as who_nonmember 15 alice who --project nope
# Every event so far (this is the only project): the log's length is last_seq.
watch_all() {
	"$GLOSS" --json health >"$tmp/out" 2>"$tmp/err"
	local n
	n=$(json_num last_seq)
	"$GLOSS" --json watch --project team --since 0 --count "$n" --wait 200 >"$tmp/out" 2>"$tmp/err"
}
watch_all
eq watch_all_status "$?" 0
if [ "$(grep -c '"kind":"session.opened"' "$tmp/out")" -ge 2 ]; then ok watch_opened_events; else bad watch_opened_events "no session.opened"; fi
# No more heartbeats: both sessions close after the TTL (sweep every 2 s).
closed=0
for _ in $(seq 1 40); do
	watch_all
	if [ "$(grep -c '"kind":"session.closed"' "$tmp/out")" -ge 2 ]; then closed=1; break; fi
	sleep 0.25
done
eq sessions_closed "$closed" 1
run who_empty 0 --json who --project team
eq who_empty_list "$(cat "$tmp/out")" "[]"

# ---- revocation ------------------------------------------------------------------------
run_as before_revoke 0 bob ann list --doc "$DOC"
run token_issue 0 --json token issue bob
TOK_bob2=$(json_str token)
run token_revoke_one 0 token revoke bob --id "$(json_num token_id)"
run_as revoked_one 26 bob2 ann list --doc "$DOC"
err_has revoked_one_msg "UNAUTHENTICATED"
run_as other_token_alive 0 bob ann list --doc "$DOC"
run token_revoke_all 0 token revoke bob
run_as revoked_all 26 bob ann list --doc "$DOC"
run_as revoked_all_write 26 bob ann add --doc "$DOC" --layer actor --label X --start 0 --end 5
run_as token_revoke_as_curator 17 carol token revoke alice
run_as alice_still_fine 0 alice ann list --doc "$DOC"

kill -TERM "$glossd_pid"
wait "$glossd_pid"
eq glossd_clean_exit "$?" 0
glossd_pid=

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
