/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multicall: a batch of different hypercalls with per-entry results,
 * update_va_mapping inside a batch (as Linux does), unknown ops, nested
 * multicall refused, empty and unreadable lists.
 */
#include <guest.h>

static struct multicall_entry mc[8];

static void set_entry(unsigned int i, unsigned long op, unsigned long a0,
                      unsigned long a1, unsigned long a2)
{
    mc[i] = (struct multicall_entry){ .op = op, .result = 0xdead,
                                      .args = { a0, a1, a2 } };
}

static void check_mixed(void)
{
    static const char msg[] = "multicall: console write from a batch\n";
    static domid_t self = DOMID_SELF;
    long ver = hypercall_xen_version(XENVER_version, NULL);

    set_entry(0, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    set_entry(1, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    set_entry(2, __HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
              (unsigned long)msg);
    set_entry(3, __HYPERVISOR_memory_op, XENMEM_current_reservation,
              (unsigned long)&self, 0);
    set_entry(4, __HYPERVISOR_xen_version, 0x7fff, 0, 0);
    set_entry(5, 60, 0, 0, 0);                       /* no such hypercall */
    set_entry(6, __HYPERVISOR_console_io, CONSOLEIO_write, 8,
              (unsigned long)BAD_PTR_UNMAPPED);

    CHECK_RC("multicall(7 entries)", hypercall_multicall(mc, 7), 0);
    CHECK_RC("entry 0 xen_version", mc[0].result, ver);
    CHECK_RC("entry 1 pagesize", mc[1].result, 4096);
    CHECK_RC("entry 2 console_io", mc[2].result, 0);
    CHECK_RC("entry 3 current_reservation", mc[3].result,
             start_info->nr_pages);
    CHECK_RC("entry 4 bad sub-op", mc[4].result, -XEN_ENOSYS);
    CHECK_RC("entry 5 unknown hypercall", mc[5].result, -XEN_ENOSYS);
    CHECK_RC("entry 6 bad pointer", mc[6].result, -XEN_EFAULT);
}

static void check_uvm(void)
{
    char *a = mm_alloc_page(), *b = mm_alloc_page();
    unsigned long va = (unsigned long)a;
    uint64_t old = mm_l1e_read(va);
    uint64_t pte = (mm_va_to_mfn((unsigned long)b) << PAGE_SHIFT) | PTE_P |
                   PTE_RW | PTE_A | PTE_D;

    a[0] = 'a';
    b[0] = 'b';
    set_entry(0, __HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
    set_entry(1, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    CHECK_RC("multicall(update_va_mapping)", hypercall_multicall(mc, 2), 0);
    CHECK_RC("entry 0 update_va_mapping", mc[0].result, 0);
    CHECK(READ_ONCE(a[0]) == 'b', "remap in a multicall not visible");
    set_entry(0, __HYPERVISOR_update_va_mapping, va, old, UVMF_INVLPG);
    CHECK_RC("multicall(restore)", hypercall_multicall(mc, 1), 0);
    CHECK_RC("entry 0 restore", mc[0].result, 0);
    CHECK(READ_ONCE(a[0]) == 'a', "restore in a multicall not visible");
}

static void check_errors(void)
{
    static struct multicall_entry inner[1];

    inner[0] = (struct multicall_entry){ .op = __HYPERVISOR_xen_version,
                                         .result = 0xdead,
                                         .args = { XENVER_pagesize } };
    set_entry(0, __HYPERVISOR_multicall, (unsigned long)inner, 1, 0);
    set_entry(1, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0);
    CHECK_RC("multicall(nested)", hypercall_multicall(mc, 2), 0);
    CHECK_RC("nested multicall entry", mc[0].result, -XEN_EINVAL);
    CHECK(inner[0].result == 0xdead, "nested multicall ran its entry");
    CHECK_RC("entry after the nested one", mc[1].result, 4096);

    CHECK_RC("multicall(0 entries)", hypercall_multicall(mc, 0), 0);
    CHECK_RC("multicall(bad list)",
             hypercall_multicall(BAD_PTR_UNMAPPED, 1), -XEN_EFAULT);
    CHECK_RC("multicall(hole list)", hypercall_multicall(BAD_PTR_HOLE, 2),
             -XEN_EFAULT);
}

void test_main(void)
{
    check_mixed();
    check_uvm();
    check_errors();
}
