/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot 1 and 2 boot information -> struct boot_info.  Everything the
 * loader wrote is bounds-checked before use; nothing here trusts a size.
 */
#include <hv/config.h>
#include <hv/types.h>
#include <hv/abi.h>
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/boot.h>

/* Multiboot 1: the info block, up to the fields used here. */
struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;      /* KiB, flags bit 0 */
    uint32_t boot_device;
    uint32_t cmdline;                   /* bit 2 */
    uint32_t mods_count, mods_addr;     /* bit 3 */
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;    /* bit 6 */
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;          /* bit 9 */
} __packed;

#define MB1_F_MEM           (1u << 0)
#define MB1_F_CMDLINE       (1u << 2)
#define MB1_F_MODS          (1u << 3)
#define MB1_F_MMAP          (1u << 6)
#define MB1_F_LOADER        (1u << 9)

struct mb1_module {
    uint32_t start, end;
    uint32_t string;
    uint32_t reserved;
} __packed;

/* A memory map entry; size counts the bytes after itself. */
struct mb1_mmap {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} __packed;

/* Multiboot 2: a fixed header, then 8-byte aligned tags, type 0 last. */
struct mb2_header {
    uint32_t total_size;
    uint32_t reserved;
} __packed;

struct mb2_tag {
    uint32_t type;
    uint32_t size;                      /* including this header */
} __packed;

#define MB2_TAG_END         0
#define MB2_TAG_CMDLINE     1
#define MB2_TAG_LOADER      2
#define MB2_TAG_MODULE      3
#define MB2_TAG_MEMINFO     4
#define MB2_TAG_MMAP        6
#define MB2_TAG_ACPI_OLD    14
#define MB2_TAG_ACPI_NEW    15

struct mb2_module {
    struct mb2_tag tag;
    uint32_t start, end;
    char string[];
} __packed;

struct mb2_meminfo {
    struct mb2_tag tag;
    uint32_t mem_lower, mem_upper;
} __packed;

struct mb2_mmap {
    struct mb2_tag tag;
    uint32_t entry_size;
    uint32_t entry_version;
} __packed;

struct mb2_mmap_entry {
    uint64_t base, len;
    uint32_t type;
    uint32_t reserved;
} __packed;

BUILD_BUG_ON(sizeof(struct mb1_info) != 68);
BUILD_BUG_ON(__builtin_offsetof(struct mb1_info, mmap_addr) != 48);
BUILD_BUG_ON(sizeof(struct mb1_module) != 16);
BUILD_BUG_ON(sizeof(struct mb1_mmap) != 24);
BUILD_BUG_ON(sizeof(struct mb2_module) != 16);
BUILD_BUG_ON(sizeof(struct mb2_meminfo) != 16);
BUILD_BUG_ON(sizeof(struct mb2_mmap) != 16);
BUILD_BUG_ON(sizeof(struct mb2_mmap_entry) != 24);

#define RSDP_V1_SIZE        20
#define MB2_MAX_SIZE        (1u << 20)  /* a sanity limit on total_size */

/* One parse: where output goes, how to read input, what was dropped. */
struct mbi_ctx {
    struct boot_info *bi;
    const void *(*map)(paddr_t pa, size_t len);
    bool rsdp_new;                      /* bi->rsdp came from tag 15 */
    unsigned int dropped_mmap, dropped_mods;
};

/* Logs what was malformed, where the check failed. */
static int mbi_bad(const char *what, uint64_t value)
{
    pr_err("mbi: bad %s (%#llx)\n", what, (unsigned long long)value);
    return -XEN_EINVAL;
}

const char *mbi_mem_type_name(uint32_t type)
{
    switch (type) {
    case E820_RAM: return "usable";
    case E820_RESERVED: return "reserved";
    case E820_ACPI: return "ACPI data";
    case E820_NVS: return "ACPI NVS";
    case E820_UNUSABLE: return "unusable";
    default: return "unknown";
    }
}

static void mbi_add_range(struct mbi_ctx *c, uint64_t start, uint64_t len,
                          uint32_t type)
{
    struct boot_info *bi = c->bi;

    if (len == 0)
        return;
    if (bi->nr_mmap == BOOT_MAX_MMAP) {
        c->dropped_mmap++;
        return;
    }
    bi->mmap[bi->nr_mmap].start = start;
    bi->mmap[bi->nr_mmap].len = len;
    bi->mmap[bi->nr_mmap].type = type;
    bi->nr_mmap++;
}

/* Without a memory map: conventional memory and the memory above 1 MiB. */
static void mbi_synth_mmap(struct mbi_ctx *c)
{
    mbi_add_range(c, 0, (uint64_t)c->bi->mem_lower_kb << 10, E820_RAM);
    mbi_add_range(c, 1ULL << 20, (uint64_t)c->bi->mem_upper_kb << 10,
                  E820_RAM);
}

/* Returns the new module's slot, or NULL when it has to be dropped. */
static struct boot_module *mbi_add_module(struct mbi_ctx *c, paddr_t start,
                                          paddr_t end)
{
    struct boot_module *mod;

    if (c->bi->nr_mods == BOOT_MAX_MODS) {
        c->dropped_mods++;
        return NULL;
    }
    mod = &c->bi->mods[c->bi->nr_mods++];
    mod->start = start;
    mod->end = end;
    return mod;
}

/* Copies a string of at most max bytes (or up to a NUL), truncating. */
static void mbi_copy_bounded(char *dst, size_t size, const char *src,
                             size_t max)
{
    size_t n = strnlen(src, max);

    if (n >= size) {
        pr_warn("mbi: string truncated to %zu bytes\n", size - 1);
        n = size - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/*
 * Copies the NUL-terminated string at physical address pa, a page at a
 * time (its length is unknown).  Address 0 stands for an empty string.
 */
static int mbi_copy_pa(struct mbi_ctx *c, char *dst, size_t size, paddr_t pa)
{
    size_t done = 0, chunk, n;
    const char *p;

    dst[0] = '\0';
    while (pa && done < size - 1) {
        chunk = MIN(PAGE_SIZE - (pa & (PAGE_SIZE - 1)), size - 1 - done);
        p = c->map(pa, chunk);
        if (!p)
            return mbi_bad("string address", pa);
        n = strnlen(p, chunk);
        memcpy(dst + done, p, n);
        done += n;
        dst[done] = '\0';
        if (n < chunk)
            return 0;
        pa += chunk;
    }
    p = pa ? c->map(pa, 1) : NULL;
    if (p && *p)
        pr_warn("mbi: string truncated to %zu bytes\n", size - 1);
    return 0;
}

static int mbi1_mmap(struct mbi_ctx *c, paddr_t pa, uint32_t length)
{
    const struct mb1_mmap *e;
    uint64_t off = 0;
    uint32_t size;

    while (off < length) {
        if (length - off < sizeof(*e))
            return mbi_bad("memory map length", length);
        e = c->map(pa + off, sizeof(*e));
        if (!e)
            return mbi_bad("memory map address", pa + off);
        size = e->size;
        if (size < sizeof(*e) - sizeof(e->size) ||
            size > length - off - sizeof(e->size))
            return mbi_bad("memory map entry size", size);
        mbi_add_range(c, e->base, e->len, e->type);
        off += sizeof(e->size) + size;
    }
    return 0;
}

static int mbi1_modules(struct mbi_ctx *c, paddr_t pa, uint32_t count)
{
    const struct mb1_module *m;
    struct boot_module *mod;
    uint32_t i;
    int rc;

    if (count > BOOT_MAX_MODS) {
        c->dropped_mods += count - BOOT_MAX_MODS;
        count = BOOT_MAX_MODS;
    }
    m = count ? c->map(pa, count * sizeof(*m)) : NULL;
    if (count && !m)
        return mbi_bad("module list address", pa);
    for (i = 0; i < count; i++) {
        if (m[i].end < m[i].start)
            return mbi_bad("module range", m[i].start);
        mod = mbi_add_module(c, m[i].start, m[i].end);
        if (!mod)
            break;
        rc = mbi_copy_pa(c, mod->cmdline, sizeof(mod->cmdline),
                         m[i].string);
        if (rc)
            return rc;
    }
    return 0;
}

static int mbi1_parse(struct mbi_ctx *c, paddr_t info_pa)
{
    const struct mb1_info *mb = c->map(info_pa, sizeof(*mb));
    struct boot_info *bi = c->bi;
    int rc = 0;

    if (!mb)
        return mbi_bad("info address", info_pa);
    bi->proto = 1;
    if (mb->flags & MB1_F_MEM) {
        bi->mem_lower_kb = mb->mem_lower;
        bi->mem_upper_kb = mb->mem_upper;
    }
    if (mb->flags & MB1_F_MMAP)
        rc = mbi1_mmap(c, mb->mmap_addr, mb->mmap_length);
    else if (mb->flags & MB1_F_MEM)
        mbi_synth_mmap(c);
    if (!rc && (mb->flags & MB1_F_CMDLINE))
        rc = mbi_copy_pa(c, bi->cmdline, sizeof(bi->cmdline), mb->cmdline);
    if (!rc && (mb->flags & MB1_F_LOADER))
        rc = mbi_copy_pa(c, bi->loader, sizeof(bi->loader),
                         mb->boot_loader_name);
    if (!rc && (mb->flags & MB1_F_MODS))
        rc = mbi1_modules(c, mb->mods_addr, mb->mods_count);
    return rc;
}

static int mbi2_mmap(struct mbi_ctx *c, const struct mb2_tag *tag)
{
    const struct mb2_mmap *mm = (const void *)tag;
    const struct mb2_mmap_entry *e;
    uint32_t off;

    if (tag->size < sizeof(*mm) || mm->entry_size < sizeof(*e))
        return mbi_bad("memory map tag", tag->size);
    /* Whole entries only; a partial one at the end is ignored. */
    for (off = sizeof(*mm); tag->size - off >= mm->entry_size;
         off += mm->entry_size) {
        e = (const void *)((const char *)tag + off);
        mbi_add_range(c, e->base, e->len, e->type);
    }
    return 0;
}

static int mbi2_module(struct mbi_ctx *c, const struct mb2_tag *tag)
{
    const struct mb2_module *m = (const void *)tag;
    struct boot_module *mod;

    if (tag->size < sizeof(*m))
        return mbi_bad("module tag", tag->size);
    if (m->end < m->start)
        return mbi_bad("module range", m->start);
    mod = mbi_add_module(c, m->start, m->end);
    if (mod)
        mbi_copy_bounded(mod->cmdline, sizeof(mod->cmdline), m->string,
                         tag->size - sizeof(*m));
    return 0;
}

/* The ACPI 2.0 copy (tag 15) wins over the 1.0 one, in either order. */
static int mbi2_acpi(struct mbi_ctx *c, const struct mb2_tag *tag)
{
    size_t len = tag->size - sizeof(*tag);
    bool is_new = tag->type == MB2_TAG_ACPI_NEW;

    if (len < (is_new ? sizeof(c->bi->rsdp) : RSDP_V1_SIZE))
        return mbi_bad("ACPI tag", tag->size);
    if (c->rsdp_new && !is_new)
        return 0;
    len = MIN(len, sizeof(c->bi->rsdp));
    memset(c->bi->rsdp, 0, sizeof(c->bi->rsdp));
    memcpy(c->bi->rsdp, tag + 1, len);
    c->bi->has_rsdp = true;
    c->rsdp_new = is_new;
    return 0;
}

static int mbi2_meminfo(struct mbi_ctx *c, const struct mb2_tag *tag)
{
    const struct mb2_meminfo *mi = (const void *)tag;

    if (tag->size < sizeof(*mi))
        return mbi_bad("meminfo tag", tag->size);
    c->bi->mem_lower_kb = mi->mem_lower;
    c->bi->mem_upper_kb = mi->mem_upper;
    return 0;
}

/* One tag, already known to lie inside the info block; unknown: skipped. */
static int mbi2_tag(struct mbi_ctx *c, const struct mb2_tag *tag)
{
    struct boot_info *bi = c->bi;

    switch (tag->type) {
    case MB2_TAG_CMDLINE:
        mbi_copy_bounded(bi->cmdline, sizeof(bi->cmdline),
                         (const char *)(tag + 1), tag->size - sizeof(*tag));
        return 0;
    case MB2_TAG_LOADER:
        mbi_copy_bounded(bi->loader, sizeof(bi->loader),
                         (const char *)(tag + 1), tag->size - sizeof(*tag));
        return 0;
    case MB2_TAG_MODULE:
        return mbi2_module(c, tag);
    case MB2_TAG_MEMINFO:
        return mbi2_meminfo(c, tag);
    case MB2_TAG_MMAP:
        return mbi2_mmap(c, tag);
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW:
        return mbi2_acpi(c, tag);
    default:
        return 0;
    }
}

/* Walks the tags; each must fit in total_size, and an end tag must come. */
static int mbi2_walk(struct mbi_ctx *c, const char *base, uint32_t total)
{
    const struct mb2_tag *tag;
    uint32_t off = sizeof(struct mb2_header);
    bool has_mmap = false, has_meminfo = false;
    int rc;

    while (total - off >= sizeof(*tag)) {
        tag = (const void *)(base + off);
        if (tag->size < sizeof(*tag) || tag->size > total - off)
            return mbi_bad("tag size", tag->size);
        if (tag->type == MB2_TAG_END) {
            if (!has_mmap && has_meminfo)
                mbi_synth_mmap(c);
            return 0;
        }
        rc = mbi2_tag(c, tag);
        if (rc)
            return rc;
        has_mmap |= tag->type == MB2_TAG_MMAP;
        has_meminfo |= tag->type == MB2_TAG_MEMINFO;
        /* Tags start 8-byte aligned; the last may end unaligned. */
        if (ROUNDUP(tag->size, 8) > total - off)
            break;
        off += ROUNDUP(tag->size, 8);
    }
    return mbi_bad("tag list: no end tag before offset", off);
}

static int mbi2_parse(struct mbi_ctx *c, paddr_t info_pa)
{
    const struct mb2_header *hdr;
    uint32_t total;

    if (info_pa & 7)
        return mbi_bad("info alignment", info_pa);
    hdr = c->map(info_pa, sizeof(*hdr));
    if (!hdr)
        return mbi_bad("info address", info_pa);
    total = hdr->total_size;
    if (total < sizeof(*hdr) + sizeof(struct mb2_tag) || total > MB2_MAX_SIZE)
        return mbi_bad("total_size", total);
    hdr = c->map(info_pa, total);
    if (!hdr)
        return mbi_bad("total_size", total);
    c->bi->proto = 2;
    return mbi2_walk(c, (const char *)hdr, total);
}

int mbi_parse(uint32_t magic, paddr_t info_pa,
              const void *(*map)(paddr_t pa, size_t len),
              struct boot_info *bi)
{
    struct mbi_ctx c = { .bi = bi, .map = map };
    int rc;

    memset(bi, 0, sizeof(*bi));
    if (magic == MBI_MAGIC_MB1)
        rc = mbi1_parse(&c, info_pa);
    else if (magic == MBI_MAGIC_MB2)
        rc = mbi2_parse(&c, info_pa);
    else
        rc = mbi_bad("magic", magic);
    if (rc) {
        memset(bi, 0, sizeof(*bi));
        pr_err("mbi: cannot use the boot information (magic %#x at %#lx)\n",
               magic, (unsigned long)info_pa);
        return rc;
    }
    if (c.dropped_mmap)
        pr_warn("mbi: %u memory ranges dropped (limit %u)\n",
                c.dropped_mmap, BOOT_MAX_MMAP);
    if (c.dropped_mods)
        pr_warn("mbi: %u modules dropped (limit %u)\n",
                c.dropped_mods, BOOT_MAX_MODS);
    return 0;
}
