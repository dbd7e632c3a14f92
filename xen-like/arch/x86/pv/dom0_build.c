/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dom0 builder: an ELF PV kernel (first module) with Xen notes becomes
 * domain 0, laid out as public/xen.h's start-of-day contract says: the
 * kernel, the p2m list, start_info, the bootstrap page tables (read-only,
 * typed, L4 pinned), one page of stack, all at VIRT_BASE + pfn * 4K.
 */
#include <hv/abi.h>
#include <hv/boot.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/elf.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/xmalloc.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/pv/dom0.h>
#include <asm/pv/mm.h>

#define MB4                 (4UL << 20)
#define L1_PROT             (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | \
                             _PAGE_ACCESSED | _PAGE_DIRTY)
#define TABLE_PROT          L1_PROT
#define HYPERCALL_STUB_SIZE 32

/*
 * Virtual layout of the boot region (VIRT_BASE + pfn * 4K), then the
 * frames after it: the initrd (with MOD_START_PFN, unmapped) and the p2m
 * of INIT_P2M (its data, then its own page tables).
 */
struct layout {
    unsigned long v_start, v_kend, v_initrd, v_p2m, v_si, v_pt, v_stack;
    unsigned long v_end;
    unsigned long nr_pt;
    unsigned long initrd_pfn;           /* with MOD_START_PFN */
    unsigned long p2m_pfn, p2m_data, p2m_tables;    /* with INIT_P2M */
};

struct builder {
    struct domain *d;
    const struct xen_elf_info *elf;
    struct layout lay;
    unsigned long nr_pages;
    unsigned long *mfns;        /* pfn -> mfn */
    unsigned long next_pt;      /* next boot page-table pfn to hand out */
    unsigned long next_p2m_pt;  /* next INIT_P2M table pfn */
    const void *initrd;
    size_t initrd_len;
};

static unsigned long span(unsigned long s, unsigned long e, unsigned int sh)
{
    return ((e - 1) >> sh) - (s >> sh) + 1;
}

/* Tables needed to map [s, e): one L4 plus L3s, L2s and L1s. */
static unsigned long count_tables(unsigned long s, unsigned long e)
{
    return 1 + span(s, e, L4_SHIFT) + span(s, e, L3_SHIFT) +
           span(s, e, L2_SHIFT);
}

static unsigned long pages_of(unsigned long bytes)
{
    return (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/* Boot region: kernel, [initrd], [p2m], start_info, tables, stack. */
static void layout_boot_region(struct builder *b)
{
    struct layout *l = &b->lay;
    unsigned long next, stack_end;

    l->v_start = b->elf->virt_base;
    next = l->v_kend = ROUNDUP(b->elf->virt_kend, PAGE_SIZE);
    if (b->initrd && !b->elf->mod_start_pfn) {
        l->v_initrd = next;
        next += pages_of(b->initrd_len) << PAGE_SHIFT;
    }
    l->v_p2m = b->elf->has_init_p2m ? b->elf->init_p2m : next;
    if (!b->elf->has_init_p2m)
        next += pages_of(b->nr_pages * sizeof(unsigned long)) << PAGE_SHIFT;
    l->v_si = next;
    l->v_pt = l->v_si + PAGE_SIZE;
    for (l->nr_pt = 1;; l->nr_pt++) {
        l->v_stack = l->v_pt + l->nr_pt * PAGE_SIZE;
        stack_end = l->v_stack + PAGE_SIZE;
        l->v_end = ROUNDUP(stack_end, MB4);
        if (l->v_end - stack_end < (512UL << 10))
            l->v_end += MB4;
        if (count_tables(l->v_start, l->v_end) <= l->nr_pt)
            break;
    }
}

/* Frames after the boot region; returns the first pfn still free. */
static unsigned long layout_after(struct builder *b)
{
    struct layout *l = &b->lay;
    unsigned long pfn = (l->v_end - l->v_start) >> PAGE_SHIFT, end;

    if (b->initrd && b->elf->mod_start_pfn) {
        l->initrd_pfn = pfn;
        pfn += pages_of(b->initrd_len);
    }
    if (b->elf->has_init_p2m) {
        l->p2m_pfn = pfn;
        l->p2m_data = pages_of(b->nr_pages * sizeof(unsigned long));
        end = l->v_p2m + (l->p2m_data << PAGE_SHIFT);
        l->p2m_tables = count_tables(l->v_p2m, end) - 1;    /* no new L4 */
        pfn += l->p2m_data + l->p2m_tables;
    }
    return pfn;
}

static int compute_layout(struct builder *b)
{
    struct layout *l = &b->lay;
    unsigned long need;

    layout_boot_region(b);
    need = layout_after(b);
    if (need > b->nr_pages) {
        pr_err("dom0: %lu pages are too few: its boot region, initrd and "
               "p2m need %lu\n", b->nr_pages, need);
        return -XEN_ENOMEM;
    }
    if (l->v_end > GUEST_HOLE_START && l->v_start < GUEST_HOLE_END) {
        pr_err("dom0: boot region overlaps the hypervisor hole\n");
        return -XEN_EINVAL;
    }
    if (b->elf->has_init_p2m &&
        l4_index(l->v_p2m) == l4_index(l->v_start)) {
        pr_err("dom0: INIT_P2M shares the boot region's L4 slot\n");
        return -XEN_EINVAL;
    }
    return 0;
}

static void *pfn_va(const struct builder *b, unsigned long pfn)
{
    return mfn_to_virt(_mfn(b->mfns[pfn]));
}

static void *va_to_hv(const struct builder *b, unsigned long va)
{
    return (char *)pfn_va(b, (va - b->lay.v_start) >> PAGE_SHIFT) +
           (va & (PAGE_SIZE - 1));
}

/* ELF load callbacks: paddr -> bootstrap VA -> pfn -> our mapping. */
static void load_copy(void *ctx, uint64_t paddr, const void *src, size_t len)
{
    struct builder *b = ctx;
    unsigned long va = paddr + b->elf->virt_base - b->elf->paddr_offset;

    while (len) {
        size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));

        memcpy(va_to_hv(b, va), src, n);
        va += n, src = (const char *)src + n, len -= n;
    }
}

static void load_zero(void *ctx, uint64_t paddr, size_t len)
{
    (void)ctx, (void)paddr, (void)len;    /* every dom0 frame starts zeroed */
}

static bool is_pt_pfn(const struct builder *b, unsigned long pfn)
{
    unsigned long first = (b->lay.v_pt - b->lay.v_start) >> PAGE_SHIFT;

    return pfn >= first && pfn < first + b->lay.nr_pt;
}

/* The entry of table[idx], taking the table pfn *next if it is empty. */
static uint64_t *next_table(struct builder *b, uint64_t *table,
                            unsigned int idx, unsigned long *next)
{
    if (!(table[idx] & _PAGE_PRESENT))
        table[idx] = ((uint64_t)b->mfns[(*next)++] << PAGE_SHIFT) |
                     TABLE_PROT;
    return mfn_to_virt(_mfn((table[idx] & PADDR_MASK) >> PAGE_SHIFT));
}

static void map_page(struct builder *b, uint64_t *l4, unsigned long va,
                     unsigned long pfn, uint64_t prot, unsigned long *next)
{
    uint64_t *l3 = next_table(b, l4, l4_index(va), next);
    uint64_t *l2 = next_table(b, l3, l3_index(va), next);
    uint64_t *l1 = next_table(b, l2, l2_index(va), next);

    l1[l1_index(va)] = ((uint64_t)b->mfns[pfn] << PAGE_SHIFT) | prot;
}

static void build_page_tables(struct builder *b)
{
    const struct layout *l = &b->lay;
    uint64_t *l4 = pfn_va(b, (l->v_pt - l->v_start) >> PAGE_SHIFT);
    unsigned long va;

    b->next_pt = ((l->v_pt - l->v_start) >> PAGE_SHIFT) + 1;
    for (va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
        unsigned long pfn = (va - l->v_start) >> PAGE_SHIFT;

        map_page(b, l4, va, pfn,
                 is_pt_pfn(b, pfn) ? L1_PROT & ~_PAGE_RW : L1_PROT,
                 &b->next_pt);
    }
    BUG_ON(b->next_pt > ((l->v_pt - l->v_start) >> PAGE_SHIFT) + l->nr_pt);
    if (!b->elf->has_init_p2m)
        return;
    /* INIT_P2M: its own L3/L2/L1s, after its data frames. */
    b->next_p2m_pt = l->p2m_pfn + l->p2m_data;
    for (va = 0; va < l->p2m_data; va++)
        map_page(b, l4, l->v_p2m + (va << PAGE_SHIFT), l->p2m_pfn + va,
                 L1_PROT, &b->next_p2m_pt);
    BUG_ON(b->next_p2m_pt > l->p2m_pfn + l->p2m_data + l->p2m_tables);
}

/* The p2m list: in the boot region, or in its INIT_P2M frames. */
static void write_p2m(struct builder *b)
{
    const unsigned long per_page = PAGE_SIZE / sizeof(unsigned long);
    unsigned long pfn;

    for (pfn = 0; pfn < b->nr_pages; pfn++) {
        unsigned long *e;

        if (b->elf->has_init_p2m)
            e = (unsigned long *)pfn_va(b, b->lay.p2m_pfn + pfn / per_page) +
                pfn % per_page;
        else
            e = va_to_hv(b, b->lay.v_p2m + pfn * sizeof(*e));
        *e = b->mfns[pfn];
    }
}

/* The initrd: mapped after the kernel, or (MOD_START_PFN) only placed. */
static void load_initrd(struct builder *b)
{
    const struct layout *l = &b->lay;
    size_t off;

    for (off = 0; b->initrd && off < b->initrd_len; off += PAGE_SIZE) {
        size_t n = MIN(b->initrd_len - off, PAGE_SIZE);
        void *dst = b->elf->mod_start_pfn
                        ? pfn_va(b, l->initrd_pfn + off / PAGE_SIZE)
                        : va_to_hv(b, l->v_initrd + off);

        memcpy(dst, (const char *)b->initrd + off, n);
    }
}

static void write_start_info(struct builder *b, const char *cmdline)
{
    struct start_info *si = va_to_hv(b, b->lay.v_si);

    strlcpy((char *)si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = b->nr_pages;
    si->shared_info = (unsigned long)mfn_x(b->d->shared_info_mfn)
                      << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    si->pt_base = b->lay.v_pt;
    si->nr_pt_frames = b->lay.nr_pt;
    si->mfn_list = b->lay.v_p2m;
    if (b->elf->has_init_p2m) {
        si->first_p2m_pfn = b->lay.p2m_pfn;
        si->nr_p2m_frames = b->lay.p2m_data + b->lay.p2m_tables;
    }
    if (b->initrd) {
        si->mod_len = b->initrd_len;
        si->mod_start = b->elf->mod_start_pfn ? b->lay.initrd_pfn
                                              : b->lay.v_initrd;
        if (b->elf->mod_start_pfn)
            si->flags |= SIF_MOD_START_PFN;
    }
    strlcpy((char *)si->cmd_line, cmdline, sizeof(si->cmd_line));
}

/* Stub i: push rcx; push r11; mov $i,%eax; syscall; pop r11; pop rcx; ret.
 * iret's stub leaves rax pushed and never returns. */
static void fill_hypercall_page(uint8_t *p)
{
    static const uint8_t call[] = { 0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0,
                                    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
    static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0,
                                    0, 0x0f, 0x05 };
    unsigned int i;

    memset(p, 0xcc, PAGE_SIZE);
    for (i = 0; i < PAGE_SIZE / HYPERCALL_STUB_SIZE; i++) {
        uint8_t *s = p + i * HYPERCALL_STUB_SIZE;

        if (i == __HYPERVISOR_iret) {
            memcpy(s, iret, sizeof(iret));
            continue;
        }
        memcpy(s, call, sizeof(call));
        memcpy(s + 4, &i, 4);
    }
}

static void init_vcpu0(struct builder *b, struct vcpu *v)
{
    struct cpu_regs *r = &v->arch.regs;

    memset(r, 0, sizeof(*r));
    r->rip = b->elf->entry;
    r->rsp = b->lay.v_stack + PAGE_SIZE;
    r->rsi = b->lay.v_si;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rflags = X86_EFLAGS_IF | 0x2;
    v->arch.kernel_mode = true;
    v->arch.guest_table = _mfn(b->mfns[(b->lay.v_pt - b->lay.v_start) >>
                                       PAGE_SHIFT]);
}

static int load_and_lay_out(struct builder *b, const void *img, size_t size,
                            const char *cmdline)
{
    int rc;

    rc = elf_load_segments(img, size, b->elf, load_copy, load_zero, b);
    if (rc)
        return rc;
    load_initrd(b);
    write_p2m(b);
    write_start_info(b, cmdline);
    build_page_tables(b);
    if (b->elf->has_hypercall_page)
        fill_hypercall_page(va_to_hv(b, b->elf->hypercall_page));
    return 0;
}

static void print_layout(const struct builder *b)
{
    const struct layout *l = &b->lay;

    pr_info("dom0: %lu pages; kernel %#lx-%#lx, entry %#lx\n", b->nr_pages,
            b->elf->virt_kstart, l->v_kend, b->elf->entry);
    pr_info("dom0: p2m %#lx, start_info %#lx, %lu page tables at %#lx, "
            "stack %#lx, end %#lx\n", l->v_p2m, l->v_si, l->nr_pt, l->v_pt,
            l->v_stack, l->v_end);
    if (b->initrd)
        pr_info("dom0: initrd %zu KiB %s %#lx\n", b->initrd_len >> 10,
                b->elf->mod_start_pfn ? "at pfn" : "at",
                b->elf->mod_start_pfn ? l->initrd_pfn : l->v_initrd);
}

int dom0_construct(struct domain *d, struct vcpu *v,
                   const struct dom0_images *img, unsigned long nr_pages,
                   const char *cmdline)
{
    struct xen_elf_info *elf = xzalloc(struct xen_elf_info);
    struct builder b = { .d = d, .elf = elf, .nr_pages = nr_pages,
                         .initrd = img->initrd,
                         .initrd_len = img->initrd_len };
    int rc = -XEN_ENOMEM;

    if (!elf || !(b.mfns = xzalloc_array(unsigned long, nr_pages)))
        goto out;
    if ((rc = elf_parse_xen(img->kernel, img->kernel_len, elf)) ||
        (rc = elf_check_dom0(elf, dom0_hv_features())) ||
        (rc = compute_layout(&b)))
        goto out;
    if ((rc = domain_populate(d, nr_pages, b.mfns)))
        goto out;
    if ((rc = load_and_lay_out(&b, img->kernel, img->kernel_len, cmdline)))
        goto out;
    init_vcpu0(&b, v);
    rc = pagetype_pin(d, v->arch.guest_table, 4);
    if (!rc && get_page_and_type(mfn_to_page(v->arch.guest_table), d,
                                 PGT_l4_page_table))
        rc = -XEN_EINVAL;
    if (rc)
        pr_err("dom0: its bootstrap page tables do not validate (%d)\n", rc);
    else
        print_layout(&b);
out:
    xfree(b.mfns);
    xfree(elf);
    return rc;
}
