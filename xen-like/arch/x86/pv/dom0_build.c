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

struct layout {
    unsigned long v_start, v_kend, v_p2m, v_si, v_pt, v_stack, v_end;
    unsigned long nr_pt;
};

struct builder {
    struct domain *d;
    const struct xen_elf_info *elf;
    struct layout lay;
    unsigned long nr_pages;
    unsigned long *mfns;        /* pfn -> mfn */
    unsigned long next_pt;      /* next page-table pfn to hand out */
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

static int compute_layout(struct builder *b)
{
    struct layout *l = &b->lay;
    unsigned long stack_end;

    l->v_start = b->elf->virt_base;
    l->v_kend = ROUNDUP(b->elf->virt_kend, PAGE_SIZE);
    l->v_p2m = l->v_kend;
    l->v_si = ROUNDUP(l->v_p2m + b->nr_pages * sizeof(unsigned long),
                      PAGE_SIZE);
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
    if ((l->v_end - l->v_start) >> PAGE_SHIFT > b->nr_pages) {
        pr_err("dom0: %lu pages are too few for its %lu-page boot region\n",
               b->nr_pages, (l->v_end - l->v_start) >> PAGE_SHIFT);
        return -XEN_ENOMEM;
    }
    if (l->v_end > GUEST_HOLE_START && l->v_start < GUEST_HOLE_END) {
        pr_err("dom0: boot region overlaps the hypervisor hole\n");
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

/* The entry of table[idx], allocating the next bootstrap table if empty. */
static uint64_t *next_table(struct builder *b, uint64_t *table,
                            unsigned int idx)
{
    if (!(table[idx] & _PAGE_PRESENT)) {
        BUG_ON(!is_pt_pfn(b, b->next_pt));
        table[idx] = ((uint64_t)b->mfns[b->next_pt++] << PAGE_SHIFT) |
                     TABLE_PROT;
    }
    return mfn_to_virt(_mfn((table[idx] & PADDR_MASK) >> PAGE_SHIFT));
}

static void build_page_tables(struct builder *b)
{
    const struct layout *l = &b->lay;
    uint64_t *l4 = pfn_va(b, (l->v_pt - l->v_start) >> PAGE_SHIFT);
    unsigned long va;

    b->next_pt = ((l->v_pt - l->v_start) >> PAGE_SHIFT) + 1;
    for (va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
        unsigned long pfn = (va - l->v_start) >> PAGE_SHIFT;
        uint64_t *l3 = next_table(b, l4, l4_index(va));
        uint64_t *l2 = next_table(b, l3, l3_index(va));
        uint64_t *l1 = next_table(b, l2, l2_index(va));
        uint64_t prot = is_pt_pfn(b, pfn) ? L1_PROT & ~_PAGE_RW : L1_PROT;

        l1[l1_index(va)] = ((uint64_t)b->mfns[pfn] << PAGE_SHIFT) | prot;
    }
}

static void write_p2m(struct builder *b)
{
    unsigned long pfn;

    for (pfn = 0; pfn < b->nr_pages; pfn++) {
        unsigned long *e = va_to_hv(b, b->lay.v_p2m + pfn * sizeof(*e));

        *e = b->mfns[pfn];
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
}

int dom0_construct(struct domain *d, struct vcpu *v, const void *img,
                   size_t size, unsigned long nr_pages, const char *cmdline)
{
    struct xen_elf_info *elf = xzalloc(struct xen_elf_info);
    struct builder b = { .d = d, .elf = elf, .nr_pages = nr_pages };
    int rc = -XEN_ENOMEM;

    if (!elf || !(b.mfns = xzalloc_array(unsigned long, nr_pages)))
        goto out;
    if ((rc = elf_parse_xen(img, size, elf)) ||
        (rc = elf_check_dom0(elf, dom0_hv_features())) ||
        (rc = compute_layout(&b)))
        goto out;
    if ((rc = domain_populate(d, nr_pages, b.mfns)))
        goto out;
    if ((rc = load_and_lay_out(&b, img, size, cmdline)))
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
