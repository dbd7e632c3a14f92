/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line parameters: registered with *_PARAM(), set by cmdline.c. */
#ifndef HV_PARAM_H
#define HV_PARAM_H

#include <hv/types.h>

enum param_type {
    PARAM_BOOL,     /* bool: name, no-name, name=1|0|yes|no|on|off|true|false */
    PARAM_UINT,     /* unsigned, 1-8 bytes: name=42, name=0x2a, name=052 */
    PARAM_SIZE,     /* unsigned, 1-8 bytes: bytes with K/M/G/T, name=512M */
    PARAM_STR,      /* char[len]: name=text (up to the next space) */
};

struct param {
    const char *name;
    enum param_type type;
    void *var;
    size_t len;     /* sizeof the variable: the width, or the buffer size */
};

/*
 * A registration is one struct param in the keel_params section; the
 * linker brackets it with __start_keel_params and __stop_keel_params.
 * The assertions reject variables of the wrong type at compile time.
 */
#define PARAM_CAT_(a, b)    a##b
#define PARAM_CAT(a, b)     PARAM_CAT_(a, b)
#define PARAM_DEFINE(nm, ty, v)                                           \
    static const struct param PARAM_CAT(param_##v##_, __LINE__)          \
        __used __section("keel_params") __aligned(8) =                    \
        { .name = (nm), .type = (ty), .var = &(v), .len = sizeof(v) }

#define PARAM_IS_UINT(v)                                                  \
    ((__typeof__(v))-1 > 0 && sizeof(v) <= 8 &&                           \
     (sizeof(v) & (sizeof(v) - 1)) == 0)

#define BOOL_PARAM(nm, v)                                                 \
    _Static_assert(__builtin_types_compatible_p(__typeof__(v), bool),     \
                   #v " is not bool");                                    \
    PARAM_DEFINE(nm, PARAM_BOOL, v)
#define UINT_PARAM(nm, v)                                                 \
    _Static_assert(PARAM_IS_UINT(v), #v " is not an unsigned integer");   \
    PARAM_DEFINE(nm, PARAM_UINT, v)
#define SIZE_PARAM(nm, v)                                                 \
    _Static_assert(PARAM_IS_UINT(v), #v " is not an unsigned integer");   \
    PARAM_DEFINE(nm, PARAM_SIZE, v)
#define STR_PARAM(nm, v)                                                  \
    _Static_assert(__builtin_types_compatible_p(__typeof__(v),            \
                                                char[sizeof(v)]),         \
                   #v " is not a char array");                            \
    PARAM_DEFINE(nm, PARAM_STR, v)

/*
 * Sets the parameters in table[0..n) from cmdline: words separated by
 * white space, each "name=value" or a bare "name".  A bad value leaves the
 * variable alone and is logged; unknown words go to unknown() if not NULL.
 * Later words win.  Returns the number of bad values.
 */
int cmdline_parse_table(const char *cmdline, const struct param *table,
                        size_t n, void (*unknown)(const char *word));

/* The same over every registered parameter; unknown words are logged. */
void cmdline_parse(const char *cmdline);

#endif
