/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gnttab: grant table v1 granted to ourselves (dom0): query_size,
 * setup_table, map_grant_ref/unmap_grant_ref with GNTMAP_host_map (the
 * mapping, the handle, GTF_reading/writing), GNTTABOP_copy by ref and by
 * gmfn, and the per-op status codes and hypercall errors for bad input.
 */
#include <guest.h>

#define SELF 0              /* dom0's own domid, for grant entries */
#define REF_A 8             /* refs 0-7 are the toolstack's by convention */
#define REF_B 9
#define REF_NONE 10         /* never granted */
#define REF_RO 11           /* GTF_readonly */
#define REF_OTHER 12        /* granted to another domain */

static grant_entry_v1_t *gt;
static unsigned int nr_frames, max_frames;

static long gnttab(unsigned int cmd, void *arg, unsigned int count)
{
    return hypercall_grant_table_op(cmd, arg, count);
}

static void check_size_and_setup(void)
{
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    static xen_pfn_t frames[2];
    unsigned long va = (unsigned long)mm_alloc_page();

    CHECK_RC("query_size", gnttab(GNTTABOP_query_size, &qs, 1), 0);
    CHECK_RC("query_size status", qs.status, GNTST_okay);
    nr_frames = qs.nr_frames;
    max_frames = qs.max_nr_frames;
    printk("grant table: %u of %u frames\n", nr_frames, max_frames);
    CHECK(nr_frames >= 1 && nr_frames <= max_frames, "query_size %u/%u",
          nr_frames, max_frames);
    qs.dom = 0x3ff;
    CHECK_RC("query_size(no such domain)", gnttab(GNTTABOP_query_size, &qs,
                                                  1), 0);
    CHECK_RC("query_size(no such domain) status", qs.status,
             GNTST_bad_domain);
    CHECK_RC("query_size(bad ptr)", gnttab(GNTTABOP_query_size,
                                           BAD_PTR_UNMAPPED, 1), -XEN_EFAULT);

    set_xen_guest_handle(st.frame_list, frames);
    CHECK_RC("setup_table", gnttab(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC("setup_table status", st.status, GNTST_okay);
    CHECK_RC("map the grant table frame",
             hypercall_update_va_mapping(va, (frames[0] << PAGE_SHIFT) |
                                         PTE_P | PTE_RW | PTE_A | PTE_D,
                                         UVMF_INVLPG), 0);
    gt = (grant_entry_v1_t *)va;

    CHECK_RC("setup_table(count 2)", gnttab(GNTTABOP_setup_table, &st, 2),
             -XEN_EINVAL);
    st.nr_frames = max_frames + 1;
    CHECK_RC("setup_table(max + 1 frames)", gnttab(GNTTABOP_setup_table, &st,
                                                   1), 0);
    CHECK_RC("setup_table(max + 1 frames) status", st.status,
             GNTST_general_error);
    st.nr_frames = 1;
    st.dom = 0x3ff;
    CHECK_RC("setup_table(no such domain)", gnttab(GNTTABOP_setup_table, &st,
                                                   1), 0);
    CHECK_RC("setup_table(no such domain) status", st.status,
             GNTST_bad_domain);
    st.dom = DOMID_SELF;
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)BAD_PTR_UNMAPPED);
    CHECK_RC("setup_table(unmapped frame list)",
             gnttab(GNTTABOP_setup_table, &st, 1), 0);
    CHECK_RC("setup_table(unmapped frame list) status", st.status,
             GNTST_bad_virt_addr);
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)BAD_PTR_HOLE);
    CHECK_RC("setup_table(frame list in the hole)",
             gnttab(GNTTABOP_setup_table, &st, 1), -XEN_EFAULT);
}

static void grant(unsigned int ref, const void *page, domid_t dom,
                  uint16_t flags)
{
    gt[ref].domid = dom;
    gt[ref].frame = (uint32_t)mm_va_to_mfn((unsigned long)page);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    gt[ref].flags = flags;
}

static int16_t map(unsigned long va, unsigned int ref, domid_t dom,
                   uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = { .host_addr = va, .flags = flags,
                                       .ref = ref, .dom = dom,
                                       .status = 99 };
    long rc = gnttab(GNTTABOP_map_grant_ref, &op, 1);

    if (rc)
        report_fail("map_grant_ref ref %u: rc %ld", ref, rc);
    if (handle)
        *handle = op.handle;
    return op.status;
}

static int16_t unmap(unsigned long va, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = va, .handle = handle,
                                         .status = 99 };
    long rc = gnttab(GNTTABOP_unmap_grant_ref, &op, 1);

    if (rc)
        report_fail("unmap_grant_ref handle %u: rc %ld", handle, rc);
    return op.status;
}

static void restore(void *page)
{
    CHECK_RC("restore the mapping", mm_set_flags((unsigned long)page,
             PTE_P | PTE_RW | PTE_A | PTE_D), 0);
}

static void check_map(char *a, char *m)
{
    unsigned long va = (unsigned long)m;
    grant_handle_t h = 0xffff, h2;
    uint64_t pte;

    a[0] = 'A';
    grant(REF_A, a, SELF, GTF_permit_access);
    CHECK_RC("map", map(va, REF_A, SELF, GNTMAP_host_map, &h), GNTST_okay);
    pte = mm_l1e_read(va);
    CHECK((pte & PTE_ADDR) == (mm_va_to_mfn((unsigned long)a) << PAGE_SHIFT)
          && (pte & PTE_RW), "grant PTE %#lx", (unsigned long)pte);
    CHECK(READ_ONCE(m[0]) == 'A', "granted page not visible");
    WRITE_ONCE(m[1], 'M');
    CHECK(READ_ONCE(a[1]) == 'M', "write through the grant mapping lost");
    CHECK((gt[REF_A].flags & (GTF_reading | GTF_writing)) ==
          (GTF_reading | GTF_writing), "entry flags %#x while mapped RW",
          gt[REF_A].flags);

    /* A second, read-only mapping of the same grant. */
    CHECK_RC("map read-only", map((unsigned long)mm_alloc_page(), REF_A,
                                  SELF, GNTMAP_host_map | GNTMAP_readonly,
                                  &h2), GNTST_okay);
    CHECK(h2 != h, "same handle %u twice", h);

    CHECK_RC("unmap at the wrong address", unmap(va + PAGE_SIZE, h),
             GNTST_general_error);
    CHECK_RC("unmap", unmap(va, h), GNTST_okay);
    CHECK(mm_l1e_read(va) == 0, "PTE after unmap %#lx",
          (unsigned long)mm_l1e_read(va));
    CHECK((gt[REF_A].flags & GTF_writing) == 0,
          "GTF_writing still set after unmap (%#x)", gt[REF_A].flags);
    CHECK_RC("unmap twice", unmap(va, h), GNTST_bad_handle);
    CHECK_RC("unmap handle 0xffff", unmap(va, 0xffff), GNTST_bad_handle);
    restore(m);
    CHECK(READ_ONCE(m[0]) != 'A' || m == a, "m still shows a");
}

static void check_map_errors(char *a, char *m)
{
    unsigned long va = (unsigned long)m;
    unsigned int nr_refs = nr_frames * (PAGE_SIZE / sizeof(*gt));
    grant_handle_t h;

    grant(REF_RO, a, SELF, GTF_permit_access | GTF_readonly);
    grant(REF_OTHER, a, 5, GTF_permit_access);
    gt[REF_NONE].flags = 0;

    CHECK_RC("map(no flags)", map(va, REF_A, SELF, 0, NULL),
             GNTST_bad_gntref);
    CHECK_RC("map(ref beyond the table)",
             map(va, nr_refs, SELF, GNTMAP_host_map, NULL), GNTST_bad_gntref);
    CHECK_RC("map(no such domain)", map(va, REF_A, 0x3ff, GNTMAP_host_map,
                                        NULL), GNTST_bad_domain);
    CHECK_RC("map(DOMID_SELF)", map(va, REF_A, DOMID_SELF, GNTMAP_host_map,
                                    NULL), GNTST_bad_domain);
    CHECK_RC("map(ref not granted)", map(va, REF_NONE, SELF,
                                         GNTMAP_host_map, NULL),
             GNTST_general_error);
    CHECK_RC("map(granted to another domain)",
             map(va, REF_OTHER, SELF, GNTMAP_host_map, NULL),
             GNTST_general_error);
    CHECK_RC("map(read-only grant, writable map)",
             map(va, REF_RO, SELF, GNTMAP_host_map, NULL),
             GNTST_general_error);
    CHECK_RC("map(no L1 for host_addr)", map(0x1000, REF_A, SELF,
                                             GNTMAP_host_map, NULL),
             GNTST_general_error);
    CHECK(mm_l1e_read(va) == ((mm_va_to_mfn(va) << PAGE_SHIFT) | PTE_P |
                              PTE_RW | PTE_A | PTE_D | PTE_US) ||
          (mm_l1e_read(va) & PTE_ADDR) == (mm_va_to_mfn(va) << PAGE_SHIFT),
          "refused maps changed the PTE to %#lx",
          (unsigned long)mm_l1e_read(va));

    CHECK_RC("map(read-only grant, read-only map)",
             map(va, REF_RO, SELF, GNTMAP_host_map | GNTMAP_readonly, &h),
             GNTST_okay);
    CHECK(!(mm_l1e_read(va) & PTE_RW), "read-only grant mapped RW");
    CHECK_RC("unmap read-only", unmap(va, h), GNTST_okay);
    restore(m);

    CHECK_RC("map(bad ptr)", gnttab(GNTTABOP_map_grant_ref,
                                    BAD_PTR_UNMAPPED, 1), -XEN_EFAULT);
    CHECK_RC("map(count -1)", gnttab(GNTTABOP_map_grant_ref, m, ~0u),
             -XEN_EINVAL);
    CHECK_RC("map(count 0x7fffffff)", gnttab(GNTTABOP_map_grant_ref, m,
                                             0x7fffffff), -XEN_EFAULT);
    CHECK_RC("map(count 0)", gnttab(GNTTABOP_map_grant_ref, m, 0), 0);
    CHECK_RC("unmap(bad ptr)", gnttab(GNTTABOP_unmap_grant_ref,
                                      BAD_PTR_UNMAPPED, 1), -XEN_EFAULT);
    CHECK_RC("unknown op", gnttab(99, m, 1), -XEN_ENOSYS);
}

static int16_t copy(struct gnttab_copy *c)
{
    long rc;

    c->status = 99;
    rc = gnttab(GNTTABOP_copy, c, 1);
    if (rc)
        report_fail("GNTTABOP_copy: rc %ld", rc);
    return c->status;
}

static void check_copy(char *a, char *b)
{
    unsigned long a_mfn = mm_va_to_mfn((unsigned long)a);
    unsigned long b_mfn = mm_va_to_mfn((unsigned long)b);
    struct gnttab_copy c;

    memset(a, 0, PAGE_SIZE);
    memset(b, 0, PAGE_SIZE);
    memcpy(a + 100, "grant copy by ref", 18);
    grant(REF_A, a, SELF, GTF_permit_access);
    grant(REF_B, b, SELF, GTF_permit_access);

    c = (struct gnttab_copy){
        .source = { .u.ref = REF_A, .domid = DOMID_SELF, .offset = 100 },
        .dest = { .u.gmfn = b_mfn, .domid = DOMID_SELF, .offset = 200 },
        .len = 18, .flags = GNTCOPY_source_gref,
    };
    CHECK_RC("copy ref -> gmfn", copy(&c), GNTST_okay);
    CHECK(!memcmp(b + 200, "grant copy by ref", 18), "copy by ref lost");

    memcpy(a + 300, "by gmfn", 8);
    c = (struct gnttab_copy){
        .source = { .u.gmfn = a_mfn, .domid = DOMID_SELF, .offset = 300 },
        .dest = { .u.ref = REF_B, .domid = SELF, .offset = 4088 },
        .len = 8, .flags = GNTCOPY_dest_gref,
    };
    CHECK_RC("copy gmfn -> ref (to the page end)", copy(&c), GNTST_okay);
    CHECK(!memcmp(b + 4088, "by gmfn", 8), "copy to ref lost");

    c.dest.offset = 4089;
    CHECK_RC("copy beyond the page", copy(&c), GNTST_bad_copy_arg);
    c.dest.offset = 0;
    c.len = 4097;
    CHECK_RC("copy of 4097 bytes", copy(&c), GNTST_bad_copy_arg);
    c.len = 8;
    c.dest.u.ref = REF_NONE;
    CHECK_RC("copy to an ungranted ref", copy(&c), GNTST_general_error);
    c.dest.u.ref = REF_RO;
    CHECK_RC("copy to a read-only grant", copy(&c), GNTST_general_error);
    c.dest.u.ref = nr_frames * (PAGE_SIZE / sizeof(*gt));
    CHECK_RC("copy to a ref beyond the table", copy(&c), GNTST_bad_gntref);
    c.dest.u.ref = REF_B;
    c.dest.domid = 0x3ff;
    CHECK_RC("copy to no such domain", copy(&c), GNTST_bad_domain);
    c.dest.domid = SELF;
    c.source.u.gmfn = mm_foreign_ram_mfn();
    CHECK_RC("copy from a frame we do not own", copy(&c), GNTST_bad_page);
    CHECK_RC("copy(bad ptr)", gnttab(GNTTABOP_copy, BAD_PTR_UNMAPPED, 1),
             -XEN_EFAULT);
    CHECK((gt[REF_A].flags | gt[REF_B].flags) &
          (GTF_reading | GTF_writing) ? false : true,
          "copies left entries busy: %#x %#x", gt[REF_A].flags,
          gt[REF_B].flags);
}

static void check_version(void)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_set_version sv = { .version = 1 };

    CHECK_RC("get_version", gnttab(GNTTABOP_get_version, &gv, 1), 0);
    CHECK_RC("version", gv.version, 1);
    CHECK_RC("set_version(1)", gnttab(GNTTABOP_set_version, &sv, 1), 0);
    sv.version = 3;
    CHECK_RC("set_version(3)", gnttab(GNTTABOP_set_version, &sv, 1),
             -XEN_EINVAL);
}

void test_main(void)
{
    char *a = mm_alloc_page(), *b = mm_alloc_page(), *m = mm_alloc_page();

    check_size_and_setup();
    if (report_failed())
        return;
    check_version();
    check_map(a, m);
    check_map_errors(a, m);
    check_copy(a, b);
    gt[REF_A].flags = gt[REF_B].flags = gt[REF_RO].flags = 0;
    gt[REF_OTHER].flags = 0;
}
