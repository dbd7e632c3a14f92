/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console output through CONSOLEIO_write and a small printf: %d %i %u %x
 * %X %p %s %c %%, with l/ll/z, a field width and the 0, - and # flags.
 */
#include <guest.h>

void console_write(const char *s, unsigned int len)
{
    hypercall_console_io(CONSOLEIO_write, len, s);
}

struct out {
    char *buf;
    size_t size, len;
};

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        out_char(o, c);
}

struct spec {
    bool left, zero, alt;
    int width;
};

static void out_str(struct out *o, const struct spec *sp, const char *s)
{
    int n = (int)strlen(s);

    if (!sp->left)
        out_pad(o, ' ', sp->width - n);
    while (*s)
        out_char(o, *s++);
    if (sp->left)
        out_pad(o, ' ', sp->width - n);
}

static void out_num(struct out *o, const struct spec *sp, uint64_t v,
                    unsigned int base, bool neg, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, nd, width = sp->width - (neg ? 1 : 0);

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    nd = n;
    if (!sp->left && !sp->zero)
        out_pad(o, ' ', width - n);
    if (neg)
        out_char(o, '-');
    if (!sp->left && sp->zero)
        out_pad(o, '0', width - n);
    while (n)
        out_char(o, tmp[--n]);
    if (sp->left)
        out_pad(o, ' ', width - nd);
}

static const char *parse_spec(const char *f, struct spec *sp, int *lng)
{
    *sp = (struct spec){ 0 };
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else if (*f == '#')
            sp->alt = true;
        else
            break;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    *lng = 0;
    while (*f == 'l' || *f == 'z') {
        *lng = 1;
        f++;
    }
    return f;
}

static void out_conv(struct out *o, const struct spec *sp, char c, int lng,
                     va_list *ap)
{
    uint64_t u;
    int64_t s;

    switch (c) {
    case 'd':
    case 'i':
        s = lng ? va_arg(*ap, long) : va_arg(*ap, int);
        out_num(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0, false);
        break;
    case 'u':
    case 'x':
    case 'X':
        u = lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
        if (sp->alt && c != 'u')
            out_str(o, &(struct spec){ 0 }, "0x");
        out_num(o, sp, u, c == 'u' ? 10 : 16, false, c == 'X');
        break;
    case 'p':
        out_str(o, &(struct spec){ 0 }, "0x");
        out_num(o, sp, (uintptr_t)va_arg(*ap, void *), 16, false, false);
        break;
    case 's': {
        const char *str = va_arg(*ap, const char *);
        out_str(o, sp, str ? str : "(null)");
        break;
    }
    case 'c':
        out_char(o, (char)va_arg(*ap, int));
        break;
    default:
        out_char(o, '%');
        out_char(o, c);
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list aq;
    int lng;

    va_copy(aq, ap);
    while (*fmt) {
        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &lng);
        if (!*fmt)
            break;
        if (*fmt == '%')
            out_char(&o, '%');
        else
            out_conv(&o, &sp, *fmt, lng, &aq);
        fmt++;
    }
    va_end(aq);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
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

int printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    console_write(buf, (unsigned int)n);
    return n;
}
