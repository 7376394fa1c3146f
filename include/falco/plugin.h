/*
 * falco/plugin.h - everything a plugin author needs: include this one header.
 *
 * See README.md for a complete plugin and docs/ for the guide.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_PLUGIN_H
#define FALCO_PLUGIN_H

#include <falco/abi.h>
#include <falco/error.h>
#include <falco/common.h>
#include <falco/version.h>
#include <falco/config.h>
#include <falco/strbuf.h>
#include <falco/base.h>
#include <falco/plugin_event.h>
#include <falco/source.h>
#include <falco/extract.h>
#include <falco/parse.h>
#include <falco/async.h>
#include <falco/listen.h>
#include <falco/table.h>
#include <falco/json.h>

#endif /* FALCO_PLUGIN_H */
