/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests for common/elf.c: synthetic PV kernel images (ELF header,
 * program headers, a note segment, segment bytes, optional section headers)
 * assembled in a buffer from a spec that each test adjusts.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <hv/types.h>
#include <public/errno.h>
#include <public/elfnote.h>
#include <public/features.h>
#include <hv/lib.h>
#include <hv/elf.h>

#define IMG_MAX     0x10000
#define MAX_SEGS    24
#define MAX_NOTES   32

#define LINUX_ENTRY     0xffffffff830791c0ULL
#define LINUX_VBASE     0xffffffff80000000ULL
#define LINUX_P2M       0x0000008000000000ULL
#define HOLE_START      0xffff800000000000ULL
#define HOLE_END        0xffff880000000000ULL

struct seg_spec {
    uint32_t type, flags;
    uint64_t paddr, vaddr, filesz, memsz;
};

struct note_spec {
    const char *name;
    uint32_t type, descsz;
    uint8_t desc[192];
};

static struct {
    uint64_t e_entry;
    unsigned int nr_segs, nr_notes;
    struct seg_spec seg[MAX_SEGS];
    struct note_spec note[MAX_NOTES];
    bool note_segment, note_section;
} sp;

static uint8_t img[IMG_MAX] __attribute__((aligned(16)));
static uint8_t pristine[IMG_MAX];
static size_t img_size;
static uint64_t seg_off[MAX_SEGS];
static uint64_t notes_off, notes_len;
static struct xen_elf_info info;

/* ---- log capture: the harness prints to stderr when asked to ---- */

static int log_fd = -1, saved_fd = -1;
static char log_buf[4096];

static void log_begin(void)
{
    fflush(stderr);
    assert_int_equal(ftruncate(log_fd, 0), 0);
    lseek(log_fd, 0, SEEK_SET);
    saved_fd = dup(2);
    dup2(log_fd, 2);
}

static void log_end(void)
{
    ssize_t n;

    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    n = pread(log_fd, log_buf, sizeof(log_buf) - 1, 0);
    log_buf[n > 0 ? n : 0] = '\0';
}

static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++)
        if (!memcmp(hay, needle, n))
            return true;
    return false;
}

/* Error lines the last call logged: they, and only they, start so. */
static unsigned int err_lines(void)
{
    static const char pfx[] = "dom0 kernel: ";
    unsigned int n = 0;
    const char *l = log_buf;

    while (*l) {
        if (!strncmp(l, pfx, sizeof(pfx) - 1))
            n++;
        while (*l && *l != '\n')
            l++;
        if (*l)
            l++;
    }
    return n;
}

/* Guest text never breaks a log line: every line has a known start. */
static bool log_lines_known(void)
{
    const char *l = log_buf;

    while (*l) {
        if (strncmp(l, "dom0 kernel: ", 13) && strncmp(l, "elf: ", 5))
            return false;
        while (*l && *l != '\n')
            l++;
        if (*l)
            l++;
    }
    return true;
}

static int parse(size_t size)
{
    int rc;

    log_begin();
    rc = elf_parse_xen(img, size, &info);
    log_end();
    return rc;
}

static void assert_accepts(size_t size)
{
    int rc = parse(size);

    if (rc)
        fail_msg("refused: %s", log_buf);
    assert_int_equal(err_lines(), 0);
}

/* Refused with one error line containing why, and nothing left behind. */
static void assert_refuses(size_t size, const char *why)
{
    static const struct xen_elf_info zero;
    int rc = parse(size);

    if (rc != -XEN_EINVAL)
        fail_msg("rc %d, expected a refusal for '%s'", rc, why);
    assert_int_equal(err_lines(), 1);
    if (!contains(log_buf, why))
        fail_msg("log '%s' lacks '%s'", log_buf, why);
    assert_memory_equal(&info, &zero, sizeof(info));
}

/* ---- the image spec ---- */

static struct note_spec *note_find(uint32_t type)
{
    unsigned int i;

    for (i = 0; i < sp.nr_notes; i++)
        if (sp.note[i].type == type && !strcmp(sp.note[i].name, "Xen"))
            return &sp.note[i];
    return NULL;
}

static void note_raw(const char *name, uint32_t type, const void *desc,
                     uint32_t len)
{
    struct note_spec *n = strcmp(name, "Xen") ? NULL : note_find(type);

    if (!n) {
        assert_true(sp.nr_notes < MAX_NOTES);
        n = &sp.note[sp.nr_notes++];
    }
    assert_true(len <= sizeof(n->desc));
    n->name = name;
    n->type = type;
    n->descsz = len;
    memcpy(n->desc, desc, len);
}

static void note_str(uint32_t type, const char *s)
{
    note_raw("Xen", type, s, strlen(s) + 1);
}

static void note_u64(uint32_t type, uint64_t v)
{
    note_raw("Xen", type, &v, 8);
}

static void note_u32(uint32_t type, uint32_t v)
{
    note_raw("Xen", type, &v, 4);
}

static void note_del(uint32_t type)
{
    struct note_spec *n = note_find(type);

    if (n)
        *n = sp.note[--sp.nr_notes];
}

static void seg_add(uint32_t type, uint32_t flags, uint64_t paddr,
                    uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
    assert_true(sp.nr_segs < MAX_SEGS);
    sp.seg[sp.nr_segs++] = (struct seg_spec){ type, flags, paddr, vaddr,
                                              filesz, memsz };
}

/* The layout and notes of Debian's 6.1 kernel (PV-ABI.md 1.2, 1.3). */
static void spec_linux(void)
{
    static const uint8_t l1_mfn_valid[16] = { 1, 0, 0, 0, 0, 0, 0, 0,
                                              1, 0, 0, 0, 0, 0, 0, 0 };
    static const uint8_t build_id[20] = { 0xde, 0xad, 0xbe, 0xef };

    memset(&sp, 0, sizeof(sp));
    sp.e_entry = 0x1000000;
    sp.note_segment = true;
    seg_add(PT_LOAD, PF_R | PF_X, 0x1000000, 0xffffffff81000000, 0x200,
            0x2044000);
    seg_add(PT_LOAD, PF_R | PF_W, 0x3044000, 0, 0x80, 0x30000); /* percpu */
    seg_add(PT_LOAD, PF_R | PF_W | PF_X, 0x3074000, 0xffffffff83074000,
            0x200, 0x4a00000 - 0x3074000);
    note_raw("GNU", 3, build_id, sizeof(build_id));
    note_str(XEN_ELFNOTE_GUEST_OS, "linux");
    note_str(XEN_ELFNOTE_GUEST_VERSION, "2.6");
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(XEN_ELFNOTE_LOADER, "generic");
    note_u64(XEN_ELFNOTE_VIRT_BASE, LINUX_VBASE);
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, 0);
    note_u64(XEN_ELFNOTE_ENTRY, LINUX_ENTRY);
    note_u64(XEN_ELFNOTE_INIT_P2M, LINUX_P2M);
    note_str(XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
    note_u32(XEN_ELFNOTE_SUPPORTED_FEATURES, 0x8801);
    note_str(XEN_ELFNOTE_PAE_MODE, "yes");
    note_raw("Xen", XEN_ELFNOTE_L1_MFN_VALID, l1_mfn_valid, 16);
    note_u32(XEN_ELFNOTE_SUSPEND_CANCEL, 1);
    note_u32(XEN_ELFNOTE_MOD_START_PFN, 1);
    note_u64(XEN_ELFNOTE_HV_START_LOW, HOLE_START);
    note_u32(XEN_ELFNOTE_PHYS32_ENTRY, 0x1000850);
    note_raw("Linux", 0x101, "6.1", 4);
}

static size_t put(size_t off, const void *src, size_t len)
{
    assert_true(off + len <= IMG_MAX);
    memcpy(img + off, src, len);
    return off + len;
}

static size_t build_notes(size_t off)
{
    unsigned int i;
    Elf64_Nhdr nh;

    notes_off = off = ROUNDUP(off, 8);
    for (i = 0; i < sp.nr_notes; i++) {
        const struct note_spec *n = &sp.note[i];

        nh.n_namesz = strlen(n->name) + 1;
        nh.n_descsz = n->descsz;
        nh.n_type = n->type;
        off = put(off, &nh, sizeof(nh));
        off = ROUNDUP(put(off, n->name, nh.n_namesz), 4);
        off = ROUNDUP(put(off, n->desc, n->descsz), 4);
    }
    notes_len = off - notes_off;
    return off;
}

static size_t build_sections(size_t off)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
    Elf64_Shdr sh[3];

    memset(sh, 0, sizeof(sh));
    sh[1].sh_type = SHT_PROGBITS;
    sh[2].sh_type = SHT_NOTE;
    sh[2].sh_offset = notes_off;
    sh[2].sh_size = notes_len;
    sh[2].sh_addralign = 4;
    off = ROUNDUP(off, 8);
    eh->e_shoff = off;
    eh->e_shentsize = sizeof(Elf64_Shdr);
    eh->e_shnum = 3;
    return put(off, sh, sizeof(sh));
}

/* Assembles img from sp; returns (and records) the image size. */
static size_t build(void)
{
    Elf64_Ehdr eh = { .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,
                                   ELFCLASS64, ELFDATA2LSB, EV_CURRENT } };
    Elf64_Phdr ph[MAX_SEGS + 1];
    unsigned int i, nph = sp.nr_segs;
    size_t off;
    uint64_t j;

    memset(img, 0, sizeof(img));
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = sp.e_entry;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = nph + sp.note_segment;
    off = sizeof(eh) + eh.e_phnum * sizeof(Elf64_Phdr);
    off = build_notes(off);

    memset(ph, 0, sizeof(ph));
    for (i = 0; i < nph; i++) {
        const struct seg_spec *s = &sp.seg[i];

        off = seg_off[i] = ROUNDUP(off, 16);
        for (j = 0; j < s->filesz; j++)
            img[off + j] = (uint8_t)(0x40 + i * 16 + j);
        off += s->filesz;
        ph[i] = (Elf64_Phdr){ .p_type = s->type, .p_flags = s->flags,
                              .p_offset = seg_off[i], .p_vaddr = s->vaddr,
                              .p_paddr = s->paddr, .p_filesz = s->filesz,
                              .p_memsz = s->memsz, .p_align = 16 };
    }
    if (sp.note_segment)
        ph[nph] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R,
                                .p_offset = notes_off,
                                .p_filesz = notes_len, .p_align = 4 };
    put(0, &eh, sizeof(eh));
    put(sizeof(eh), ph, eh.e_phnum * sizeof(Elf64_Phdr));
    if (sp.note_section)
        off = build_sections(off);
    img_size = off;
    memcpy(pristine, img, off);
    return off;
}

static Elf64_Ehdr *ehdr(void)
{
    return (Elf64_Ehdr *)img;
}

static Elf64_Phdr *phdr(unsigned int i)
{
    return (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + i;
}

/* The note header of Xen note type in the built image. */
static Elf64_Nhdr *nhdr(uint32_t type)
{
    uint64_t off = notes_off;

    while (off < notes_off + notes_len) {
        Elf64_Nhdr *n = (Elf64_Nhdr *)(img + off);

        if (n->n_type == type && n->n_namesz == 4 &&
            !memcmp(n + 1, "Xen", 4))
            return n;
        off += sizeof(*n) + ROUNDUP(n->n_namesz, 4) + ROUNDUP(n->n_descsz, 4);
    }
    fail_msg("no note %u", type);
    return NULL;
}

static const uint32_t pv_offer[XENFEAT_NR_SUBMAPS] = {
    (1u << XENFEAT_writable_page_tables) |
    (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0),
};

static int setup(void **state)
{
    (void)state;
    spec_linux();
    memset(&info, 0x5a, sizeof(info));
    return 0;
}

/* ---- a valid image ---- */

static void test_linux_image(void **state)
{
    const struct elf_segment *s = info.segments;

    (void)state;
    assert_accepts(build());
    assert_true(info.entry == LINUX_ENTRY);
    assert_true(info.virt_base == LINUX_VBASE);
    assert_true(info.paddr_offset == 0);
    assert_false(info.has_hypercall_page);
    assert_true(info.has_init_p2m);
    assert_true(info.init_p2m == LINUX_P2M);
    assert_true(info.mod_start_pfn);
    assert_true(info.suspend_cancel);
    assert_string_equal(info.guest_os, "linux");
    assert_string_equal(info.guest_version, "2.6");
    assert_string_equal(info.xen_version, "xen-3.0");
    assert_string_equal(info.loader, "generic");
    assert_int_equal(info.features_required[0],
                     1u << XENFEAT_writable_page_tables);
    assert_int_equal(info.features_supported[0],
                     0x8801 | (1u << XENFEAT_pae_pgdir_above_4gb));
    assert_true(info.has_supported_features_note);
    assert_int_equal(info.supported_features_note, 0x8801);
    assert_true(info.pstart == 0x1000000);
    assert_true(info.pend == 0x4a00000);
    assert_true(info.virt_kstart == 0xffffffff81000000ULL);
    assert_true(info.virt_kend == 0xffffffff84a00000ULL);
    assert_int_equal(info.nr_segments, 3);
    assert_true(s[0].vaddr == 0xffffffff81000000ULL);
    assert_true(s[0].offset == seg_off[0] && s[0].filesz == 0x200);
    assert_int_equal(s[0].flags, PF_R | PF_X);
    /* The percpu segment: p_vaddr 0, loaded by its p_paddr all the same. */
    assert_true(s[1].vaddr == 0 && s[1].paddr == 0x3044000);
    assert_true(s[1].offset == seg_off[1]);
    assert_true(s[1].filesz == 0x80 && s[1].memsz == 0x30000);
    assert_int_equal(s[1].flags, PF_R | PF_W);
    assert_true(s[2].paddr == 0x3074000 && s[2].memsz == 0x198c000);

    /* Trailing bytes after the last segment are not an error. */
    assert_accepts(img_size + 100);
}

/* Segments in any order; the percpu one first changes nothing. */
static void test_segment_order(void **state)
{
    struct seg_spec t = sp.seg[0];

    (void)state;
    sp.seg[0] = sp.seg[1];
    sp.seg[1] = t;
    assert_accepts(build());
    assert_true(info.pstart == 0x1000000 && info.pend == 0x4a00000);
    assert_true(info.segments[0].paddr == 0x3044000);
    assert_true(info.virt_kstart == 0xffffffff81000000ULL);
}

/* ---- defaults (Xen: elf_xen_addr_calc_check) ---- */

static void test_default_entry(void **state)
{
    (void)state;
    note_del(XEN_ELFNOTE_ENTRY);
    assert_refuses(build(), "entry 0x1000000 outside the kernel image");
    sp.e_entry = 0xffffffff81000040ULL;
    assert_accepts(build());
    assert_true(info.entry == 0xffffffff81000040ULL);
}

/* Mini-OS style: no VIRT_BASE or PADDR_OFFSET, everything at 0. */
static void test_default_bases(void **state)
{
    (void)state;
    memset(&sp, 0, sizeof(sp));
    sp.note_segment = true;
    seg_add(PT_LOAD, PF_R | PF_W | PF_X, 0, 0, 0x100, 0x10000);
    note_str(XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(XEN_ELFNOTE_LOADER, "generic");
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, 0x2000);
    note_u64(XEN_ELFNOTE_ENTRY, 0);
    assert_accepts(build());
    assert_true(info.virt_base == 0 && info.paddr_offset == 0);
    assert_true(info.virt_kstart == 0 && info.virt_kend == 0x10000);
    assert_true(info.entry == 0);
    assert_true(info.has_hypercall_page && info.hypercall_page == 0x2000);
    assert_false(info.has_init_p2m);
    assert_false(info.mod_start_pfn);
    assert_false(info.has_supported_features_note);

    note_u64(XEN_ELFNOTE_PADDR_OFFSET, 0);
    assert_refuses(build(), "PADDR_OFFSET note without VIRT_BASE");
}

/* Older kernels: p_paddr == p_vaddr and PADDR_OFFSET == VIRT_BASE. */
static void test_paddr_offset(void **state)
{
    unsigned int i;

    (void)state;
    for (i = 0; i < sp.nr_segs; i++)
        sp.seg[i].paddr += LINUX_VBASE;
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, LINUX_VBASE);
    assert_accepts(build());
    assert_true(info.pstart == 0xffffffff81000000ULL);
    assert_true(info.virt_kstart == 0xffffffff81000000ULL);
    assert_true(info.virt_kend == 0xffffffff84a00000ULL);
}

/* ---- loading ---- */

struct call {
    bool copy;
    uint64_t paddr;
    const void *src;
    uint64_t len;
};

static struct {
    unsigned int n;
    struct call c[64];
    size_t size;                /* fuzz: the image size given */
} rec;

static void rec_copy(void *ctx, uint64_t paddr, const void *src, size_t len)
{
    assert_ptr_equal(ctx, &rec);
    assert_true((const uint8_t *)src >= img);
    assert_true(len <= rec.size && (const uint8_t *)src - img <=
                (ptrdiff_t)(rec.size - len));
    if (rec.n < ARRAY_SIZE(rec.c))
        rec.c[rec.n] = (struct call){ true, paddr, src, len };
    rec.n++;
}

static void rec_zero(void *ctx, uint64_t paddr, size_t len)
{
    assert_ptr_equal(ctx, &rec);
    if (rec.n < ARRAY_SIZE(rec.c))
        rec.c[rec.n] = (struct call){ false, paddr, NULL, len };
    rec.n++;
}

static int load(size_t size)
{
    int rc;

    memset(&rec, 0, sizeof(rec));
    rec.size = size;
    log_begin();
    rc = elf_load_segments(img, size, &info, rec_copy, rec_zero, &rec);
    log_end();
    return rc;
}

static void assert_call(unsigned int i, bool copy, uint64_t paddr,
                        const void *src, uint64_t len)
{
    assert_true(i < rec.n);
    assert_int_equal(rec.c[i].copy, copy);
    assert_true(rec.c[i].paddr == paddr);
    assert_ptr_equal(rec.c[i].src, src);
    assert_true(rec.c[i].len == len);
}

static void test_load(void **state)
{
    const uint8_t *src;

    (void)state;
    assert_accepts(build());
    assert_int_equal(load(img_size), 0);
    assert_int_equal(err_lines(), 0);
    assert_int_equal(rec.n, 6);
    assert_call(0, true, 0x1000000, img + seg_off[0], 0x200);
    assert_call(1, false, 0x1000200, NULL, 0x2044000 - 0x200);
    assert_call(2, true, 0x3044000, img + seg_off[1], 0x80);
    assert_call(3, false, 0x3044080, NULL, 0x30000 - 0x80);
    assert_call(4, true, 0x3074000, img + seg_off[2], 0x200);
    assert_call(5, false, 0x3074200, NULL, 0x198c000 - 0x200);
    src = rec.c[2].src;
    assert_int_equal(src[0], 0x50);
    assert_int_equal(src[0x7f], (uint8_t)(0x50 + 0x7f));
}

/* No zero() for a full segment, no copy() for a .bss-only one. */
static void test_load_partial(void **state)
{
    (void)state;
    sp.seg[0].memsz = sp.seg[0].filesz;
    sp.seg[1].filesz = 0;
    assert_accepts(build());
    assert_int_equal(load(img_size), 0);
    assert_int_equal(rec.n, 4);
    assert_call(0, true, 0x1000000, img + seg_off[0], 0x200);
    assert_call(1, false, 0x3044000, NULL, 0x30000);
    assert_call(2, true, 0x3074000, img + seg_off[2], 0x200);
}

/* Every segment is checked before the first callback. */
static void test_load_checks(void **state)
{
    (void)state;
    assert_accepts(build());
    assert_int_equal(load(img_size - 1), -XEN_EINVAL);
    assert_int_equal(rec.n, 0);
    assert_int_equal(err_lines(), 1);
    assert_true(contains(log_buf, "segment 2 outside the image"));

    info.segments[1].filesz = info.segments[1].memsz + 1;
    assert_int_equal(load(img_size), -XEN_EINVAL);
    assert_int_equal(rec.n, 0);

    info.nr_segments = ELF_MAX_SEGMENTS + 1;
    assert_int_equal(load(img_size), -XEN_EINVAL);
    assert_int_equal(rec.n, 0);
}

/* ---- bad images ---- */

/* Every proper prefix of a valid image is refused, with one line. */
static void truncate_all(void)
{
    size_t full = build(), size;

    for (size = 0; size < full; size++) {
        memcpy(img, pristine, full);
        assert_refuses(size, "");
        if (size < 16)
            assert_true(contains(log_buf, "not an ELF image"));
        else if (size < 64)
            assert_true(contains(log_buf, "ELF header truncated"));
    }
    assert_accepts(full);
}

static void test_truncated(void **state)
{
    (void)state;
    truncate_all();
    sp.note_segment = false;
    sp.note_section = true;
    truncate_all();
}

static void test_header(void **state)
{
    size_t n;

    (void)state;
    n = build();
    img[0] = 0x7e;
    assert_refuses(n, "not an ELF image");
    build();
    img[EI_CLASS] = ELFCLASS32;
    assert_refuses(n, "not 64-bit");
    build();
    img[EI_DATA] = ELFDATA2MSB;
    assert_refuses(n, "not little-endian");
    build();
    ehdr()->e_machine = EM_386;
    assert_refuses(n, "not x86-64");
    build();
    ehdr()->e_type = ET_DYN;
    assert_refuses(n, "not an executable");
    build();
    ehdr()->e_phentsize = 32;
    assert_refuses(n, "bad program header size 32");
    build();
    ehdr()->e_phnum = 0;
    assert_refuses(n, "no program headers");
}

static void test_phdr_table(void **state)
{
    size_t n;

    (void)state;
    n = build();
    ehdr()->e_phnum = 0xffff;
    assert_refuses(n, "too many program headers (65535)");
    ehdr()->e_phnum = 65;
    assert_refuses(n, "too many program headers");
    build();
    ehdr()->e_phoff = ~0ULL - 8;
    assert_refuses(n, "program headers outside the image");
    ehdr()->e_phoff = n;
    assert_refuses(n, "program headers outside the image");
    ehdr()->e_phoff = n - sizeof(Elf64_Phdr);
    assert_refuses(n, "program headers outside the image");
    ehdr()->e_phoff = 1ULL << 63;
    assert_refuses(n, "program headers outside the image");
}

static void test_segment_bounds(void **state)
{
    size_t n;

    (void)state;
    sp.seg[0].memsz = 0x100;
    assert_refuses(build(), "segment 0 file size above memory size");
    spec_linux();
    n = build();
    phdr(2)->p_offset = n;
    assert_refuses(n, "segment 2 outside the image");
    phdr(2)->p_offset = ~0ULL - 0x10;
    assert_refuses(n, "segment 2 outside the image");
    build();
    phdr(1)->p_filesz = phdr(1)->p_memsz = ~0ULL;
    assert_refuses(n, "segment 1 outside the image");
    build();
    phdr(2)->p_paddr = ~0ULL - 0x100;
    assert_refuses(n, "segment 2 wraps around");
    build();
    phdr(1)->p_paddr = 0x1000100;
    assert_refuses(n, "loadable segments 0 and 1 overlap");
}

/* What is not loaded: other types, PT_LOAD without rights, empty ones. */
static void test_segment_kinds(void **state)
{
    unsigned int i;

    (void)state;
    seg_add(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
    seg_add(PT_LOAD, 0, 0x1000000, 0, 0x10, 0x1000);
    seg_add(PT_LOAD, PF_R, 0x10, 0, 0, 0);
    assert_accepts(build());
    assert_int_equal(info.nr_segments, 3);
    assert_true(info.pstart == 0x1000000);

    for (i = 0; i < sp.nr_segs; i++)
        sp.seg[i].flags = 0;
    assert_refuses(build(), "no loadable segments");
}

static void test_segment_count(void **state)
{
    unsigned int i;

    (void)state;
    sp.nr_segs = 0;
    for (i = 0; i < ELF_MAX_SEGMENTS; i++)
        seg_add(PT_LOAD, PF_R, 0x1000000 + i * 0x1000, 0, 0x10, 0x1000);
    note_u64(XEN_ELFNOTE_ENTRY, 0xffffffff81000000ULL);
    assert_accepts(build());
    assert_int_equal(info.nr_segments, ELF_MAX_SEGMENTS);
    assert_true(info.pend == 0x1010000);
    seg_add(PT_LOAD, PF_R, 0x1010000, 0, 0x10, 0x1000);
    assert_refuses(build(), "more than 16 loadable segments");
}

/* ---- notes ---- */

static void test_no_notes(void **state)
{
    unsigned int i;

    (void)state;
    sp.note_segment = false;
    assert_refuses(build(), "no Xen ELF notes");

    /* Only other owners' notes, and names that merely resemble "Xen". */
    sp.note_segment = true;
    for (i = 0; i < sp.nr_notes; i++)
        if (!strcmp(sp.note[i].name, "Xen"))
            sp.note[i].name = i & 1 ? "Xe" : "XenX";
    assert_refuses(build(), "no Xen ELF notes");
}

/* SHT_NOTE sections are the fallback; a zero p_offset is skipped. */
static void test_section_notes(void **state)
{
    size_t n;

    (void)state;
    sp.note_segment = false;
    sp.note_section = true;
    assert_accepts(build());
    assert_true(info.entry == LINUX_ENTRY);
    assert_string_equal(info.guest_os, "linux");

    sp.note_segment = true;
    n = build();
    phdr(sp.nr_segs)->p_offset = 0;
    assert_accepts(n);
    assert_true(info.entry == LINUX_ENTRY);
    sp.note_section = false;
    n = build();
    phdr(sp.nr_segs)->p_offset = 0;
    assert_refuses(n, "no Xen ELF notes");
}

static void test_section_table(void **state)
{
    Elf64_Shdr *sh;
    size_t n;

    (void)state;
    sp.note_segment = false;
    sp.note_section = true;
    n = build();
    ehdr()->e_shoff = ~0ULL - 64;
    assert_refuses(n, "section headers outside the image");
    build();
    ehdr()->e_shnum = 0xff00;
    assert_refuses(n, "bad section header table");
    build();
    ehdr()->e_shentsize = 40;
    assert_refuses(n, "bad section header table");
    build();
    sh = (Elf64_Shdr *)(img + ehdr()->e_shoff);
    sh[2].sh_size = n;
    assert_refuses(n, "note section 2 outside the image");
}

static void test_note_sizes(void **state)
{
    Elf64_Nhdr *nh;
    size_t n;

    (void)state;
    n = build();
    nhdr(XEN_ELFNOTE_GUEST_OS)->n_namesz = 0xffffffff;
    assert_refuses(n, "overruns its container");
    build();
    nhdr(XEN_ELFNOTE_GUEST_OS)->n_descsz = 0xfffffffd;
    assert_refuses(n, "overruns its container");
    build();
    nh = nhdr(XEN_ELFNOTE_ENTRY);
    nh->n_namesz = 0x80000000;
    nh->n_descsz = 0x80000000;
    assert_refuses(n, "overruns its container");

    /* The last note ("Linux", desc 4 bytes) cut short, then the header. */
    build();
    phdr(sp.nr_segs)->p_filesz -= 1;
    assert_refuses(n, "overruns its container");
    build();
    phdr(sp.nr_segs)->p_filesz = 8;
    assert_refuses(n, "truncated note at offset");
    build();
    phdr(sp.nr_segs)->p_offset = n - 4;
    assert_refuses(n, "note segment 3 outside the image");
    build();
    phdr(sp.nr_segs)->p_filesz = ~0ULL;
    assert_refuses(n, "note segment 3 outside the image");
}

/* A last descriptor without its padding is fine. */
static void test_note_unpadded_end(void **state)
{
    size_t n;

    (void)state;
    note_raw("Linux", 0x102, "ab", 2);
    n = build();
    phdr(sp.nr_segs)->p_filesz -= 2;
    assert_accepts(n);
}

static void test_note_numbers(void **state)
{
    uint64_t v[2] = { 0x1122334455667788ULL, 0 };
    uint8_t one = 1;
    uint16_t zero = 0;

    (void)state;
    note_raw("Xen", XEN_ELFNOTE_ENTRY, v, 3);
    assert_refuses(build(), "Xen note 1 has a bad size 3");
    spec_linux();
    note_raw("Xen", XEN_ELFNOTE_INIT_P2M, v, 16);
    assert_refuses(build(), "Xen note 15 has a bad size 16");

    spec_linux();
    note_raw("Xen", XEN_ELFNOTE_MOD_START_PFN, &one, 1);
    note_raw("Xen", XEN_ELFNOTE_SUSPEND_CANCEL, &zero, 2);
    note_u32(XEN_ELFNOTE_INIT_P2M, 0x80000000);
    assert_accepts(build());
    assert_true(info.mod_start_pfn);
    assert_false(info.suspend_cancel);
    assert_true(info.init_p2m == 0x80000000);
}

static void test_supported_features_note(void **state)
{
    uint32_t two[2] = { 0x801, 0xffffffff };

    (void)state;
    note_raw("Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, two, 6);
    assert_refuses(build(), "SUPPORTED_FEATURES note has a bad size 6");
    note_raw("Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, two, 0);
    assert_refuses(build(), "SUPPORTED_FEATURES note has a bad size 0");
    note_raw("Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, two, 8);
    assert_accepts(build());
    assert_int_equal(info.supported_features_note, 0x801);
    assert_true(info.has_supported_features_note);
}

/* The note cap bounds the work of sections that share one note area. */
static void test_note_count(void **state)
{
    Elf64_Shdr sh = { .sh_type = SHT_NOTE, .sh_addralign = 4 };
    unsigned int i, nr = 300;
    size_t off;

    (void)state;
    sp.note_segment = false;
    for (i = 0; i < sp.nr_notes; i++)
        sp.note[i].name = "Other";
    off = ROUNDUP(build(), 8);
    sh.sh_offset = notes_off;
    sh.sh_size = notes_len;
    assert_true(nr * (sp.nr_notes) > 4096);
    for (i = 1; i < nr; i++)
        put(off + i * sizeof(sh), &sh, sizeof(sh));
    ehdr()->e_shoff = off;
    ehdr()->e_shentsize = sizeof(sh);
    ehdr()->e_shnum = nr;
    assert_refuses(off + nr * sizeof(sh), "more than 4096 notes");
}

/* ---- GUEST_OS, LOADER, XEN_VERSION (Xen: elf_xen_note_check) ---- */

static void test_xen_version(void **state)
{
    (void)state;
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    assert_refuses(build(), "not built for Xen 3.0 (XEN_VERSION 'xen-2.0')");
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3");
    assert_refuses(build(), "not built for Xen 3.0");
    note_del(XEN_ELFNOTE_XEN_VERSION);
    assert_refuses(build(), "not built for Xen 3.0 (XEN_VERSION '')");
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0-x86_64");
    assert_accepts(build());
}

static void test_guest_os_loader(void **state)
{
    (void)state;
    note_str(XEN_ELFNOTE_GUEST_OS, "NetBSD");
    assert_accepts(build());
    note_del(XEN_ELFNOTE_LOADER);
    assert_refuses(build(), "neither a Linux image nor built for the "
                            "generic loader (GUEST_OS 'NetBSD', LOADER '')");
    note_str(XEN_ELFNOTE_LOADER, "elf");
    assert_refuses(build(), "LOADER 'elf'");
    note_str(XEN_ELFNOTE_GUEST_OS, "linux");
    assert_accepts(build());
    note_str(XEN_ELFNOTE_GUEST_OS, "lin");
    assert_refuses(build(), "GUEST_OS 'lin'");
    note_del(XEN_ELFNOTE_GUEST_OS);
    note_del(XEN_ELFNOTE_LOADER);
    assert_refuses(build(), "neither a Linux image");
}

static void test_strings(void **state)
{
    (void)state;
    note_str(XEN_ELFNOTE_GUEST_VERSION,
             "0123456789abcdef0123456789abcdefXYZ");
    note_raw("Xen", XEN_ELFNOTE_GUEST_OS, "linux", 5);  /* no NUL */
    note_raw("Xen", XEN_ELFNOTE_LOADER, "", 0);
    assert_accepts(build());
    assert_string_equal(info.guest_version,
                        "0123456789abcdef0123456789abcde");
    assert_string_equal(info.guest_os, "linux");
    assert_string_equal(info.loader, "");

    /* Control bytes and non-ASCII become '?', in info and in the log. */
    note_str(XEN_ELFNOTE_GUEST_OS, "linux\n\x01\xffx");
    note_str(XEN_ELFNOTE_FEATURES, "ab\ncd|!fo\no");
    assert_refuses(build(), "requires unknown feature 'fo?o'");
    assert_true(log_lines_known());
    note_str(XEN_ELFNOTE_FEATURES, "ab\ncd");
    assert_accepts(build());
    assert_string_equal(info.guest_os, "linux???x");
    assert_true(contains(log_buf, "ignoring unknown feature 'ab?cd'"));
    assert_true(log_lines_known());
}

/* ---- addresses ---- */

static void test_entry(void **state)
{
    (void)state;
    note_u64(XEN_ELFNOTE_ENTRY, 0xffffffff80ffffffULL);
    assert_refuses(build(), "entry 0xffffffff80ffffff outside the kernel "
                            "image 0xffffffff81000000-0xffffffff84a00000");
    note_u64(XEN_ELFNOTE_ENTRY, 0xffffffff84a00000ULL);
    assert_refuses(build(), "entry 0xffffffff84a00000 outside");
    note_u64(XEN_ELFNOTE_ENTRY, 0xffffffff849fffffULL);
    assert_accepts(build());
    note_u64(XEN_ELFNOTE_ENTRY, 0xffffffff81000000ULL);
    assert_accepts(build());
}

static void test_virt_base(void **state)
{
    (void)state;
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, 0x2000000);
    assert_refuses(build(), "VIRT_BASE 0xffffffff80000000 above the kernel "
                            "start 0xffffffff7f000000");
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, 0);
    note_u64(XEN_ELFNOTE_VIRT_BASE, LINUX_VBASE + 0x800);
    assert_refuses(build(), "VIRT_BASE 0xffffffff80000800 not page aligned");
    note_u64(XEN_ELFNOTE_VIRT_BASE, 0xfffffffffc000000ULL);
    assert_refuses(build(), "wraps around");
}

/* Move the Linux image so that VIRT_BASE is base. */
static void relocate(uint64_t base)
{
    note_u64(XEN_ELFNOTE_VIRT_BASE, base);
    note_u64(XEN_ELFNOTE_ENTRY, base + 0x1000100);
}

static void test_hypervisor_hole(void **state)
{
    (void)state;
    relocate(HOLE_START);
    assert_refuses(build(), "overlaps the hypervisor hole");
    relocate(HOLE_END - 0x2000000);
    assert_refuses(build(), "overlaps the hypervisor hole");
    relocate(HOLE_END);
    assert_accepts(build());
    /* Lower half: crossing into non-canonical space, or ending at it. */
    relocate(0x00007fffff000000ULL);
    assert_refuses(build(), "0x7fffff000000-0x800003a00000 overlaps");
    relocate(0x0000800000000000ULL - 0x4a00000);
    assert_accepts(build());
    assert_true(info.virt_kend == 0x0000800000000000ULL);
}

static void test_init_p2m(void **state)
{
    (void)state;
    note_u64(XEN_ELFNOTE_INIT_P2M, 0xffffffff82000000ULL);
    assert_refuses(build(), "INIT_P2M 0xffffffff82000000 inside");
    note_u64(XEN_ELFNOTE_INIT_P2M, LINUX_VBASE + 0x1000);
    assert_refuses(build(), "INIT_P2M");
    note_u64(XEN_ELFNOTE_INIT_P2M, HOLE_START + 0x1000);
    assert_refuses(build(), "INIT_P2M");
    note_u64(XEN_ELFNOTE_INIT_P2M, 0x0000900000000000ULL);
    assert_refuses(build(), "INIT_P2M");
    note_u64(XEN_ELFNOTE_INIT_P2M, 0xffffffff84a00000ULL);
    assert_accepts(build());
    note_u64(XEN_ELFNOTE_INIT_P2M, HOLE_END);
    assert_accepts(build());
}

static void test_hypercall_page(void **state)
{
    (void)state;
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff81001000ULL);
    assert_accepts(build());
    assert_true(info.has_hypercall_page);
    assert_true(info.hypercall_page == 0xffffffff81001000ULL);
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff849ff000ULL);
    assert_accepts(build());
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff81001008ULL);
    assert_refuses(build(), "HYPERCALL_PAGE 0xffffffff81001008 not a page");
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, LINUX_VBASE);
    assert_refuses(build(), "HYPERCALL_PAGE");
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff84a00000ULL);
    assert_refuses(build(), "HYPERCALL_PAGE");
}

/* ---- FEATURES ---- */

static void features(const char *s)
{
    note_del(XEN_ELFNOTE_SUPPORTED_FEATURES);
    note_str(XEN_ELFNOTE_FEATURES, s);
}

static void test_features(void **state)
{
    (void)state;
    features("writable_page_tables|writable_descriptor_tables|"
             "auto_translated_physmap|supervisor_mode_kernel|"
             "pae_pgdir_above_4gb|hvm_callback_vector|dom0");
    assert_accepts(build());
    assert_int_equal(info.features_supported[0], 0x91f);
    assert_int_equal(info.features_required[0], 0);
    assert_false(info.has_supported_features_note);

    features("||!dom0||!auto_translated_physmap");
    assert_accepts(build());
    assert_int_equal(info.features_required[0], 0x804);
    assert_int_equal(info.features_supported[0], 0x804);

    features("");
    assert_accepts(build());
    assert_int_equal(info.features_supported[0], 0);
}

static void test_features_unknown(void **state)
{
    (void)state;
    features("foo|dom0|dom|dom0x|writable_page_tables_extra|"
             "mmu_pt_update_preserve_ad");
    assert_accepts(build());
    assert_int_equal(info.features_supported[0], 1u << XENFEAT_dom0);
    assert_true(contains(log_buf, "ignoring unknown feature 'foo'"));
    features("dom0|!foo");
    assert_refuses(build(), "requires unknown feature 'foo'");
    features("!");
    assert_refuses(build(), "requires unknown feature ''");
    features("!dom");
    assert_refuses(build(), "requires unknown feature 'dom'");
    features("!!dom0");
    assert_refuses(build(), "requires unknown feature '!dom0'");
}

/* Repeated FEATURES notes and the SUPPORTED_FEATURES bitmap add up. */
static void test_features_merge(void **state)
{
    (void)state;
    features("!writable_page_tables");
    assert_true(sp.nr_notes < MAX_NOTES);
    sp.note[sp.nr_notes] = *note_find(XEN_ELFNOTE_FEATURES);
    memcpy(sp.note[sp.nr_notes].desc, "dom0", 5);
    sp.note[sp.nr_notes++].descsz = 5;
    note_u32(XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << 15);
    assert_accepts(build());
    assert_int_equal(info.features_required[0], 1);
    assert_int_equal(info.features_supported[0], 0x8801);
    assert_int_equal(info.supported_features_note, 0x8000);
}

/* ---- dom0 (Xen: initdom_check_parms, dom0_construct) ---- */

static int check_dom0(const uint32_t *offer)
{
    int rc;

    log_begin();
    rc = elf_check_dom0(&info, offer);
    log_end();
    return rc;
}

static void test_dom0(void **state)
{
    static const uint32_t no_wpt[XENFEAT_NR_SUBMAPS] = {
        1u << XENFEAT_dom0,
    };

    (void)state;
    assert_accepts(build());
    assert_int_equal(check_dom0(pv_offer), 0);
    assert_int_equal(err_lines(), 0);
    assert_int_equal(check_dom0(no_wpt), -XEN_EINVAL);
    assert_int_equal(err_lines(), 1);
    assert_true(contains(log_buf, "requires feature 0, which is not offered"));

    note_str(XEN_ELFNOTE_FEATURES, "!supervisor_mode_kernel");
    assert_accepts(build());
    assert_int_equal(check_dom0(pv_offer), -XEN_EINVAL);
    assert_true(contains(log_buf, "requires feature 3"));
}

static void test_dom0_supported(void **state)
{
    (void)state;
    note_u32(XEN_ELFNOTE_SUPPORTED_FEATURES, 1);
    assert_accepts(build());
    assert_int_equal(check_dom0(pv_offer), -XEN_EINVAL);
    assert_int_equal(err_lines(), 1);
    assert_true(contains(log_buf, "does not support dom0 operation"));

    /* As in Xen, "dom0" in FEATURES counts too. */
    note_str(XEN_ELFNOTE_FEATURES, "!writable_page_tables|dom0");
    assert_accepts(build());
    assert_int_equal(check_dom0(pv_offer), 0);

    /* Without the note, nothing is known: accepted. */
    note_del(XEN_ELFNOTE_SUPPORTED_FEATURES);
    note_str(XEN_ELFNOTE_FEATURES, "!writable_page_tables");
    assert_accepts(build());
    assert_int_equal(check_dom0(pv_offer), 0);
}

/* ---- mutation fuzzing ---- */

static uint64_t rnd_state = 0x4b65656c2d656c66ULL;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static void mutate(size_t full)
{
    static const uint8_t special[] = { 0, 0xff, 0x7f, 0x80, 1, 8, '\n',
                                       '|', '!' };
    unsigned int k, flips = 1 + rnd() % 8;
    size_t pos, hot = notes_off + notes_len;

    for (k = 0; k < flips; k++) {
        pos = rnd() % (rnd() & 1 ? hot : full);
        switch (rnd() % 3) {
        case 0: img[pos] ^= 1u << (rnd() % 8); break;
        case 1: img[pos] = (uint8_t)rnd(); break;
        default: img[pos] = special[rnd() % sizeof(special)]; break;
        }
    }
}

/* What an accepted image promises a builder. */
static void check_accepted(size_t size)
{
    unsigned int i;

    assert_true(info.nr_segments >= 1 &&
                info.nr_segments <= ELF_MAX_SEGMENTS);
    for (i = 0; i < info.nr_segments; i++) {
        const struct elf_segment *s = &info.segments[i];

        assert_true(s->filesz <= s->memsz);
        assert_true(s->offset <= size && s->filesz <= size - s->offset);
        assert_true(s->paddr >= info.pstart &&
                    s->paddr + s->memsz <= info.pend);
    }
    assert_true(info.virt_base <= info.virt_kstart);
    assert_true(info.entry >= info.virt_kstart &&
                info.entry < info.virt_kend);
    assert_true(info.virt_kend <= 0x0000800000000000ULL ||
                info.virt_base >= HOLE_END);
    assert_true(!strncmp(info.xen_version, "xen-3.0", 7));
    assert_int_equal(load(size), 0);
    assert_int_equal(rec.n > 0, 1);
}

static void test_fuzz(void **state)
{
    unsigned int iter, accepted = 0;
    size_t full, size;
    int rc;

    (void)state;
    sp.note_section = true;
    full = build();
    for (iter = 0; iter < 20000; iter++) {
        memcpy(img, pristine, full);
        mutate(full);
        size = rnd() % 10 ? full : rnd() % (full + 1);
        rc = parse(size);
        assert_true(rc == 0 || rc == -XEN_EINVAL);
        assert_int_equal(err_lines(), rc ? 1 : 0);
        assert_true(log_lines_known());
        if (rc)
            continue;
        accepted++;
        check_accepted(size);
        check_dom0(pv_offer);
    }
    print_message("fuzz: %u of 20000 mutants accepted\n", accepted);
    assert_true(accepted > 100 && accepted < 19000);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_linux_image),
        T(test_segment_order),
        T(test_default_entry),
        T(test_default_bases),
        T(test_paddr_offset),
        T(test_load),
        T(test_load_partial),
        T(test_load_checks),
        T(test_truncated),
        T(test_header),
        T(test_phdr_table),
        T(test_segment_bounds),
        T(test_segment_kinds),
        T(test_segment_count),
        T(test_no_notes),
        T(test_section_notes),
        T(test_section_table),
        T(test_note_sizes),
        T(test_note_unpadded_end),
        T(test_note_numbers),
        T(test_supported_features_note),
        T(test_note_count),
        T(test_xen_version),
        T(test_guest_os_loader),
        T(test_strings),
        T(test_entry),
        T(test_virt_base),
        T(test_hypervisor_hole),
        T(test_init_p2m),
        T(test_hypercall_page),
        T(test_features),
        T(test_features_unknown),
        T(test_features_merge),
        T(test_dom0),
        T(test_dom0_supported),
        T(test_fuzz),
    };
    FILE *log = tmpfile();

    if (!log)
        return 1;
    log_fd = fileno(log);
    /* The harness prints log lines to stderr only when asked. */
    setenv("KEEL_TEST_VERBOSE", "1", 1);
    return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
