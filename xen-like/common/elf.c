/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen PV kernel images: ELF64 headers, PT_LOAD segments and Xen ELF notes
 * -> struct xen_elf_info, with the checks a builder relies on.  The image
 * is untrusted: every field is copied out once, then checked, then used.
 */
#include <hv/config.h>
#include <hv/types.h>
#include <hv/abi.h>
#include <hv/lib.h>
#include <hv/console.h>
#include <hv/elf.h>

/* The parts of the ELF64 format used here (System V gABI). */
struct elf64_ehdr {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version;
    uint64_t e_entry, e_phoff, e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum;
    uint16_t e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type, p_flags;
    uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf64_shdr {
    uint32_t sh_name, sh_type;
    uint64_t sh_flags, sh_addr, sh_offset, sh_size;
    uint32_t sh_link, sh_info;
    uint64_t sh_addralign, sh_entsize;
};

struct elf64_note {
    uint32_t namesz, descsz, type;
};

BUILD_BUG_ON(sizeof(struct elf64_ehdr) != 64);
BUILD_BUG_ON(sizeof(struct elf64_phdr) != 56);
BUILD_BUG_ON(sizeof(struct elf64_shdr) != 64);
BUILD_BUG_ON(sizeof(struct elf64_note) != 12);

#define EI_CLASS            4
#define EI_DATA             5
#define ELFCLASS64          2
#define ELFDATA2LSB         1
#define ET_EXEC             2
#define EM_X86_64           62
#define PT_LOAD             1
#define PT_NOTE             4
#define PF_RWX              7
#define SHT_NOTE            7
#define SHN_LORESERVE       0xff00

#define ELF_MAX_PHDRS       64      /* vmlinux has 5 */
#define ELF_MAX_NOTES       4096    /* bounds the section-note rescans */
#define ELF_PAGE_SIZE       4096ULL

/* Guest virtual addresses no PV kernel may use: non-canonical, then Xen's. */
#define NONCANON_START      0x0000800000000000ULL
#define HOLE_START          ((uint64_t)HYPERVISOR_VIRT_START)
#define HOLE_END            ((uint64_t)HYPERVISOR_VIRT_END)

/* One parse: the image, its header, and which notes were seen. */
struct elf_parse {
    const uint8_t *img;
    size_t size;
    struct elf64_ehdr eh;
    struct xen_elf_info *info;
    unsigned int nr_notes, nr_xen_notes;
    bool seen_entry, seen_virt_base, seen_paddr_offset;
};

/* Logs the one error line for a refused image. */
static int __printf(1, 2) elf_bad(const char *fmt, ...)
{
    char buf[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    pr_err("dom0 kernel: %s\n", buf);
    return -XEN_EINVAL;
}

static bool elf_range_ok(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static bool elf_read(const struct elf_parse *p, uint64_t off, void *dst,
                     size_t len)
{
    if (!elf_range_ok(p->size, off, len))
        return false;
    memcpy(dst, p->img + off, len);
    return true;
}

static void elf_set_feature(uint32_t *map, unsigned int nr)
{
    map[nr / 32] |= 1u << (nr % 32);
}

static bool elf_test_feature(const uint32_t *map, unsigned int nr)
{
    return map[nr / 32] & (1u << (nr % 32));
}

static int elf_check_header(struct elf_parse *p)
{
    static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };
    const struct elf64_ehdr *eh = &p->eh;
    uint64_t phsize;

    if (p->size < 16 || memcmp(p->img, magic, sizeof(magic)))
        return elf_bad("not an ELF image");
    if (p->img[EI_CLASS] != ELFCLASS64)
        return elf_bad("not 64-bit (class %u)", p->img[EI_CLASS]);
    if (p->img[EI_DATA] != ELFDATA2LSB)
        return elf_bad("not little-endian (data %u)", p->img[EI_DATA]);
    if (!elf_read(p, 0, &p->eh, sizeof(p->eh)))
        return elf_bad("ELF header truncated (%zu bytes)", p->size);
    if (eh->e_machine != EM_X86_64)
        return elf_bad("not x86-64 (machine %u)", eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return elf_bad("not an executable (type %u)", eh->e_type);
    if (eh->e_phentsize != sizeof(struct elf64_phdr))
        return elf_bad("bad program header size %u", eh->e_phentsize);
    if (eh->e_phnum == 0)
        return elf_bad("no program headers");
    if (eh->e_phnum > ELF_MAX_PHDRS)
        return elf_bad("too many program headers (%u)", eh->e_phnum);
    phsize = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
    if (!elf_range_ok(p->size, eh->e_phoff, phsize))
        return elf_bad("program headers outside the image");
    return 0;
}

/* Program header i; elf_check_header() proved the table is inside. */
static void elf_phdr(const struct elf_parse *p, unsigned int i,
                     struct elf64_phdr *ph)
{
    bool ok = elf_read(p, p->eh.e_phoff + (uint64_t)i * sizeof(*ph), ph,
                       sizeof(*ph));

    ASSERT(ok);
    (void)ok;
}

static int elf_add_segment(struct elf_parse *p, unsigned int i,
                           const struct elf64_phdr *ph)
{
    struct xen_elf_info *info = p->info;
    struct elf_segment *s;

    if (ph->p_filesz > ph->p_memsz)
        return elf_bad("segment %u file size above memory size", i);
    if (!elf_range_ok(p->size, ph->p_offset, ph->p_filesz))
        return elf_bad("segment %u outside the image", i);
    if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
        return elf_bad("segment %u wraps around", i);
    if (ph->p_memsz == 0)
        return 0;                   /* occupies nothing */
    if (info->nr_segments == ELF_MAX_SEGMENTS)
        return elf_bad("more than %u loadable segments", ELF_MAX_SEGMENTS);

    s = &info->segments[info->nr_segments++];
    s->paddr = ph->p_paddr;
    s->vaddr = ph->p_vaddr;
    s->offset = ph->p_offset;
    s->filesz = ph->p_filesz;
    s->memsz = ph->p_memsz;
    s->flags = ph->p_flags;
    return 0;
}

/* Each loaded byte has one source: segments must not overlap in paddr. */
static int elf_check_segments(struct xen_elf_info *info)
{
    unsigned int i, j;

    if (info->nr_segments == 0)
        return elf_bad("no loadable segments");

    info->pstart = ~0ULL;
    info->pend = 0;
    for (i = 0; i < info->nr_segments; i++) {
        const struct elf_segment *a = &info->segments[i];

        info->pstart = MIN(info->pstart, a->paddr);
        info->pend = MAX(info->pend, a->paddr + a->memsz);
        for (j = 0; j < i; j++) {
            const struct elf_segment *b = &info->segments[j];

            if (a->paddr < b->paddr + b->memsz &&
                 b->paddr < a->paddr + a->memsz)
                return elf_bad("loadable segments %u and %u overlap", j, i);
        }
    }
    return 0;
}

/* PT_LOAD entries with some access right are loaded (as Xen's libelf). */
static int elf_collect_segments(struct elf_parse *p)
{
    struct elf64_phdr ph;
    unsigned int i;
    int rc;

    for (i = 0; i < p->eh.e_phnum; i++) {
        elf_phdr(p, i, &ph);
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_RWX))
            continue;
        rc = elf_add_segment(p, i, &ph);
        if (rc)
            return rc;
    }
    return elf_check_segments(p->info);
}

/* ---- FEATURES: "name|!name|..." ---- */

static const struct {
    const char *name;
    unsigned int nr;
} elf_feature_names[] = {
    { "writable_page_tables", XENFEAT_writable_page_tables },
    { "writable_descriptor_tables", XENFEAT_writable_descriptor_tables },
    { "auto_translated_physmap", XENFEAT_auto_translated_physmap },
    { "supervisor_mode_kernel", XENFEAT_supervisor_mode_kernel },
    { "pae_pgdir_above_4gb", XENFEAT_pae_pgdir_above_4gb },
    { "hvm_callback_vector", XENFEAT_hvm_callback_vector },
    { "dom0", XENFEAT_dom0 },
};

static int elf_feature_lookup(const char *name, size_t len)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(elf_feature_names); i++) {
        const char *n = elf_feature_names[i].name;

        if (strlen(n) == len && !memcmp(n, name, len))
            return elf_feature_names[i].nr;
    }
    return -1;
}

/* Copies up to len bytes of guest text, stopping at NUL, made printable. */
static void elf_printable(char *dst, size_t dstsz, const char *src,
                          size_t len)
{
    size_t i;

    len = MIN(strnlen(src, len), dstsz - 1);
    for (i = 0; i < len; i++)
        dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
    dst[len] = '\0';
}

/*
 * An unknown name is skipped, unless required: a kernel that needs
 * something this parser cannot even name is refused (as Xen does).
 */
static int elf_parse_features(struct xen_elf_info *info, const char *s,
                              size_t len)
{
    size_t pos = 0, n;
    bool required;
    char name[41];
    int nr;

    for (; pos < len; pos += n + 1) {
        for (n = 0; pos + n < len && s[pos + n] != '|'; n++)
            ;
        if (n == 0)
            continue;
        required = s[pos] == '!';
        nr = elf_feature_lookup(s + pos + required, n - required);
        if (nr < 0) {
            elf_printable(name, sizeof(name), s + pos + required,
                          n - required);
            if (required)
                return elf_bad("requires unknown feature '%s'", name);
            pr_debug("elf: ignoring unknown feature '%s'\n", name);
            continue;
        }
        elf_set_feature(info->features_supported, nr);
        if (required)
            elf_set_feature(info->features_required, nr);
    }
    return 0;
}

/* ---- Xen ELF notes ---- */

/* A numeric note is 1, 2, 4 or 8 bytes, little-endian. */
static int elf_note_number(const uint8_t *desc, uint32_t descsz,
                           uint32_t type, uint64_t *val)
{
    uint64_t v = 0;

    if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8)
        return elf_bad("Xen note %u has a bad size %u", type, descsz);
    memcpy(&v, desc, descsz);
    *val = v;
    return 0;
}

static int elf_note_supported(struct xen_elf_info *info, const uint8_t *desc,
                              uint32_t descsz)
{
    uint32_t word;
    unsigned int i;

    if (descsz == 0 || descsz % 4)
        return elf_bad("SUPPORTED_FEATURES note has a bad size %u", descsz);
    for (i = 0; i < XENFEAT_NR_SUBMAPS && i < descsz / 4; i++) {
        memcpy(&word, desc + i * 4, 4);
        info->features_supported[i] |= word;
        if (i == 0)
            info->supported_features_note = word;
    }
    info->has_supported_features_note = true;
    return 0;
}

static int elf_note_numeric(struct elf_parse *p, uint32_t type,
                            const uint8_t *desc, uint32_t descsz)
{
    struct xen_elf_info *info = p->info;
    uint64_t v = 0;
    int rc = elf_note_number(desc, descsz, type, &v);

    if (rc)
        return rc;
    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        info->entry = v;
        p->seen_entry = true;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        info->virt_base = v;
        p->seen_virt_base = true;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        info->paddr_offset = v;
        p->seen_paddr_offset = true;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        info->hypercall_page = v;
        info->has_hypercall_page = true;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        info->init_p2m = v;
        info->has_init_p2m = true;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        info->suspend_cancel = v != 0;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        info->mod_start_pfn = v != 0;
        break;
    }
    return 0;
}

/* Strings end at their first NUL or at the end of the descriptor. */
static int elf_xen_note(struct elf_parse *p, uint32_t type,
                        const uint8_t *desc, uint32_t descsz)
{
    struct xen_elf_info *info = p->info;
    const char *str = (const char *)desc;

    switch (type) {
    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_INIT_P2M:
    case XEN_ELFNOTE_SUSPEND_CANCEL:
    case XEN_ELFNOTE_MOD_START_PFN:
        return elf_note_numeric(p, type, desc, descsz);
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        return elf_note_supported(info, desc, descsz);
    case XEN_ELFNOTE_FEATURES:
        return elf_parse_features(info, str, strnlen(str, descsz));
    case XEN_ELFNOTE_XEN_VERSION:
        elf_printable(info->xen_version, sizeof(info->xen_version), str,
                      descsz);
        return 0;
    case XEN_ELFNOTE_GUEST_OS:
        elf_printable(info->guest_os, sizeof(info->guest_os), str, descsz);
        return 0;
    case XEN_ELFNOTE_GUEST_VERSION:
        elf_printable(info->guest_version, sizeof(info->guest_version), str,
                      descsz);
        return 0;
    case XEN_ELFNOTE_LOADER:
        elf_printable(info->loader, sizeof(info->loader), str, descsz);
        return 0;
    }
    /* PAE_MODE, L1_MFN_VALID, HV_START_LOW, ...: nothing for 64-bit PV. */
    pr_debug("elf: ignoring Xen note %u\n", type);
    return 0;
}

static bool elf_note_is_xen(const uint8_t *name, uint32_t namesz)
{
    return namesz >= 4 && !memcmp(name, "Xen", 4);
}

/*
 * Walks the notes in image bytes [off, off + len), entries padded to align
 * (4, or 8 where the segment or section says so).  The last descriptor's
 * padding may be missing.  A note crossing the end refuses the image.
 */
static int elf_parse_notes(struct elf_parse *p, uint64_t off, uint64_t len,
                           uint64_t align)
{
    struct elf64_note n;
    const uint8_t *name;
    uint64_t pos, next, name_len, need;
    int rc;

    for (pos = 0; pos < len; pos = next) {
        if (len - pos < sizeof(n))
            return elf_bad("truncated note at offset %#llx",
                           (unsigned long long)(off + pos));
        memcpy(&n, p->img + off + pos, sizeof(n));
        name_len = ROUNDUP((uint64_t)n.namesz, align);
        need = sizeof(n) + name_len + n.descsz;
        if (need > len - pos)
            return elf_bad("note at offset %#llx overruns its container",
                           (unsigned long long)(off + pos));
        if (++p->nr_notes > ELF_MAX_NOTES)
            return elf_bad("more than %u notes", ELF_MAX_NOTES);
        next = MIN(pos + need + ROUNDUP((uint64_t)n.descsz, align) - n.descsz,
                   len);

        name = p->img + off + pos + sizeof(n);
        if (!elf_note_is_xen(name, n.namesz))
            continue;
        p->nr_xen_notes++;
        rc = elf_xen_note(p, n.type, name + name_len, n.descsz);
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * Some binutils leave p_offset 0 in note segments; Xen skips those, so
 * does this.
 */
static int elf_segment_notes(struct elf_parse *p)
{
    struct elf64_phdr ph;
    unsigned int i;
    int rc;

    for (i = 0; i < p->eh.e_phnum; i++) {
        elf_phdr(p, i, &ph);
        if (ph.p_type != PT_NOTE || ph.p_offset == 0)
            continue;
        if (!elf_range_ok(p->size, ph.p_offset, ph.p_filesz))
            return elf_bad("note segment %u outside the image", i);
        rc = elf_parse_notes(p, ph.p_offset, ph.p_filesz,
                             ph.p_align == 8 ? 8 : 4);
        if (rc)
            return rc;
    }
    return 0;
}

/* The fallback: SHT_NOTE sections, for images without note segments. */
static int elf_section_notes(struct elf_parse *p)
{
    const struct elf64_ehdr *eh = &p->eh;
    struct elf64_shdr sh;
    unsigned int i;
    int rc;

    if (eh->e_shnum == 0 || eh->e_shoff == 0)
        return 0;
    if (eh->e_shentsize != sizeof(sh) || eh->e_shnum >= SHN_LORESERVE)
        return elf_bad("bad section header table");
    if (!elf_range_ok(p->size, eh->e_shoff,
                       (uint64_t)eh->e_shnum * sizeof(sh)))
        return elf_bad("section headers outside the image");

    for (i = 1; i < eh->e_shnum; i++) {
        elf_read(p, eh->e_shoff + (uint64_t)i * sizeof(sh), &sh, sizeof(sh));
        if (sh.sh_type != SHT_NOTE)
            continue;
        if (!elf_range_ok(p->size, sh.sh_offset, sh.sh_size))
            return elf_bad("note section %u outside the image", i);
        rc = elf_parse_notes(p, sh.sh_offset, sh.sh_size,
                             sh.sh_addralign == 8 ? 8 : 4);
        if (rc)
            return rc;
    }
    return 0;
}

static int elf_find_notes(struct elf_parse *p)
{
    int rc = elf_segment_notes(p);

    if (rc)
        return rc;
    if (p->nr_xen_notes == 0) {
        rc = elf_section_notes(p);
        if (rc)
            return rc;
    }
    if (p->nr_xen_notes == 0)
        return elf_bad("no Xen ELF notes");
    return 0;
}

/* ---- Defaults and layout checks (Xen: elf_xen_note_check and
 *      elf_xen_addr_calc_check) ---- */

static int elf_check_strings(const struct xen_elf_info *info)
{
    if (strncmp(info->loader, "generic", 7) &&
         strncmp(info->guest_os, "linux", 5))
        return elf_bad("neither a Linux image nor built for the generic "
                       "loader (GUEST_OS '%s', LOADER '%s')",
                       info->guest_os, info->loader);
    if (strncmp(info->xen_version, "xen-3.0", 7))
        return elf_bad("not built for Xen 3.0 (XEN_VERSION '%s')",
                       info->xen_version);
    return 0;
}

/* Absent VIRT_BASE and PADDR_OFFSET notes mean 0, absent ENTRY e_entry. */
static int elf_apply_defaults(struct elf_parse *p)
{
    struct xen_elf_info *info = p->info;
    uint64_t virt_offset;

    if (p->seen_paddr_offset && !p->seen_virt_base)
        return elf_bad("PADDR_OFFSET note without VIRT_BASE");
    if (!p->seen_entry)
        info->entry = p->eh.e_entry;
    if (!IS_ALIGNED(info->virt_base, ELF_PAGE_SIZE))
        return elf_bad("VIRT_BASE %#llx not page aligned",
                       (unsigned long long)info->virt_base);

    virt_offset = info->virt_base - info->paddr_offset;
    info->virt_kstart = info->pstart + virt_offset;
    info->virt_kend = info->pend + virt_offset;
    return 0;
}

/* [start, end) overlaps the non-canonical gap or the hypervisor hole. */
static bool elf_forbidden(uint64_t start, uint64_t end)
{
    return start < HOLE_END && end > NONCANON_START;
}

static int elf_check_addresses(const struct xen_elf_info *info)
{
    unsigned long long ks = info->virt_kstart, ke = info->virt_kend;

    if (ks > ke)
        return elf_bad("kernel image %#llx-%#llx wraps around", ks, ke);
    if (info->virt_base > ks)
        return elf_bad("VIRT_BASE %#llx above the kernel start %#llx",
                       (unsigned long long)info->virt_base, ks);
    if (info->entry < ks || info->entry >= ke)
        return elf_bad("entry %#llx outside the kernel image %#llx-%#llx",
                       (unsigned long long)info->entry, ks, ke);
    if (elf_forbidden(info->virt_base, ke))
        return elf_bad("%#llx-%#llx overlaps the hypervisor hole or is "
                       "not canonical",
                       (unsigned long long)info->virt_base, ke);
    if (info->has_hypercall_page &&
         (!IS_ALIGNED(info->hypercall_page, ELF_PAGE_SIZE) ||
          info->hypercall_page < ks || info->hypercall_page >= ke ||
          ke - info->hypercall_page < ELF_PAGE_SIZE))
        return elf_bad("HYPERCALL_PAGE %#llx not a page of the kernel image",
                       (unsigned long long)info->hypercall_page);
    if (info->has_init_p2m &&
         ((info->init_p2m >= info->virt_base && info->init_p2m < ke) ||
          elf_forbidden(info->init_p2m, info->init_p2m + 1)))
        return elf_bad("INIT_P2M %#llx inside the kernel region or the "
                       "hypervisor hole",
                       (unsigned long long)info->init_p2m);
    return 0;
}

int elf_parse_xen(const void *img, size_t size, struct xen_elf_info *info)
{
    struct elf_parse p = { .img = img, .size = size, .info = info };
    int rc;

    memset(info, 0, sizeof(*info));
    rc = elf_check_header(&p);
    if (!rc)
        rc = elf_collect_segments(&p);
    if (!rc)
        rc = elf_find_notes(&p);
    if (!rc)
        rc = elf_check_strings(info);
    if (!rc)
        rc = elf_apply_defaults(&p);
    if (!rc)
        rc = elf_check_addresses(info);
    if (rc)
        memset(info, 0, sizeof(*info));
    return rc;
}

int elf_check_dom0(const struct xen_elf_info *info,
                   const uint32_t *hv_features)
{
    unsigned int i;
    uint32_t missing;

    for (i = 0; i < XENFEAT_NR_SUBMAPS; i++) {
        missing = info->features_required[i] & ~hv_features[i];
        if (missing)
            return elf_bad("requires feature %u, which is not offered",
                           i * 32 + __builtin_ctz(missing));
    }
    /* Xen's initdom_check_parms(): FEATURES "dom0" counts as well. */
    if (info->has_supported_features_note &&
         !elf_test_feature(info->features_supported, XENFEAT_dom0))
        return elf_bad("does not support dom0 operation");
    return 0;
}

int elf_load_segments(const void *img, size_t size,
                      const struct xen_elf_info *info,
                      void (*copy)(void *ctx, uint64_t paddr, const void *src,
                                   size_t len),
                      void (*zero)(void *ctx, uint64_t paddr, size_t len),
                      void *ctx)
{
    const struct elf_segment *s;
    unsigned int i;

    if (info->nr_segments > ELF_MAX_SEGMENTS)
        return elf_bad("bad segment count %u", info->nr_segments);
    for (i = 0; i < info->nr_segments; i++) {
        s = &info->segments[i];
        if (!elf_range_ok(size, s->offset, s->filesz) ||
             s->filesz > s->memsz || s->paddr + s->memsz < s->paddr)
            return elf_bad("segment %u outside the image", i);
    }

    for (i = 0; i < info->nr_segments; i++) {
        s = &info->segments[i];
        if (s->filesz)
            copy(ctx, s->paddr, (const uint8_t *)img + s->offset, s->filesz);
        if (s->memsz > s->filesz)
            zero(ctx, s->paddr + s->filesz, s->memsz - s->filesz);
    }
    return 0;
}
