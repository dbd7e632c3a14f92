/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op: the read-only sub-ops a PV kernel uses at boot (memory maps,
 * reservations, maximum_ram_page, machphys_mapping) with bad domids, bad
 * pointers and unknown sub-ops.
 */
#include <guest.h>

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

#define E820_RAM 1
#define NO_SUCH_DOMID 0x3ff   /* a plausible domid that does not exist */

static struct e820_entry map[128];

static void check_machine_map(void)
{
    struct xen_memory_map mm = { .nr_entries = ARRAY_SIZE(map) };
    uint64_t ram = 0;
    unsigned int i;
    long rc;

    set_xen_guest_handle(mm.buffer, map);
    rc = hypercall_memory_op(XENMEM_machine_memory_map, &mm);
    CHECK_RC("machine_memory_map", rc, 0);
    CHECK(mm.nr_entries > 0 && mm.nr_entries <= ARRAY_SIZE(map),
          "machine_memory_map: %u entries", mm.nr_entries);
    for (i = 0; i < mm.nr_entries && i < ARRAY_SIZE(map); i++) {
        printk("e820 %016lx-%016lx type %u\n", (unsigned long)map[i].addr,
               (unsigned long)(map[i].addr + map[i].size), map[i].type);
        if (map[i].type == E820_RAM)
            ram += map[i].size;
    }
    CHECK(ram >= (start_info->nr_pages << PAGE_SHIFT),
          "host RAM %#lx below dom0's own pages", (unsigned long)ram);

    set_xen_guest_handle(mm.buffer, BAD_PTR_UNMAPPED);
    mm.nr_entries = ARRAY_SIZE(map);
    CHECK_RC("machine_memory_map(bad buffer)",
             hypercall_memory_op(XENMEM_machine_memory_map, &mm),
             -XEN_EFAULT);
    CHECK_RC("machine_memory_map(bad arg)",
             hypercall_memory_op(XENMEM_machine_memory_map,
                                 BAD_PTR_UNMAPPED), -XEN_EFAULT);
}

static void check_pseudo_map(void)
{
    struct xen_memory_map mm = { .nr_entries = ARRAY_SIZE(map) };
    long rc;

    set_xen_guest_handle(mm.buffer, map);
    /* Xen 4.17 keeps no pseudo-physical map for a PV dom0. */
    rc = hypercall_memory_op(XENMEM_memory_map, &mm);
    CHECK_RC("memory_map (PV dom0)", rc, -XEN_ENOSYS);
    CHECK_RC("memory_map(bad arg)",
             hypercall_memory_op(XENMEM_memory_map, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);
}

static void check_reservations(void)
{
    domid_t self = DOMID_SELF, zero = 0, none = NO_SUCH_DOMID;
    long cur, max;

    cur = hypercall_memory_op(XENMEM_current_reservation, &self);
    CHECK_RC("current_reservation(self)", cur, start_info->nr_pages);
    CHECK_RC("current_reservation(0)",
             hypercall_memory_op(XENMEM_current_reservation, &zero), cur);
    max = hypercall_memory_op(XENMEM_maximum_reservation, &self);
    CHECK(max >= cur, "maximum_reservation %ld < current %ld", max, cur);
    printk("reservation: current %ld, maximum %ld\n", cur, max);

    CHECK_RC("current_reservation(no such domain)",
             hypercall_memory_op(XENMEM_current_reservation, &none),
             -XEN_ESRCH);
    CHECK_RC("maximum_reservation(no such domain)",
             hypercall_memory_op(XENMEM_maximum_reservation, &none),
             -XEN_ESRCH);
    CHECK_RC("current_reservation(bad ptr)",
             hypercall_memory_op(XENMEM_current_reservation,
                                 BAD_PTR_UNMAPPED), -XEN_EFAULT);
    CHECK_RC("maximum_reservation(hole ptr)",
             hypercall_memory_op(XENMEM_maximum_reservation, BAD_PTR_HOLE),
             -XEN_EFAULT);
}

static void check_machphys(void)
{
    struct xen_machphys_mapping mp = { 0 };
    long max_page, rc;
    unsigned long va, pfn, mfn;

    max_page = hypercall_memory_op(XENMEM_maximum_ram_page, NULL);
    CHECK(max_page > 0, "maximum_ram_page %ld", max_page);

    rc = hypercall_memory_op(XENMEM_machphys_mapping, &mp);
    CHECK_RC("machphys_mapping", rc, 0);
    CHECK(mp.v_start == MACH2PHYS_VIRT_START, "machphys v_start %#lx",
          mp.v_start);
    CHECK(mp.v_end > mp.v_start && mp.v_end <= MACH2PHYS_VIRT_END,
          "machphys v_end %#lx", mp.v_end);
    CHECK(mp.max_mfn + 1 >= (unsigned long)max_page,
          "machphys max_mfn %#lx below maximum_ram_page %#lx", mp.max_mfn,
          max_page);
    printk("maximum_ram_page %#lx, m2p %#lx-%#lx max_mfn %#lx\n", max_page,
           mp.v_start, mp.v_end, mp.max_mfn);
    CHECK_RC("machphys_mapping(bad ptr)",
             hypercall_memory_op(XENMEM_machphys_mapping, BAD_PTR_UNMAPPED),
             -XEN_EFAULT);

    /* The M2P and the p2m agree on every page of the image. */
    for (va = (unsigned long)_image_start; va < (unsigned long)_image_end;
         va += PAGE_SIZE) {
        pfn = mm_va_to_pfn(va);
        mfn = mm_pfn_to_mfn(pfn);
        CHECK(mfn < mp.max_mfn + 1, "pfn %#lx -> mfn %#lx beyond max", pfn,
              mfn);
        CHECK(mm_mfn_to_pfn(mfn) == pfn, "m2p[%#lx] = %#lx, expected %#lx",
              mfn, mm_mfn_to_pfn(mfn), pfn);
    }
}

void test_main(void)
{
    check_machine_map();
    check_pseudo_map();
    check_reservations();
    check_machphys();
    CHECK_RC("unknown sub-op 0x3f",
             hypercall_memory_op(0x3f, NULL), -XEN_ENOSYS);
}
