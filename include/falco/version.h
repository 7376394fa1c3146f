/*
 * falco/version.h - the SDK's own version.
 *
 * Policy: a patch release changes no declaration; a minor release may add
 * functions, macros and members appended at the end of author-filled structs,
 * never remove or reorder them; anything else is a major release.
 *
 * Since: 0.1.0
 */
#ifndef FALCO_VERSION_H
#define FALCO_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define FALCO_SDK_VERSION_MAJOR 0
#define FALCO_SDK_VERSION_MINOR 1
#define FALCO_SDK_VERSION_PATCH 0
#define FALCO_SDK_VERSION_STRING "0.1.0"
/* One number that grows with every release: 0xMMmmpp. */
#define FALCO_SDK_VERSION_HEX \
    ((FALCO_SDK_VERSION_MAJOR << 16) | (FALCO_SDK_VERSION_MINOR << 8) | FALCO_SDK_VERSION_PATCH)

/* The version of the SDK library actually linked ("0.1.0"); static string. */
const char *falco_sdk_version(void);

#ifdef __cplusplus
}
#endif
#endif /* FALCO_VERSION_H */
