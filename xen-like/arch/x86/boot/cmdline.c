/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor command line: "name=value" and bare "name" words set the
 * parameters registered with *_PARAM() (<hv/param.h>).
 */
#include <hv/types.h>
#include <hv/abi.h>
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/param.h>

/* Unknown words are reported up to this many bytes. */
#define CMDLINE_WORD_MAX    128

extern const struct param __start_keel_params[], __stop_keel_params[];

static bool cmdline_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Does the len-byte, unterminated s equal the C string word? */
static bool cmdline_eq(const char *s, size_t len, const char *word)
{
    return strncmp(s, word, len) == 0 && word[len] == '\0';
}

static const char *cmdline_find_eq(const char *word, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (word[i] == '=')
            return word + i;
    return NULL;
}

static const struct param *cmdline_find(const struct param *table, size_t n,
                                        const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (cmdline_eq(name, len, table[i].name))
            return &table[i];
    return NULL;
}

static int cmdline_bool_value(const char *val, size_t vlen, bool *v)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        if (cmdline_eq(val, vlen, yes[i])) {
            *v = true;
            return 0;
        }
        if (cmdline_eq(val, vlen, no[i])) {
            *v = false;
            return 0;
        }
    }
    return -XEN_EINVAL;
}

/* val is NULL for a bare "name", which means true. */
static int cmdline_set_bool(const struct param *p, const char *val,
                            size_t vlen)
{
    bool v = true;

    if (val && cmdline_bool_value(val, vlen, &v))
        return -XEN_EINVAL;
    *(bool *)p->var = v;
    return 0;
}

/* The whole value must be a number that fits the variable. */
static int cmdline_set_uint(const struct param *p, const char *val,
                            size_t vlen)
{
    unsigned long long v;
    const char *end;

    if (!val || !vlen)
        return -XEN_EINVAL;
    if (p->type == PARAM_SIZE)
        v = parse_size(val, &end);
    else
        v = simple_strtoull(val, &end, 0);
    if (end != val + vlen || (p->len < 8 && v >> (p->len * 8)))
        return -XEN_EINVAL;
    switch (p->len) {
    case 1: *(uint8_t *)p->var = v; break;
    case 2: *(uint16_t *)p->var = v; break;
    case 4: *(uint32_t *)p->var = v; break;
    case 8: *(uint64_t *)p->var = v; break;
    default: return -XEN_EINVAL;
    }
    return 0;
}

/* A value that does not fit is refused, not cut. */
static int cmdline_set_str(const struct param *p, const char *val,
                           size_t vlen)
{
    if (!val || vlen >= p->len)
        return -XEN_EINVAL;
    memcpy(p->var, val, vlen);
    ((char *)p->var)[vlen] = '\0';
    return 0;
}

static int cmdline_set(const struct param *p, const char *val, size_t vlen)
{
    switch (p->type) {
    case PARAM_BOOL: return cmdline_set_bool(p, val, vlen);
    case PARAM_UINT:
    case PARAM_SIZE: return cmdline_set_uint(p, val, vlen);
    case PARAM_STR: return cmdline_set_str(p, val, vlen);
    default: return -XEN_EINVAL;
    }
}

static void cmdline_report_unknown(const char *word, size_t len,
                                   void (*unknown)(const char *word))
{
    char buf[CMDLINE_WORD_MAX];

    if (!unknown)
        return;
    len = MIN(len, sizeof(buf) - 1);
    memcpy(buf, word, len);
    buf[len] = '\0';
    unknown(buf);
}

/* One word of len bytes; returns 1 for a bad value, else 0. */
static int cmdline_word(const char *word, size_t len,
                        const struct param *table, size_t n,
                        void (*unknown)(const char *word))
{
    const char *eq = cmdline_find_eq(word, len);
    size_t nlen = eq ? (size_t)(eq - word) : len;
    const char *val = eq ? eq + 1 : NULL;
    size_t vlen = eq ? len - nlen - 1 : 0;
    const struct param *p = cmdline_find(table, n, word, nlen);

    if (!p && !eq && len > 3 && strncmp(word, "no-", 3) == 0) {
        p = cmdline_find(table, n, word + 3, len - 3);
        if (p && p->type == PARAM_BOOL) {
            *(bool *)p->var = false;
            return 0;
        }
        p = NULL;
    }
    if (!p) {
        cmdline_report_unknown(word, len, unknown);
        return 0;
    }
    if (cmdline_set(p, val, vlen) == 0)
        return 0;
    if (val)
        pr_warn("cmdline: bad value for %s: '%.*s'\n", p->name, (int)vlen,
                val);
    else
        pr_warn("cmdline: %s needs a value\n", p->name);
    return 1;
}

int cmdline_parse_table(const char *cmdline, const struct param *table,
                        size_t n, void (*unknown)(const char *word))
{
    const char *word;
    int bad = 0;

    if (!cmdline)
        return 0;
    for (;;) {
        while (cmdline_is_space(*cmdline))
            cmdline++;
        if (!*cmdline)
            return bad;
        word = cmdline;
        while (*cmdline && !cmdline_is_space(*cmdline))
            cmdline++;
        bad += cmdline_word(word, cmdline - word, table, n, unknown);
    }
}

static void cmdline_unknown(const char *word)
{
    pr_warn("cmdline: unknown parameter '%s'\n", word);
}

void cmdline_parse(const char *cmdline)
{
    cmdline_parse_table(cmdline, __start_keel_params,
                        __stop_keel_params - __start_keel_params,
                        cmdline_unknown);
}
