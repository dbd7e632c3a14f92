/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PV segments: the guest's GDT frames (set_gdt), single descriptors
 * (update_descriptor), FS/GS bases (set_segment_base), and the check
 * every guest descriptor passes.
 */
#include <hv/abi.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/mm.h>

#define DESC_PER_PAGE   (PAGE_SIZE / 8)
#define DESC_TYPE       (0xfUL << 40)
#define DESC_S          (1UL << 44)     /* code/data, not system */
#define DESC_DPL        (3UL << 45)
#define DESC_P          (1UL << 47)
#define DESC_GATE_SEL   (0xffffUL << 16)
#define DESC_GATE_RSVD  (0xffUL << 32)
#define TYPE_CALL_GATE  (0xcUL << 40)
#define SEL_LDT         4               /* TI: the selector is the LDT's */

/* Access rights as lar returns them. */
#define AR_READABLE     (1u << 9)
#define AR_CODE         (1u << 11)
#define AR_S            (1u << 12)
#define AR_P            (1u << 15)

static unsigned int frames_of(unsigned int entries)
{
    return (entries + DESC_PER_PAGE - 1) / DESC_PER_PAGE;
}

/* A gate may lead only to guest code: its GDT, its LDT, or its flat CS. */
static bool gate_selector_ok(unsigned int sel)
{
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY || (sel & SEL_LDT) ||
           sel == FLAT_KERNEL_CS;
}

int descriptor_check(uint64_t *desc)
{
    uint64_t d = *desc;
    unsigned int sel;

    if (!(d & DESC_P))
        return 0;                   /* loading it faults */
    if (d & DESC_S) {
        *desc = d | DESC_DPL;       /* code/data: for ring 3 only */
        return 0;
    }
    if (!(d & DESC_TYPE))
        return 0;                   /* type 0 (a gate's upper half) faults */
    if ((d & DESC_TYPE) != TYPE_CALL_GATE || (d & DESC_GATE_RSVD))
        return -XEN_EINVAL;         /* TSS, LDT, interrupt/trap gates */
    sel = (d & DESC_GATE_SEL) >> 16;
    if (!gate_selector_ok(sel))
        return -XEN_EINVAL;
    /* DPL 0: a call through it traps (Xen emulates it, Keel bounces the
     * #GP); the DPL the guest meant, 3, is kept in the target's RPL. */
    *desc = (d & ~(DESC_DPL | DESC_GATE_SEL)) | ((uint64_t)(sel | 3) << 16);
    return 0;
}

/* Takes a seg_desc reference on each of the nr frames: all or none. */
static int get_gdt_frames(struct domain *d, const xen_pfn_t *list,
                          mfn_t *frames, unsigned int nr)
{
    unsigned int i;

    for (i = 0; i < nr; i++) {
        frames[i] = _mfn(list[i]);
        if (list[i] >= max_page ||
            get_page_and_type(mfn_to_page(frames[i]), d, PGT_seg_desc_page))
            goto fail;
    }
    return 0;
fail:
    while (i--)
        put_page_and_type(mfn_to_page(frames[i]));
    return -XEN_EINVAL;
}

void descriptor_load_gdt(const struct vcpu *v)
{
    desc_map_guest_gdt(v->arch.gdt_frames, frames_of(v->arch.gdt_ents));
}

/* Installs list[0..) as v's GDT frames (typed, all or none); the old
 * frames are released.  load: v runs here, map them now. */
int pv_set_gdt(struct vcpu *v, const xen_pfn_t *list, unsigned int entries,
               bool load)
{
    mfn_t frames[FIRST_RESERVED_GDT_PAGE], old[FIRST_RESERVED_GDT_PAGE];
    unsigned int nr, old_nr = frames_of(v->arch.gdt_ents);
    int rc;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    nr = frames_of(entries);
    rc = get_gdt_frames(v->domain, list, frames, nr);
    if (rc)
        return rc;
    memcpy(old, v->arch.gdt_frames, sizeof(old));
    memcpy(v->arch.gdt_frames, frames, sizeof(frames));
    v->arch.gdt_ents = entries;
    if (load)
        descriptor_load_gdt(v);         /* the old frames are unmapped */
    while (old_nr--)
        put_page_and_type(mfn_to_page(old[old_nr]));
    return 0;
}

long do_set_gdt(unsigned long frame_list, unsigned long entries)
{
    xen_pfn_t list[FIRST_RESERVED_GDT_PAGE];

    entries = (unsigned int)entries;    /* Xen's argument is 32-bit */
    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (copy_from_guest(list, (const void *)frame_list,
                        frames_of(entries) * sizeof(*list)))
        return -XEN_EFAULT;
    return pv_set_gdt(current, list, entries, true);
}

long do_update_descriptor(unsigned long maddr, unsigned long desc)
{
    struct domain *d = current->domain;
    mfn_t mfn = _mfn(maddr >> PAGE_SHIFT);
    struct page_info *pg;
    unsigned long type;
    int rc;

    /* Misaligned, it would change halves of two descriptors. */
    if ((maddr & 7) || descriptor_check(&desc))
        return -XEN_EINVAL;
    if (mfn_x(mfn) >= max_page)
        return -XEN_EINVAL;
    pg = mfn_to_page(mfn);
    if (!get_page(pg, d))
        return -XEN_EINVAL;
    type = ACCESS_ONCE(pg->type_info) & PGT_type_mask;
    if (type != PGT_seg_desc_page)
        type = PGT_writable_page;
    rc = get_page_type(pg, type);
    if (!rc) {
        uint64_t *slot = (uint64_t *)((char *)mfn_to_virt(mfn) +
                                      (maddr & ~PAGE_MASK));

        ACCESS_ONCE(*slot) = desc;
        put_page_type(pg);
    }
    put_page(pg);
    return rc ? -XEN_EINVAL : 0;
}

/* Would loading sel into a data segment register fault?  (lar does the
 * limit and privilege checks; present and type are left to us.) */
/* An LDT selector's page must be mapped before lar reads it from Keel's
 * own context; false if it is beyond the LDT or cannot be mapped. */
static bool ldt_entry_ready(struct vcpu *v, unsigned int sel)
{
    unsigned long index = sel >> 3, page = index / 512;

    if (index >= v->arch.ldt_ents)
        return false;
    return (v->arch.ldt_mapped & (1u << page)) ||
           pv_ldt_fault(v, LDT_VIRT(v->processor) + index * 8);
}

static bool data_selector_ok(struct vcpu *v, unsigned int sel)
{
    unsigned int ar;
    bool ok;

    if ((sel & SEL_LDT) && !ldt_entry_ready(v, sel))
        return false;
    __asm__ __volatile__("lar %[sel], %[ar]"
                         : "=@ccz"(ok), [ar] "=r"(ar) : [sel] "r"(sel));
    return ok && (ar & AR_P) && (ar & AR_S) &&
           (!(ar & AR_CODE) || (ar & AR_READABLE));
}

/*
 * SEGBASE_GS_USER_SEL: while the guest kernel runs, the user GS base is
 * the shadow one, hence the swapgs pair.  A selector that would fault
 * loads NUL instead and the call still succeeds, as with Xen (Linux BUG()s
 * on an error).  The check holds until the load: only this vCPU changes
 * its descriptor tables (one vCPU per domain), and not meanwhile.  The
 * flat load first gives NUL a base of 0 on AMD too.
 */
static void load_user_gs(struct vcpu *v, unsigned int sel)
{
    unsigned long flags = local_irq_save();

    if (sel > 3) {
        sel |= 3;                       /* RPL 3, like any guest selector */
        if (!data_selector_ok(v, sel))
            sel = 0;
    }
    __asm__ __volatile__("swapgs\n\t"
                         "mov %k[flat], %%gs\n\t"
                         "mov %k[sel], %%gs"
                         : : [sel] "r"(sel), [flat] "r"(GUEST_DS) : "memory");
    v->arch.gs_base_user = rdmsr(MSR_GS_BASE);
    __asm__ __volatile__("swapgs" : : : "memory");
    local_irq_restore(flags);
}

/* Hypercalls come from guest kernel mode: its GS base is the active one. */
long do_set_segment_base(unsigned long which, unsigned long base)
{
    struct vcpu *v = current;
    unsigned int seg = which;           /* Xen's argument is 32-bit */

    if (seg == SEGBASE_GS_USER_SEL) {
        load_user_gs(v, (uint16_t)base);
        return 0;
    }
    if (!is_canonical(base))
        return -XEN_EINVAL;
    switch (seg) {
    case SEGBASE_FS:
        v->arch.fs_base = base;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        v->arch.gs_base_user = base;
        wrmsr(MSR_SHADOW_GS_BASE, base);
        return 0;
    case SEGBASE_GS_KERNEL:
        v->arch.gs_base_kernel = base;
        wrmsr(MSR_GS_BASE, base);
        return 0;
    default:
        return -XEN_EINVAL;
    }
}

/* Drops the descriptor-page references of the LDT pages mapped so far. */
static void drop_ldt_frames(struct vcpu *v)
{
    unsigned int i;

    for (i = 0; i < LDT_PAGES; i++)
        if (v->arch.ldt_mapped & (1u << i))
            put_page_and_type(mfn_to_page(v->arch.ldt_frames[i]));
    v->arch.ldt_mapped = 0;
}

/*
 * MMUEXT_SET_LDT: recorded and loaded empty; each page is mapped (and
 * typed, its descriptors checked) when the CPU first reads it, as in Xen.
 */
long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents)
{
    if (ents && ((base & (PAGE_SIZE - 1)) || ents > LDT_PAGES * 512 ||
                 !guest_range_ok(base, (size_t)ents * 8)))
        return -XEN_EINVAL;
    drop_ldt_frames(v);
    v->arch.ldt_base = ents ? base : 0;
    v->arch.ldt_ents = ents;
    desc_load_ldt(ents);
    return 0;
}

/* A fault in this CPU's LDT window: map the guest's page if it may be. */
bool pv_ldt_fault(struct vcpu *v, unsigned long cr2)
{
    unsigned long window = LDT_VIRT(v->processor), va;
    unsigned int page;
    struct page_info *l1, *pg;
    uint64_t pte;

    if (cr2 < window || cr2 >= window + v->arch.ldt_ents * 8)
        return false;
    page = (cr2 - window) >> PAGE_SHIFT;
    va = v->arch.ldt_base + ((unsigned long)page << PAGE_SHIFT);
    if ((v->arch.ldt_mapped & (1u << page)) || !(l1 = pv_find_l1(va)))
        return false;
    pte = ((uint64_t *)page_to_virt(l1))[l1_index(va)];
    if (!(pte & _PAGE_PRESENT) ||
        ((pte & PADDR_MASK) >> PAGE_SHIFT) >= max_page)
        return false;
    pg = mfn_to_page(_mfn((pte & PADDR_MASK) >> PAGE_SHIFT));
    if (get_page_and_type(pg, v->domain, PGT_seg_desc_page))
        return false;
    v->arch.ldt_frames[page] = page_to_mfn(pg);
    v->arch.ldt_mapped |= 1u << page;
    desc_map_ldt_page(page, page_to_mfn(pg));
    return true;
}
