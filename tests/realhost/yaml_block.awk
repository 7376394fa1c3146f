# Prints the first ```yaml block of a Markdown file that loads plugins
# (has a load_plugins line); with -v section=TITLE, only a block under the
# "## TITLE" heading. Nothing when there is none.
/^## / { insec = (section == "" || $0 == "## " section) }
!inblock && insec && /^```yaml[ \t]*$/ { inblock = 1; n = 0; next }
inblock && /^```[ \t]*$/ {
    inblock = 0
    if (found) next
    for (i = 1; i <= n; i++)
        if (line[i] ~ /^load_plugins:/) found = 1
    if (found)
        for (i = 1; i <= n; i++) print line[i]
    next
}
inblock { line[++n] = $0 }
