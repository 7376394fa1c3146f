# Puts what a plugin declares into one canonical form, from either
# `plughost -i` (libsinsp's view) or `falcoplug info` (our host's view), so
# the two can be compared line by line. Usage: awk -v from=plughost|falcoplug.
# Output lines: name, version, api, caps, id, source, extract/parse/async
# sources, async events (in the order each host prints them: sort all but
# the field lines before comparing), then one "field NAME TYPE [flags...]"
# per field in declaration order, with the flags sorted (libsinsp's names: arg_index, arg_key, arg_allowed,
# arg_required, list, suggested_output, hidden, info, conversation...).
function sorted(s,    n, a, i, j, t, out) {
    n = split(s, a, " ")
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
        }
    out = ""
    for (i = 1; i <= n; i++)
        if (a[i] != "" && (i == 1 || a[i] != a[i - 1]))
            out = out " " a[i]
    return out
}
# A list of names, sorted (libsinsp keeps sources and async event names in
# sets, falcoplug in declaration order: the order carries no meaning).
function list(s,    out) {
    gsub(/, /, ",", s)
    if (s == "(any)" || s == "all")
        return "all"
    gsub(/,/, " ", s)
    out = sorted(s)
    gsub(/ /, ",", out)
    return substr(out, 2)
}
function caps_of(s,    out) {
    out = ""
    if (s ~ /(^|[ ,])(sourcing|source)([ ,]|$)/) out = out ",source"
    if (s ~ /(^|[ ,])(extraction|extract)([ ,]|$)/) out = out ",extract"
    if (s ~ /(^|[ ,])(parsing|parse)([ ,]|$)/) out = out ",parse"
    if (s ~ /(^|[ ,])async([ ,]|$)/) out = out ",async"
    if (s ~ /(^|[ ,])(capture_listening|listen)([ ,]|$)/) out = out ",listen"
    if (s ~ /BROKEN/) out = out ",BROKEN"
    return substr(out, 2)
}
BEGIN {
    types["UINT64"] = "uint64"; types["CHARBUF"] = "string"; types["BOOL"] = "bool"
    types["RELTIME"] = "reltime"; types["ABSTIME"] = "abstime"; types["IPADDR"] = "ipaddr"
    types["IPNET"] = "ipnet"
}
from == "plughost" && /^-- Plugin '/ {
    s = $0
    sub(/^-- Plugin '/, "", s)
    name = s; sub(/' v.*/, "", name)
    ver = s; sub(/^[^']*' v/, "", ver); sub(/ \(required API .*/, "", ver)
    api = s; sub(/.*\(required API /, "", api); sub(/\)$/, "", api)
    print "name " name; print "version " ver; print "api " api
    next
}
from == "plughost" && /^   caps: / { sub(/^   caps: /, ""); print "caps " caps_of($0); next }
from == "plughost" && /^   source: id=/ {
    id = $2; sub(/^id=/, "", id)
    src = $0; sub(/.*event_source='/, "", src); sub(/'$/, "", src)
    print "id " id; print "source " src
    next
}
from == "plughost" && /^   extract sources: / { sub(/^   extract sources: /, ""); print "extract_sources " list($0); next }
from == "plughost" && /^   parse sources: / { sub(/^   parse sources: /, ""); print "parse_sources " list($0); next }
from == "plughost" && /^   async sources: / {
    s = $0; sub(/^   async sources: /, "", s)
    ev = s; sub(/.*  async events: /, "", ev); sub(/  async events: .*/, "", s)
    print "async_sources " list(s)
    print "async_events " (ev == "(any)" ? "-" : list(ev))
    next
}
from == "plughost" && /^     field / {
    t = $3; gsub(/[()]/, "", t)
    flags = ""
    if (match($0, /\[.*\]$/))
        flags = substr($0, RSTART + 1, RLENGTH - 2)
    print "field " $2 " " (t in types ? types[t] : "?" t) sorted(flags)
    next
}
from == "falcoplug" && /^name: / { sub(/^name: /, ""); print "name " $0; next }
from == "falcoplug" && /^version: / { sub(/^version: /, ""); print "version " $0; next }
from == "falcoplug" && /^required api version: / { sub(/^required api version: /, ""); print "api " $0; next }
from == "falcoplug" && /^capabilities:/ { sub(/^capabilities: ?/, ""); print "caps " caps_of($0); next }
from == "falcoplug" && /^id: / { print "id " $2; next }
from == "falcoplug" && /^event source: / { sub(/^event source: /, ""); print "source " $0; next }
from == "falcoplug" && /^extract sources: / { sub(/^extract sources: /, ""); print "extract_sources " list($0); next }
from == "falcoplug" && /^parse sources: / { sub(/^parse sources: /, ""); print "parse_sources " list($0); next }
from == "falcoplug" && /^async sources: / { sub(/^async sources: /, ""); print "async_sources " list($0); next }
from == "falcoplug" && /^async events: / { sub(/^async events: /, ""); print "async_events " list($0); next }
from == "falcoplug" && /^fields \(/ { infields = 1; next }
from == "falcoplug" && infields && /^  NAME / { next }
from == "falcoplug" && infields && /^  [^ ]/ {
    flags = ""
    if ($3 == "list") flags = flags " list"
    n = split($4, arg, ",")
    for (i = 1; i <= n; i++) {
        if (arg[i] == "index") flags = flags " arg_index arg_allowed"
        if (arg[i] == "key") flags = flags " arg_key arg_allowed"
        if (arg[i] == "required") flags = flags " arg_required"
    }
    if ($0 ~ / \[addOutput\]/) flags = flags " suggested_output"
    if (match($0, / \{[^}]*\}$/)) {
        props = substr($0, RSTART + 2, RLENGTH - 3)
        gsub(/,/, " ", props)
        flags = flags " " props
    }
    print "field " $1 " " $2 sorted(flags)
    next
}
from == "falcoplug" && infields { infields = 0 }
