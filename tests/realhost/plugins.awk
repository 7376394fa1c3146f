# Reads the plugins: list of a falco.yaml (the simple shape our READMEs use:
# name, library_path, init_config as a flat map or a quoted JSON string,
# open_params) and prints one line per plugin:
#   NAME<US>LIBRARY_PATH<US>INIT_CONFIG_JSON<US>OPEN_PARAMS
# (US: the ASCII unit separator, \037, which unlike a tab keeps empty
# fields apart when the shell reads the line)
# so the same plugins can be loaded in plughost and falcoplug. Exits 1 on a
# shape it does not know, naming the line.
function unquote(v) {
    if (v ~ /^".*"$/) {
        v = substr(v, 2, length(v) - 2)
        gsub(/\\"/, "\"", v)
        gsub(/\\\\/, "\\", v)
    } else if (v ~ /^'.*'$/) {
        v = substr(v, 2, length(v) - 2)
        gsub(/''/, "'", v)
    }
    return v
}
function json_scalar(v,    s) {
    if (v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ || v == "true" || v == "false" || v == "null")
        return v
    s = unquote(v)
    gsub(/\\/, "\\\\", s)
    gsub(/"/, "\\\"", s)
    return "\"" s "\""
}
function flush() {
    if (name != "") {
        if (cfgmap != "")
            cfg = "{" cfgmap "}"
        printf "%s\037%s\037%s\037%s\n", name, path, cfg, params
    }
    name = path = cfg = params = cfgmap = ""
    incfg = 0
}
function bad(why) {
    printf "plugins.awk: line %d: %s: %s\n", NR, why, $0 > "/dev/stderr"
    err = 1
    exit 1
}
{ sub(/[ \t]+#.*$/, ""); sub(/^#.*$/, "") }
/^[ \t]*$/ { next }
/^[^ \t-]/ { inplugins = ($0 ~ /^plugins:[ \t]*$/); flush(); next }
!inplugins { next }
/^  - name:/ { flush(); name = $0; sub(/^  - name:[ \t]*/, "", name); name = unquote(name); next }
/^    library_path:/ { path = $0; sub(/^    library_path:[ \t]*/, "", path); path = unquote(path); incfg = 0; next }
/^    open_params:/ { params = $0; sub(/^    open_params:[ \t]*/, "", params); params = unquote(params); incfg = 0; next }
/^    init_config:[ \t]*$/ { incfg = 1; next }
/^    init_config:/ {
    cfg = $0; sub(/^    init_config:[ \t]*/, "", cfg)
    if (cfg == "{}") cfg = "{}"
    else cfg = unquote(cfg)
    incfg = 0
    next
}
incfg && /^      [A-Za-z_][A-Za-z0-9_]*:[ \t]*[^ \t]/ {
    k = $0; sub(/^      /, "", k); v = k
    sub(/:.*/, "", k); sub(/^[^:]*:[ \t]*/, "", v)
    if (v ~ /^[\[{|>]/) bad("nested init_config values are not supported here")
    cfgmap = cfgmap (cfgmap == "" ? "" : ",") "\"" k "\":" json_scalar(v)
    next
}
{ bad("unexpected line in plugins") }
END { if (!err) flush() }
