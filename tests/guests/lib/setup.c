/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * C entry of every test kernel: record start_info, install traps, map
 * shared_info, run test_main(), report.
 */
#include <guest.h>

struct start_info *start_info;
struct shared_info *shared_info;
struct vcpu_info *vcpu_info_area;

static char shared_info_page[PAGE_SIZE] __page_aligned_bss;

void guest_start(struct start_info *si);

/* start_info->shared_info is a machine address; map it over a bss page. */
static void map_shared_info(void)
{
    unsigned long va = (unsigned long)shared_info_page;
    uint64_t pte = start_info->shared_info | PTE_P | PTE_RW | PTE_A | PTE_D;
    long rc = hypercall_update_va_mapping(va, pte, UVMF_INVLPG);

    if (rc) {
        report_error("mapping shared_info: %ld", rc);
        report_finish();
    }
    shared_info = (struct shared_info *)shared_info_page;
    vcpu_info_area = &shared_info->vcpu_info[0];
}

void guest_start(struct start_info *si)
{
    start_info = si;
    traps_init();
    map_shared_info();
    events_init();
    printk("--- Keel test kernel: %s, %lu pages ---\n",
           (const char *)si->magic, si->nr_pages);
    test_main();
    report_finish();
}
