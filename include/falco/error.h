/*
 * falco/error.h - result codes shared by every SDK call and callback.
 *
 * Every callback an author writes returns a falco_rc; the SDK maps it to the
 * ABI's result code only at the boundary. The message that goes with a failure
 * lives in the plugin state (see falco_error() in falco/plugin.h), like
 * sqlite3_errmsg().
 *
 * Since: 0.1.0
 */
#ifndef FALCO_ERROR_H
#define FALCO_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: name, value, default message. Values are stable across minor releases. */
#define FALCO_RC_LIST(X)                                                            \
    X(FALCO_OK, 0, "success")                                                       \
    X(FALCO_EOF, 1, "end of stream")                                                \
    X(FALCO_TIMEOUT, 2, "no events available yet, try again")                      \
    X(FALCO_NOT_SUPPORTED, 3, "operation not supported")                           \
    X(FALCO_ERROR, 16, "failure")                                                   \
    X(FALCO_EINVAL, 17, "invalid argument")                                         \
    X(FALCO_ENOMEM, 18, "out of memory")                                            \
    X(FALCO_ERANGE, 19, "value out of range")                                       \
    X(FALCO_ETYPE, 20, "type mismatch")                                             \
    X(FALCO_EMISUSE, 21, "SDK call not allowed here")                              \
    X(FALCO_ENOTFOUND, 22, "not found")                                             \
    X(FALCO_EPARSE, 23, "malformed input")                                          \
    X(FALCO_ETRUNCATED, 24, "truncated input")

typedef enum falco_rc {
#define FALCO__RC_ENUM(name, value, msg) name = value,
    FALCO_RC_LIST(FALCO__RC_ENUM)
#undef FALCO__RC_ENUM
} falco_rc;

/* True for the codes that mean failure (FALCO_ERROR and above); EOF, TIMEOUT and
 * NOT_SUPPORTED are outcomes, not failures. */
#define FALCO_RC_IS_ERROR(rc) ((int)(rc) >= (int)FALCO_ERROR)

/* Returns the enum name ("FALCO_EINVAL") of rc, or "FALCO_UNKNOWN_RC".
 * The string is static. Thread-safe. */
const char *falco_rc_name(falco_rc rc);

/* Returns a short static description of rc ("invalid argument"). Thread-safe. */
const char *falco_rc_message(falco_rc rc);

/* Evaluates expr (a falco_rc) once and returns it from the calling function
 * unless it is FALCO_OK. */
#define FALCO_TRY(expr)                          \
    do {                                         \
        falco_rc falco__try_rc = (expr);         \
        if (falco__try_rc != FALCO_OK)           \
            return falco__try_rc;                \
    } while (0)

#ifdef __cplusplus
}
#endif
#endif /* FALCO_ERROR_H */
