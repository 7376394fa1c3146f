#!/bin/sh
# Each capability macro emits exactly its capability's plugin_* symbols: a
# plugin with only FALCO_PARSE / FALCO_ASYNC / FALCO_LISTEN exports the base
# symbols plus that set, nothing else, and needs nothing beyond libc and
# libpthread. Arguments: the parse, async and listen plugin .so files.
set -u
base="plugin_destroy plugin_get_contact plugin_get_description plugin_get_init_schema plugin_get_last_error
plugin_get_metrics plugin_get_name plugin_get_required_api_version plugin_get_required_event_schema_version
plugin_get_version plugin_init plugin_set_config"
status=0
check() {
    so=$1
    shift
    want=$(printf '%s\n' $base "$@" | sort)
    got=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
    if [ "$got" != "$want" ]; then
        echo "FAIL: $so exports:"
        printf '%s\n' "$got" | diff - /dev/fd/3 3<<WANT
$want
WANT
        status=1
    fi
    needed=$(readelf -d "$so" | awk '/NEEDED/ {print $5}' | tr -d '[]' |
             grep -vE '^(libc\.so\.6|libpthread\.so\.0|ld-linux-[a-z0-9_-]+\.so\.[0-9])$' || true)
    [ -z "$needed" ] || { echo "FAIL: $so needs $needed"; status=1; }
}
check "$1" plugin_get_parse_event_types plugin_get_parse_event_sources plugin_parse_event
check "$2" plugin_get_async_event_sources plugin_get_async_events plugin_set_async_event_handler plugin_dump_state
check "$3" plugin_capture_open plugin_capture_close
[ "$status" -eq 0 ] && echo "capabilities: parse, async and listen plugins export exactly their symbols"
exit $status
