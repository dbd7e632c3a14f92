/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pin: mmuext_op page-table pinning (L1-L4, double pin, unpin of an
 * unpinned frame, frames with writable mappings, writable mappings of
 * pinned or in-use tables), NEW_BASEPTR with a non-L4, the TLB flush and
 * invlpg ops (vCPU mask pointers), SET_LDT arguments, CLEAR/COPY_PAGE,
 * and batch errors.
 */
#include <guest.h>

#define RW_FLAGS (PTE_P | PTE_RW | PTE_A | PTE_D)
#define RO_FLAGS (PTE_P | PTE_A)
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A)

static unsigned long mfn_of(const void *va)
{
    return mm_va_to_mfn((unsigned long)va);
}

static long ext(unsigned int cmd, const void *page)
{
    return mm_mmuext(cmd, mfn_of(page), 0);
}

static long set_flags(const void *va, uint64_t flags)
{
    return mm_set_flags((unsigned long)va, flags);
}

/* A table page: entry 0 -> `below` (NULL: empty), mapped read-only. */
static uint64_t *table(uint64_t *below)
{
    uint64_t *t = mm_alloc_page();

    if (below)
        t[0] = (mfn_of(below) << PAGE_SHIFT) | TABLE_FLAGS;
    CHECK_RC("table page read-only", set_flags(t, RO_FLAGS), 0);
    return t;
}

static void check_pin_rules(void)
{
    uint64_t *l1 = mm_alloc_page(), *l2, *l3, *l4;
    char *data = mm_alloc_page();
    unsigned long foreign = mm_foreign_ram_mfn();

    CHECK_RC("pin L1 with a writable mapping", ext(MMUEXT_PIN_L1_TABLE, l1),
             -XEN_EINVAL);
    CHECK_RC("read-only", set_flags(l1, RO_FLAGS), 0);
    CHECK_RC("pin L1", ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    CHECK_RC("pin L1 twice", ext(MMUEXT_PIN_L1_TABLE, l1), -XEN_EINVAL);
    CHECK_RC("pin a pinned L1 as L2", ext(MMUEXT_PIN_L2_TABLE, l1),
             -XEN_EINVAL);
    CHECK_RC("writable mapping of a pinned L1", set_flags(l1, RW_FLAGS),
             -XEN_EBUSY);

    l2 = table(l1);
    l3 = table(l2);
    l4 = table(l3);
    CHECK_RC("pin L2", ext(MMUEXT_PIN_L2_TABLE, l2), 0);
    CHECK_RC("pin L3", ext(MMUEXT_PIN_L3_TABLE, l3), 0);
    CHECK_RC("pin L4", ext(MMUEXT_PIN_L4_TABLE, l4), 0);
    CHECK_RC("pin L4 twice", ext(MMUEXT_PIN_L4_TABLE, l4), -XEN_EINVAL);

    /* Unpinned but still linked from the pinned L2: stays an L1. */
    CHECK_RC("unpin L1", ext(MMUEXT_UNPIN_TABLE, l1), 0);
    CHECK_RC("unpin L1 twice", ext(MMUEXT_UNPIN_TABLE, l1), -XEN_EINVAL);
    CHECK_RC("writable mapping of an in-use L1", set_flags(l1, RW_FLAGS),
             -XEN_EBUSY);

    CHECK_RC("NEW_BASEPTR(an L1)", ext(MMUEXT_NEW_BASEPTR, l1), -XEN_EINVAL);
    CHECK_RC("NEW_BASEPTR(an L3)", ext(MMUEXT_NEW_BASEPTR, l3), -XEN_EINVAL);
    CHECK_RC("NEW_BASEPTR(a writable data frame)",
             ext(MMUEXT_NEW_BASEPTR, data), -XEN_EINVAL);
    CHECK_RC("NEW_BASEPTR(frame we do not own)",
             mm_mmuext(MMUEXT_NEW_BASEPTR, foreign, 0), -XEN_EINVAL);
    CHECK_RC("NEW_BASEPTR(the current L4)",
             mm_mmuext(MMUEXT_NEW_BASEPTR,
                       mm_va_to_mfn(start_info->pt_base), 0), 0);

    CHECK_RC("unpin L4", ext(MMUEXT_UNPIN_TABLE, l4), 0);
    CHECK_RC("unpin L3", ext(MMUEXT_UNPIN_TABLE, l3), 0);
    CHECK_RC("unpin L2", ext(MMUEXT_UNPIN_TABLE, l2), 0);
    /* Nothing references the tables now: they may be written again. */
    CHECK_RC("L1 writable again", set_flags(l1, RW_FLAGS), 0);
    CHECK_RC("L4 writable again", set_flags(l4, RW_FLAGS), 0);

    CHECK_RC("unpin a data frame", ext(MMUEXT_UNPIN_TABLE, data),
             -XEN_EINVAL);
    CHECK_RC("unpin a frame we do not own",
             mm_mmuext(MMUEXT_UNPIN_TABLE, foreign, 0), -XEN_EINVAL);
    CHECK_RC("pin a frame we do not own",
             mm_mmuext(MMUEXT_PIN_L1_TABLE, foreign, 0), -XEN_EINVAL);
    CHECK_RC("pin MFN 2^40", mm_mmuext(MMUEXT_PIN_L1_TABLE, 1UL << 40, 0),
             -XEN_EINVAL);
}

/* Tables whose entries do not validate cannot be pinned. */
static void check_bad_contents(void)
{
    uint64_t *l1 = mm_alloc_page(), *l2 = mm_alloc_page();
    char *data = mm_alloc_page();

    l1[3] = (mfn_of(l1) << PAGE_SHIFT) | RW_FLAGS;     /* writable self */
    CHECK_RC("read-only", set_flags(l1, RO_FLAGS), 0);
    /* Xen passes the entry's -EBUSY (writable type refused) through. */
    CHECK_RC("pin L1 mapping itself writable", ext(MMUEXT_PIN_L1_TABLE, l1),
             -XEN_EBUSY);
    CHECK_RC("writable", set_flags(l1, RW_FLAGS), 0);
    l1[3] = (mfn_of(l1) << PAGE_SHIFT) | RO_FLAGS;     /* read-only self */
    CHECK_RC("read-only", set_flags(l1, RO_FLAGS), 0);
    CHECK_RC("pin L1 mapping itself read-only", ext(MMUEXT_PIN_L1_TABLE, l1),
             0);
    CHECK_RC("unpin", ext(MMUEXT_UNPIN_TABLE, l1), 0);
    CHECK_RC("writable", set_flags(l1, RW_FLAGS), 0);
    l1[3] = 0;

    l2[0] = (mfn_of(data) << PAGE_SHIFT) | TABLE_FLAGS;  /* a data frame */
    CHECK_RC("read-only", set_flags(l2, RO_FLAGS), 0);
    CHECK_RC("pin L2 -> writable data frame", ext(MMUEXT_PIN_L2_TABLE, l2),
             -XEN_EINVAL);
    CHECK_RC("writable", set_flags(l2, RW_FLAGS), 0);
}

static void check_flushes(void)
{
    static const unsigned long vcpu0 = 1, none = 0;
    unsigned long va = (unsigned long)_image_start;

    CHECK_RC("TLB_FLUSH_LOCAL", mm_mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0);
    CHECK_RC("INVLPG_LOCAL", mm_mmuext(MMUEXT_INVLPG_LOCAL, va, 0), 0);
    CHECK_RC("INVLPG_LOCAL(non-canonical)",
             mm_mmuext(MMUEXT_INVLPG_LOCAL, 0x8000000000000000UL, 0), 0);
    CHECK_RC("TLB_FLUSH_ALL", mm_mmuext(MMUEXT_TLB_FLUSH_ALL, 0, 0), 0);
    CHECK_RC("INVLPG_ALL", mm_mmuext(MMUEXT_INVLPG_ALL, va, 0), 0);
    CHECK_RC("TLB_FLUSH_MULTI(vcpu 0)",
             mm_mmuext(MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&vcpu0), 0);
    CHECK_RC("TLB_FLUSH_MULTI(empty mask)",
             mm_mmuext(MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&none), 0);
    CHECK_RC("INVLPG_MULTI(vcpu 0)",
             mm_mmuext(MMUEXT_INVLPG_MULTI, va, (unsigned long)&vcpu0), 0);
    /* Xen turns an unreadable vCPU mask into -EINVAL here. */
    CHECK_RC("TLB_FLUSH_MULTI(bad mask ptr)",
             mm_mmuext(MMUEXT_TLB_FLUSH_MULTI, 0,
                       (unsigned long)BAD_PTR_UNMAPPED), -XEN_EINVAL);
    CHECK_RC("INVLPG_MULTI(mask in the hole)",
             mm_mmuext(MMUEXT_INVLPG_MULTI, va, (unsigned long)BAD_PTR_HOLE),
             -XEN_EINVAL);
    CHECK_RC("FLUSH_CACHE (dom0)", mm_mmuext(MMUEXT_FLUSH_CACHE, 0, 0), 0);
}

static void check_ldt(void)
{
    unsigned long page = (unsigned long)mm_alloc_page();

    CHECK_RC("SET_LDT(0, 0)", mm_mmuext(MMUEXT_SET_LDT, 0, 0), 0);
    CHECK_RC("SET_LDT(page, 16)", mm_mmuext(MMUEXT_SET_LDT, page, 16), 0);
    CHECK_RC("SET_LDT(page, 8192)", mm_mmuext(MMUEXT_SET_LDT, page, 8192),
             0);
    CHECK_RC("SET_LDT(page, 8193)", mm_mmuext(MMUEXT_SET_LDT, page, 8193),
             -XEN_EINVAL);
    CHECK_RC("SET_LDT(unaligned)", mm_mmuext(MMUEXT_SET_LDT, page + 8, 1),
             -XEN_EINVAL);
    CHECK_RC("SET_LDT(hypervisor hole)",
             mm_mmuext(MMUEXT_SET_LDT, (unsigned long)BAD_PTR_HOLE, 1),
             -XEN_EINVAL);
    CHECK_RC("SET_LDT(non-canonical)",
             mm_mmuext(MMUEXT_SET_LDT, 0x8000000000000000UL, 1),
             -XEN_EINVAL);
    CHECK_RC("SET_LDT(bad address, 0 entries)",
             mm_mmuext(MMUEXT_SET_LDT, page + 8, 0), 0);
}

static void check_page_ops(void)
{
    char *a = mm_alloc_page(), *b = mm_alloc_page();
    uint64_t *l1 = mm_alloc_page();

    memset(a, 0x5a, PAGE_SIZE);
    memset(b, 0xa5, PAGE_SIZE);
    CHECK_RC("COPY_PAGE", mm_mmuext(MMUEXT_COPY_PAGE, mfn_of(a), mfn_of(b)),
             0);
    CHECK((unsigned char)a[0] == 0xa5 && (unsigned char)a[4095] == 0xa5,
          "COPY_PAGE did not copy");
    CHECK_RC("CLEAR_PAGE", ext(MMUEXT_CLEAR_PAGE, a), 0);
    CHECK(a[0] == 0 && a[2048] == 0 && a[4095] == 0,
          "CLEAR_PAGE did not clear");

    CHECK_RC("read-only", set_flags(l1, RO_FLAGS), 0);
    CHECK_RC("pin L1", ext(MMUEXT_PIN_L1_TABLE, l1), 0);
    CHECK_RC("CLEAR_PAGE of a pinned L1", ext(MMUEXT_CLEAR_PAGE, l1),
             -XEN_EINVAL);
    CHECK_RC("COPY_PAGE onto a pinned L1",
             mm_mmuext(MMUEXT_COPY_PAGE, mfn_of(l1), mfn_of(b)), -XEN_EINVAL);
    CHECK_RC("COPY_PAGE from a frame we do not own",
             mm_mmuext(MMUEXT_COPY_PAGE, mfn_of(a), mm_foreign_ram_mfn()),
             -XEN_EINVAL);
    CHECK_RC("unpin", ext(MMUEXT_UNPIN_TABLE, l1), 0);
    CHECK_RC("writable", set_flags(l1, RW_FLAGS), 0);
}

static void check_batch(void)
{
    uint64_t *l1 = mm_alloc_page();
    struct mmuext_op ops[3] = {
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
        { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn_of(l1) },  /* RW */
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
    };
    unsigned int done = 99;

    CHECK_RC("batch with a bad 2nd op",
             hypercall_mmuext_op(ops, 3, &done, DOMID_SELF), -XEN_EINVAL);
    CHECK(done == 1, "done %u after a failing 2nd op", done);
    done = 99;
    CHECK_RC("count 0", hypercall_mmuext_op(ops, 0, &done, DOMID_SELF), 0);
    CHECK_RC("bad op pointer",
             hypercall_mmuext_op(BAD_PTR_UNMAPPED, 1, NULL, DOMID_SELF),
             -XEN_EFAULT);
    CHECK_RC("bad foreign domain",
             hypercall_mmuext_op(ops, 1, NULL, 0x3ff), -XEN_ESRCH);
    CHECK_RC("unknown cmd", mm_mmuext(50, 0, 0), -XEN_ENOSYS);
}

void test_main(void)
{
    check_pin_rules();
    check_bad_contents();
    check_flushes();
    check_ldt();
    check_page_ops();
    check_batch();
}
