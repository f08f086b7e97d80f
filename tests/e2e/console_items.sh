#!/bin/sh
# The item browser (issue 8), through tmux like a person would, on an 80x24
# terminal: from the Feedback table, i opens its items; the first page
# only is read, End reads on page by page until the table's end; capacity
# units are shown; a query by key finds one record, whose detail shows as
# plain and typed JSON; marked items are exported as JSON Lines (and an
# existing file is not overwritten without a yes); :items TABLE PAGE_SIZE
# browses in smaller pages. Every wait is for something on the screen,
# never a sleep.
. "$(dirname "$0")/lib.sh"
console_test console_items
ddb() { sim_count "r.get('service') == 'dynamodb' and r.get('action') == '$1'"; }

sim POST /_sim/scenario '{"feedback_items": 250}' >/dev/null

# --- from the table view ----------------------------------------------------------------------
TT_TMUX_SIZE="80 24" TT_TMUX_ENV="LANG=C.UTF-8" run_in_tmux main --tag app=feedback --interval 60
t_ok "the tier screen is up" wait_screen "DATA ("
keys :
text 'tables'
keys Enter
t_ok ":tables focuses the data tier, Feedback first" wait_screen "DATA (2)"
keys Enter
t_ok "Enter opens the Feedback table" wait_screen "key: partition feedbackId"
keys i
t_ok "i opens the item browser" wait_screen "items Feedback"
t_ok "... with the first page of 100 items and its capacity units" \
	wait_screen "1 page, 100 items, [0-9.]* RCU, more below | scan"
t_ok "... the key attributes as the first columns" wait_screen "feedbackId *createdAt"
t_ok "only that page was read" [ "$(ddb Scan)" = 1 ]
keys End
t_ok "End: the cursor near the end reads the next page" wait_screen "2 pages, 200 items"
keys End
t_ok "... and the next, to the table's end" wait_screen "3 pages, 250 items, [0-9.]* RCU, all read"
t_ok "three Scans in all" [ "$(ddb Scan)" = 3 ]

# --- query by key, detail --------------------------------------------------------------------------
keys q
t_ok "q opens the query form, listing the indexes" wait_screen "GSI ByStatus: status, createdAt"
keys Enter
t_ok "... then asks for the partition key" wait_screen "feedbackId (S) ="
text 'fb-0042'
keys Enter
t_ok "... then for a sort key condition" wait_screen "begins_with V"
keys Enter
t_ok "the query finds the record" wait_screen "1 page, 1 item, [0-9.]* RCU, all read | query feedbackId = fb-0042"
t_ok "... on the screen" wait_screen "fb-0042 "
t_ok "one Query reached the simulator" [ "$(ddb Query)" = 1 ]
keys Enter
t_ok "Enter: the item as plain JSON" wait_screen '"feedbackId": "fb-0042"'
keys t
t_ok "t: typed DynamoDB JSON" wait_screen '"S": "fb-0042"'
keys Escape
t_ok "Esc: back to the list" wait_screen "feedbackId *createdAt"

# --- marks and export --------------------------------------------------------------------------------
keys s
t_ok "s scans again" wait_screen "1 page, 100 items"
keys Space Space
t_ok "Space marks two items" wait_screen "2 marked"
keys x
t_ok "x asks for a file" wait_screen "Feedback-items.jsonl"
keys C-u
text "$T_TMP/export.jsonl"
keys Enter
t_ok "the export says what it wrote" wait_screen "exported 2 items to"
t_ok "... two JSON Lines of items with their keys" "$PY" -c "
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, lines
items = [json.loads(l) for l in lines]
assert all(i['feedbackId'].startswith('fb-') and 'createdAt' in i for i in items), items
assert items[0]['feedbackId'] != items[1]['feedbackId']
" "$T_TMP/export.jsonl"
t_ok "... in a 0600 file" [ "$(mode_of "$T_TMP/export.jsonl")" = 600 ]
keys x C-u
text "$T_TMP/export.jsonl"
keys Enter
t_ok "an existing file: asks before overwriting" wait_screen "overwrite it?"
keys n
t_ok "n: not written" wait_screen "not exported: .* exists"
t_ok "... the file is as it was" [ "$(wc -l <"$T_TMP/export.jsonl")" = 2 ]

# --- R: the marked items replayed (the browser hands them to the replay view) ---------------------
keys R
t_ok "R: the two marked items go to the replay view" wait_screen "REPLAY 2 items of Feedback"
t_ok "... proposing the function the wiring names for the table" wait_screen "function submit-feedback"
keys d
t_ok "... a dry run builds both payloads" wait_screen "dry run: 2 payloads built, nothing sent"
t_ok "... and nothing was invoked" [ "$(sim_count "r.get('service') == 'lambda' and r.get('action') == 'Invoke'")" = 0 ]
keys Escape
t_ok "Esc: back to the browser, the marks kept" wait_screen "2 marked"

# --- :items TABLE PAGE_SIZE ----------------------------------------------------------------------------
keys Escape Escape
t_ok "Esc back to the tier screen" wait_screen "DATA ("
keys :
text 'items Feedback 30'
keys Enter
t_ok ":items TABLE 30 reads pages of 30" wait_screen "1 page, 30 items"
keys End
t_ok "End reads the next page" wait_screen "2 pages, 60 items"
keys End
t_ok "... and the next" wait_screen "3 pages, 90 items"
keys Escape q
t_ok "q quits" wait_screen "EXIT=0"
tmx kill-session -t "$SESSION"
t_done
