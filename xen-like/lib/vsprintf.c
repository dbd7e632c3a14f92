/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vsnprintf()/snprintf(): the C99 conversions the hypervisor needs, with
 * C99 return values (the length that would have been written).  No %n.
 */
#include <hv/types.h>
#include <hv/lib.h>

#define F_LEFT      0x01    /* '-' */
#define F_ZERO      0x02    /* '0' */
#define F_SPACE     0x04    /* ' ' */
#define F_PLUS      0x08    /* '+' */
#define F_ALT       0x10    /* '#' */
#define F_UPPER     0x20    /* %X */
#define F_SIGNED    0x40    /* %d, %i */
#define F_PTR       0x80    /* %p */

/* Widths and precisions are clamped here; no sane format needs more. */
#define FMT_MAX_WIDTH   4096

enum fmt_len { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

/* The output buffer; pos counts every character, even those not stored. */
struct fmt_out {
    char *buf;
    size_t size;
    size_t pos;
};

/* One parsed conversion specification. */
struct fmt_spec {
    unsigned int flags;
    int width;
    int prec;               /* -1 when not given */
    enum fmt_len len;
    unsigned int base;
};

static void out_char(struct fmt_out *o, char c)
{
    if (o->pos + 1 < o->size)
        o->buf[o->pos] = c;
    o->pos++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
    for (; n > 0; n--)
        out_char(o, c);
}

static void out_mem(struct fmt_out *o, const char *s, size_t n)
{
    while (n--)
        out_char(o, *s++);
}

static int fmt_clamp(long v)
{
    return v > FMT_MAX_WIDTH ? FMT_MAX_WIDTH : (int)v;
}

/* A width or precision: digits or '*' (taken from the argument list). */
static int fmt_number_arg(const char **fmt, va_list *ap)
{
    long v = 0;

    if (**fmt == '*') {
        (*fmt)++;
        return fmt_clamp(va_arg(*ap, int));
    }
    for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
        if (v <= FMT_MAX_WIDTH)
            v = v * 10 + (**fmt - '0');
    return fmt_clamp(v);
}

static unsigned int fmt_flag(char c)
{
    switch (c) {
    case '-': return F_LEFT;
    case '0': return F_ZERO;
    case ' ': return F_SPACE;
    case '+': return F_PLUS;
    case '#': return F_ALT;
    default: return 0;
    }
}

static enum fmt_len fmt_length(const char **fmt)
{
    const char *f = *fmt;
    enum fmt_len len = LEN_NONE;

    switch (*f) {
    case 'h': len = f[1] == 'h' ? LEN_HH : LEN_H; break;
    case 'l': len = f[1] == 'l' ? LEN_LL : LEN_L; break;
    case 'z': len = LEN_Z; break;
    case 't': len = LEN_T; break;
    case 'j': len = LEN_J; break;
    default: return LEN_NONE;
    }
    *fmt = f + ((len == LEN_HH || len == LEN_LL) ? 2 : 1);
    return len;
}

/* Parses flags, width, precision and length after a '%'. */
static void fmt_parse(const char **fmt, va_list *ap, struct fmt_spec *sp)
{
    unsigned int f;

    sp->flags = 0;
    while ((f = fmt_flag(**fmt)) != 0) {
        sp->flags |= f;
        (*fmt)++;
    }
    sp->width = fmt_number_arg(fmt, ap);
    if (sp->width < 0) {
        sp->flags |= F_LEFT;
        sp->width = fmt_clamp(-(long)sp->width);
    }
    sp->prec = -1;
    if (**fmt == '.') {
        (*fmt)++;
        sp->prec = fmt_number_arg(fmt, ap);
        if (sp->prec < 0)
            sp->prec = -1;
        sp->prec = fmt_clamp(sp->prec);
    }
    sp->len = fmt_length(fmt);
}

static long long fmt_get_signed(const struct fmt_spec *sp, va_list *ap)
{
    switch (sp->len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H: return (short)va_arg(*ap, int);
    case LEN_L: return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z: return va_arg(*ap, ptrdiff_t);
    case LEN_T: return va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, intmax_t);
    default: return va_arg(*ap, int);
    }
}

static unsigned long long fmt_get_unsigned(const struct fmt_spec *sp,
                                           va_list *ap)
{
    switch (sp->len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L: return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z: return va_arg(*ap, size_t);
    case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
    case LEN_J: return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned int);
    }
}

/* The sign or base prefix of a number; returns its length. */
static int fmt_prefix(const struct fmt_spec *sp, bool neg,
                      unsigned long long v, char prefix[2])
{
    if (sp->flags & F_SIGNED) {
        prefix[0] = neg ? '-' : (sp->flags & F_PLUS) ? '+' : ' ';
        return neg || (sp->flags & (F_PLUS | F_SPACE));
    }
    if (sp->base == 16 && (sp->flags & F_PTR || (sp->flags & F_ALT && v))) {
        prefix[0] = '0';
        prefix[1] = sp->flags & F_UPPER ? 'X' : 'x';
        return 2;
    }
    return 0;
}

static void fmt_number(struct fmt_out *o, const struct fmt_spec *sp,
                       unsigned long long v, bool neg)
{
    const char *set = sp->flags & F_UPPER ? "0123456789ABCDEF"
                                          : "0123456789abcdef";
    char digits[24], prefix[2];
    int nd = 0, np = fmt_prefix(sp, neg, v, prefix), zeros, pad;

    for (; v; v /= sp->base)
        digits[nd++] = set[v % sp->base];
    zeros = (sp->prec < 0 ? 1 : sp->prec) - nd;
    if (zeros <= 0 && sp->base == 8 && sp->flags & F_ALT)
        zeros = 1;
    zeros = MAX(zeros, 0);
    pad = sp->width - (np + zeros + nd);
    if (pad > 0 && sp->prec < 0 &&
        (sp->flags & (F_ZERO | F_LEFT)) == F_ZERO) {
        zeros += pad;
        pad = 0;
    }
    if (!(sp->flags & F_LEFT))
        out_repeat(o, ' ', pad);
    out_mem(o, prefix, np);
    out_repeat(o, '0', zeros);
    while (nd)
        out_char(o, digits[--nd]);
    if (sp->flags & F_LEFT)
        out_repeat(o, ' ', pad);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *sp,
                       const char *s, size_t n)
{
    int pad = n < (size_t)sp->width ? sp->width - (int)n : 0;

    if (!(sp->flags & F_LEFT))
        out_repeat(o, ' ', pad);
    out_mem(o, s, n);
    if (sp->flags & F_LEFT)
        out_repeat(o, ' ', pad);
}

static void fmt_str_arg(struct fmt_out *o, const struct fmt_spec *sp,
                        const char *s)
{
    size_t max = sp->prec < 0 ? ~(size_t)0 : (size_t)sp->prec;

    if (!s)
        s = "(null)";
    fmt_string(o, sp, s, strnlen(s, max));
}

static void fmt_int_arg(struct fmt_out *o, struct fmt_spec *sp, char conv,
                        va_list *ap)
{
    long long sv;

    switch (conv) {
    case 'd': case 'i':
        sp->flags |= F_SIGNED;
        sp->base = 10;
        sv = fmt_get_signed(sp, ap);
        fmt_number(o, sp, sv < 0 ? -(unsigned long long)sv
                                   : (unsigned long long)sv, sv < 0);
        return;
    case 'p':
        sp->flags |= F_PTR;
        sp->prec = 2 * sizeof(void *);
        sp->base = 16;
        fmt_number(o, sp, (uintptr_t)va_arg(*ap, void *), false);
        return;
    case 'X':
        sp->flags |= F_UPPER;
        /* fall through */
    case 'x':
        sp->base = 16;
        break;
    case 'o':
        sp->base = 8;
        break;
    default:
        sp->base = 10;
        break;
    }
    fmt_number(o, sp, fmt_get_unsigned(sp, ap), false);
}

/*
 * Formats one conversion starting after its '%'; returns false for an
 * unknown conversion, which the caller then copies out literally.
 */
static bool fmt_one(struct fmt_out *o, const char **fmt, va_list *ap)
{
    struct fmt_spec sp;
    char c;

    fmt_parse(fmt, ap, &sp);
    c = **fmt;
    switch (c) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p':
        fmt_int_arg(o, &sp, c, ap);
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        fmt_string(o, &sp, &c, 1);
        break;
    case 's':
        fmt_str_arg(o, &sp, va_arg(*ap, const char *));
        break;
    case '%':
        out_char(o, '%');
        break;
    default:
        return false;
    }
    (*fmt)++;
    return true;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_out o = { .buf = buf, .size = size, .pos = 0 };
    const char *start;
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }
        start = fmt++;
        if (!fmt_one(&o, &fmt, &args)) {
            if (*fmt)
                fmt++;
            out_mem(&o, start, fmt - start);
        }
    }
    va_end(args);
    if (size)
        buf[MIN(o.pos, size - 1)] = '\0';
    return o.pos > 0x7fffffff ? 0x7fffffff : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
