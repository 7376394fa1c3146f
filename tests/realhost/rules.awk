# Reads a Falco rules file of the simple shape our examples use ("- rule:"
# items; condition and output on one line, or folded with ">" / ">-" over
# more-indented lines) and prints one line per rule:
#   NAME<US>Priority<US>CONDITION<US>OUTPUT<US>SOURCE
# (US: the ASCII unit separator, \037), with the priority spelled the way
# Falco prints it in an alert. Exits 1 on a rule it cannot read, naming it.
function flush() {
    if (rule == "") return
    if (cond == "" || out == "" || prio == "") bad("rule '" rule "' needs a condition, an output and a priority")
    p = tolower(prio)
    if (p in names) p = names[p]
    else bad("rule '" rule "': unknown priority " prio)
    printf "%s\037%s\037%s\037%s\037%s\n", rule, p, cond, out, src
    rule = cond = out = prio = src = ""
}
# The value of a "key: value" line; "" and folding = key for a folded scalar.
function val(s, key) {
    folding = ""
    sub(/^[ \t-]*[a-z_]+:[ \t]*/, "", s)
    if (s ~ /^>-?[ \t]*$/) {
        folding = key
        return ""
    }
    if (s ~ /^[>|]/) bad("only folded (>, >-) block scalars are supported here")
    if (s ~ /^".*"$/ || s ~ /^'.*'$/) s = substr(s, 2, length(s) - 2)
    return s
}
function bad(why) {
    printf "rules.awk: %s:%d: %s\n", FILENAME, NR, why > "/dev/stderr"
    err = 1
    exit 1
}
BEGIN {
    names["emergency"] = "Emergency"; names["alert"] = "Alert"; names["critical"] = "Critical"
    names["error"] = "Error"; names["warning"] = "Warning"; names["notice"] = "Notice"
    names["info"] = "Informational"; names["informational"] = "Informational"; names["debug"] = "Debug"
}
folding != "" && /^    [^ ]/ {
    s = $0
    sub(/^ +/, "", s)
    if (folding == "condition") cond = cond (cond == "" ? "" : " ") s
    else if (folding == "output") out = out (out == "" ? "" : " ") s
    next
}
{ folding = "" }
/^- / { flush() }
/^- rule:/ { rule = val($0, "rule"); next }
/^  condition:/ { cond = val($0, "condition"); next }
/^  output:/ { out = val($0, "output"); next }
/^  priority:/ { prio = val($0, "priority"); next }
/^  source:/ { src = val($0, "source"); next }
END { if (!err) flush() }
