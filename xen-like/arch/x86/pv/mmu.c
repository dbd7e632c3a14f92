/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu_update and mmuext_op: a PV guest edits its page tables and its
 * page-table roots, each request checked by the page-type rules.
 */
#include <hv/abi.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/smp.h>
#include <asm/m2p.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv/descriptor.h>
#include <asm/pv/hypercall.h>
#include <asm/pv/smp.h>
#include <asm/pv/mm.h>

/* The domain whose frames the requests may map (foreigndom).  As Xen,
 * a domain naming itself by its id (not DOMID_SELF) gets -ESRCH. */
static struct domain *foreign_domain(domid_t id, long *rc)
{
    struct domain *d = current->domain, *f;

    if (id == DOMID_SELF)
        return d;
    f = id == d->domain_id ? NULL : domain_by_id(id);
    if (!f)
        *rc = -XEN_ESRCH;
    else if (!domain_is_privileged(d))
        *rc = -XEN_EPERM;
    return *rc ? NULL : f;
}

/* A page-table write: through the type's rules, or a plain write. */
static long pt_update(struct domain *d, struct domain *pt_owner,
                      uint64_t ptr, uint64_t val, bool preserve_ad)
{
    mfn_t mfn = _mfn(ptr >> PAGE_SHIFT);
    unsigned int slot = (ptr & (PAGE_SIZE - 1)) / sizeof(uint64_t);
    struct page_info *pg;
    unsigned long type;
    long rc;

    if ((ptr & (sizeof(uint64_t) - 1)) || mfn_x(mfn) >= max_page ||
        !get_page(pg = mfn_to_page(mfn), d))
        return -XEN_EINVAL;
    type = pagetype_get_validated(pg);
    switch (type) {
    case PGT_l1_page_table:
        rc = mod_l1_entry(pt_owner, pg, slot, val, preserve_ad);
        break;
    case PGT_l2_page_table:
        rc = mod_l2_entry(d, pg, slot, val, preserve_ad);
        break;
    case PGT_l3_page_table:
        rc = mod_l3_entry(d, pg, slot, val, preserve_ad);
        break;
    case PGT_l4_page_table:
        rc = mod_l4_entry(d, pg, slot, val, preserve_ad);
        break;
    case PGT_writable_page:         /* not a page table: a plain write */
        ((volatile uint64_t *)page_to_virt(pg))[slot] = val;
        rc = 0;
        break;
    case PGT_none:
        rc = get_page_type(pg, PGT_writable_page);
        if (!rc) {
            ((volatile uint64_t *)page_to_virt(pg))[slot] = val;
            put_page_type(pg);
        }
        put_page(pg);
        return rc;
    default:                        /* descriptor pages: update_descriptor */
        rc = -XEN_EINVAL;
        break;
    }
    put_page_type(pg);
    put_page(pg);
    return rc;
}

static long machphys_update(struct domain *d, uint64_t ptr, uint64_t pfn)
{
    mfn_t mfn = _mfn(ptr >> PAGE_SHIFT);

    if (mfn_x(mfn) >= max_page || !get_page(mfn_to_page(mfn), d))
        return -XEN_EINVAL;
    m2p_set(mfn, pfn);
    put_page(mfn_to_page(mfn));
    return 0;
}

long do_mmu_update(unsigned long reqs, unsigned long count,
                   unsigned long done_out, unsigned long foreigndom)
{
    struct domain *d = current->domain, *pt_owner;
    struct mmu_update req;
    unsigned int done = 0;
    long rc = 0;

    if (!(pt_owner = foreign_domain(foreigndom, &rc)))
        return rc;
    for (; done < (unsigned int)count; done++) {
        if (copy_from_guest(&req, (struct mmu_update *)reqs + done,
                            sizeof(req))) {
            rc = -XEN_EFAULT;
            break;
        }
        switch (req.ptr & 3) {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_NO_TRANSLATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
            rc = pt_update(d, pt_owner, req.ptr & ~3ULL, req.val,
                           (req.ptr & 3) == MMU_PT_UPDATE_PRESERVE_AD);
            break;
        case MMU_MACHPHYS_UPDATE:
            rc = machphys_update(d, req.ptr, req.val);
            break;
        }
        if (rc)
            break;
    }
    if (done_out && copy_to_guest((void *)done_out, &done, sizeof(done)))
        rc = rc ? rc : -XEN_EFAULT;
    return rc;
}

/* NEW_BASEPTR / NEW_USER_BASEPTR: a typed L4 reference per root. */
static long new_baseptr(struct domain *d, mfn_t mfn, bool user)
{
    struct vcpu *v = current;
    mfn_t *root = user ? &v->arch.guest_table_user : &v->arch.guest_table;
    mfn_t old = *root;

    if (user && !mfn_x(mfn)) {
        *root = INVALID_MFN;
    } else {
        if (mfn_x(mfn) >= max_page ||
            get_page_and_type(mfn_to_page(mfn), d, PGT_l4_page_table))
            return -XEN_EINVAL;
        *root = mfn;
        if (!user && v->arch.kernel_mode)
            write_cr3(mfn_x(mfn) << PAGE_SHIFT);
    }
    if (!mfn_eq(old, INVALID_MFN))
        put_page_and_type(mfn_to_page(old));
    return 0;
}

static long flush_op(const struct mmuext_op *op)
{
    uint64_t mask;

    /* An unreadable vCPU mask is -EINVAL here (Xen 4.17), not -EFAULT. */
    if ((op->cmd == MMUEXT_TLB_FLUSH_MULTI ||
         op->cmd == MMUEXT_INVLPG_MULTI) &&
        copy_from_guest(&mask, op->arg2.vcpumask.p, sizeof(mask)))
        return -XEN_EINVAL;
    switch (op->cmd) {
    case MMUEXT_INVLPG_LOCAL:
        invlpg(op->arg1.linear_addr);
        break;
    case MMUEXT_TLB_FLUSH_LOCAL:
        write_cr3(read_cr3());
        break;
    default:        /* other vCPUs too (whole TLBs: simple and safe) */
        flush_tlb_domain(current->domain);
        break;
    }
    return 0;
}

static long set_ldt(const struct mmuext_op *op)
{
    return pv_set_ldt(current, op->arg1.linear_addr, op->arg2.nr_ents);
}

/* A frame of d that may be written as data (not a table), referenced. */
static struct page_info *get_writable_frame(struct domain *d, xen_pfn_t mfn)
{
    struct page_info *pg;

    if (mfn >= max_page || !get_page(pg = mfn_to_page(_mfn(mfn)), d))
        return NULL;
    if (get_page_type(pg, PGT_writable_page)) {
        put_page(pg);
        return NULL;
    }
    return pg;
}

static long clear_page(struct domain *d, xen_pfn_t mfn)
{
    struct page_info *pg = get_writable_frame(d, mfn);

    if (!pg)
        return -XEN_EINVAL;
    memset(page_to_virt(pg), 0, PAGE_SIZE);
    put_page_and_type(pg);
    return 0;
}

static long copy_page(struct domain *d, xen_pfn_t dst, xen_pfn_t src)
{
    struct page_info *to, *from;

    if (src >= max_page || !get_page(from = mfn_to_page(_mfn(src)), d))
        return -XEN_EINVAL;
    if (!(to = get_writable_frame(d, dst))) {
        put_page(from);
        return -XEN_EINVAL;
    }
    memcpy(page_to_virt(to), page_to_virt(from), PAGE_SIZE);
    put_page_and_type(to);
    put_page(from);
    return 0;
}

static long mmuext_one(struct domain *d, struct domain *pt_owner,
                       const struct mmuext_op *op)
{
    mfn_t mfn = _mfn(op->arg1.mfn);

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pagetype_pin(pt_owner, mfn, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
    case MMUEXT_UNPIN_TABLE:
        return pagetype_unpin(pt_owner, mfn);
    case MMUEXT_NEW_BASEPTR:
        return new_baseptr(d, mfn, false);
    case MMUEXT_NEW_USER_BASEPTR:
        return new_baseptr(d, mfn, true);
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        return flush_op(op);
    case MMUEXT_SET_LDT:
        return set_ldt(op);
    case MMUEXT_CLEAR_PAGE:
        return clear_page(d, op->arg1.mfn);
    case MMUEXT_COPY_PAGE:
        return copy_page(d, op->arg1.mfn, op->arg2.src_mfn);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if (!domain_is_privileged(d))
            return -XEN_EPERM;
        __asm__ __volatile__("wbinvd" : : : "memory");
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

long do_mmuext_op(unsigned long ops, unsigned long count,
                  unsigned long done_out, unsigned long foreigndom)
{
    struct domain *d = current->domain, *pt_owner;
    struct mmuext_op op;
    unsigned int done = 0;
    long rc = 0;

    if (!(pt_owner = foreign_domain(foreigndom, &rc)))
        return rc;
    for (; done < (unsigned int)count; done++) {
        if (copy_from_guest(&op, (struct mmuext_op *)ops + done,
                            sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        if ((rc = mmuext_one(d, pt_owner, &op)))
            break;
    }
    if (done_out && copy_to_guest((void *)done_out, &done, sizeof(done)))
        rc = rc ? rc : -XEN_EFAULT;
    return rc;
}
